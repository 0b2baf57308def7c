"""Someone archived (left the network) leaves the members' directory too, as they leave
every other list; their page is no longer open to other members."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.members.models import Person


@pytest.mark.django_db
def test_an_archived_person_leaves_the_members_directory(client, charlie):
    stays = Person.objects.create(first_name="Ola", last_name="Berg", visible_in_directory=True)
    left = Person.objects.create(
        first_name="Ivo", last_name="Gone", visible_in_directory=True, archived_at=timezone.now()
    )
    client.force_login(charlie)
    page = client.get(reverse("members:directory_people")).content.decode()
    assert "Ola Berg" in page and "Ivo Gone" not in page
    assert client.get(reverse("members:person", args=[stays.pk])).status_code == 200
    assert client.get(reverse("members:person", args=[left.pk])).status_code == 404


@pytest.mark.django_db
def test_coordinators_still_open_an_archived_persons_page(client, alice):
    left = Person.objects.create(first_name="Ivo", last_name="Gone", archived_at=timezone.now())
    client.force_login(alice)
    assert client.get(reverse("members:person", args=[left.pk])).status_code == 200
