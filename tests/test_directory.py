import pytest
from django.urls import reverse

from cairn.members.models import Organisation, Sector


@pytest.mark.django_db
def test_directory_filters_by_sector_and_searches_topics(client, charlie):
    Organisation.objects.create(name="Harbour Shop", sector=Sector.PRIVATE, topics="food")
    Organisation.objects.create(name="Tenants Voice", sector=Sector.COMMUNITY, topics="housing")
    client.force_login(charlie)
    url = reverse("members:organisations")
    page = client.get(url, {"sector": Sector.PRIVATE}).content.decode()
    assert "Harbour Shop" in page and "Tenants Voice" not in page
    page = client.get(url, {"q": "housing"}).content.decode()
    assert "Tenants Voice" in page and "Harbour Shop" not in page


@pytest.mark.django_db
def test_directory_paginates_and_shows_an_empty_state(client, charlie):
    for i in range(30):
        Organisation.objects.create(name=f"Group {i:02d}", sector=Sector.COMMUNITY)
    client.force_login(charlie)
    url = reverse("members:organisations")
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert "Group 29" in client.get(url, {"page": 2}).content.decode()
    assert "No organisations match" in client.get(url, {"q": "zzz"}).content.decode()


@pytest.mark.django_db
def test_demo_network_covers_every_sector_in_the_brief(demo):
    sectors = set(Organisation.objects.values_list("sector", flat=True))
    for wanted in [
        Sector.COMMUNITY,
        Sector.THIRD_SECTOR,
        Sector.PUBLIC_SERVICE,
        Sector.LOCAL_AUTHORITY,
        Sector.HEALTH_SOCIAL_CARE,
        Sector.PRIVATE,
        Sector.ACADEMIC,
        Sector.FUNDER,
    ]:
        assert wanted in sectors
