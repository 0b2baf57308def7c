"""Odd values posted to the people pages give a message, never a 500, and change nothing."""

import pytest

from cairn.members.models import ImportJob, Person
from tests.members.test_import_pages import upload

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def jean(db) -> Person:
    return Person.objects.create(first_name="Jean", last_name="Millar", email="jean@example.org")


def test_archiving_with_an_odd_value_is_a_message(client, alice, jean, org):
    client.force_login(alice)
    for url in (f"/people/{jean.pk}/archive/", f"/organisations/{org.pk}/archive/"):
        response = client.post(url, {"archive": "perhaps"}, follow=True)
        assert response.status_code == 200
        assert "odd value" in _messages(response)
    jean.refresh_from_db()
    org.refresh_from_db()
    assert jean.archived_at is None and org.archived_at is None


def test_merging_with_an_odd_or_missing_or_erased_record_is_a_message(client, alice, jean):
    erased = Person.objects.create(first_name="", anonymised_at="2026-01-01T00:00:00Z")
    client.force_login(alice)
    url = f"/people/{jean.pk}/merge/"
    for other in ("abc", "99999999999999999999999", "424242", erased.pk, jean.pk):
        for response in (
            client.get(url, {"other": other}, follow=True),
            client.post(url, {"other": other, "confirm": "1"}, follow=True),
        ):
            assert response.status_code == 200
            assert "cannot be merged" in _messages(response)
    assert Person.objects.filter(pk__in=[jean.pk, erased.pk]).count() == 2


def test_a_wrong_name_to_confirm_erasure_is_shown_in_the_error_summary(client, alice, jean):
    client.force_login(alice)
    for typed in ("", "someone", "Jean"):
        response = client.post(f"/people/{jean.pk}/erase/", {"confirm_name": typed})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'class="error-summary"' in page
        assert 'href="#id_confirm_name"' in page
        assert "Type the person&#x27;s full name exactly to confirm" in page
    jean.refresh_from_db()
    assert jean.anonymised_at is None and jean.email == "jean@example.org"


def test_an_odd_column_field_leaves_the_mapping_as_it_was(client, alice):
    client.force_login(alice)
    job_url = upload(client)["Location"]
    mapping = ImportJob.objects.get().mapping
    response = client.post(job_url, {"map-0": "password", "map-1": "email", "action": "remap"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#map-0"' in page and "Choose a Cairn field from the list" in page
    assert ImportJob.objects.get().mapping == mapping


def test_an_odd_duplicate_decision_or_action_imports_nothing(client, alice, jean):
    client.force_login(alice)
    job_url = upload(client)["Location"]
    form = {"map-0": "full_name", "map-1": "email", "map-2": "phone", "confirm": "1"}
    for odd in ({"dup-2": "both"}, {"dup-x": "merge"}, {"dup-99999999999999999999": "merge"}):
        response = client.post(job_url, form | odd | {"action": "apply"})
        assert response.status_code == 200
        assert "Choose merge or keep both for each likely duplicate" in response.content.decode()
    response = client.post(job_url, form | {"action": "sideways"})
    assert "Choose to update the preview or to import" in response.content.decode()
    assert ImportJob.objects.get().status != "applied"
    assert Person.objects.filter(email="jean@example.org").count() == 1
