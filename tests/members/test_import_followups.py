"""The member import's preview offers to register an Eventbrite report's attendees for an
event (as `cairn register-attendees` does): cancelled and refunded left out, capacity and
the waiting list respected, and nothing kept when any registration fails."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cairn.events.models import Event, EventStatus, Registration, RegistrationStatus
from cairn.events.services import registration as registration_service
from cairn.events.services.registration import RegistrationError
from cairn.members import import_jobs
from cairn.members.import_fields import header_score
from cairn.members.import_jobs import uploaded_file
from cairn.members.models import ImportJob, ImportStatus, Person
from cairn.members.tabular import read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "members"
EVENTBRITE = (FIXTURES / "eventbrite_attendees_uk.csv").read_bytes()  # 2 attending, 2 left out
IN_FILE = ["ana@example.org", "ben@example.org", "cara@example.org", "dev@example.org"]


def _imported() -> int:
    return Person.objects.filter(email__in=IN_FILE).count()


def _event(title="Digital inclusion", capacity=10, status=EventStatus.OPEN) -> Event:
    start = timezone.now() + timedelta(days=5)
    return Event.objects.create(
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=status,
        capacity=capacity,
    )


def _upload(client, name="attendees.csv", data=EVENTBRITE) -> ImportJob:
    response = client.post("/people/import/", {"file": SimpleUploadedFile(name, data)})
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _apply(client, job: ImportJob, followup: str):
    table = read_table(uploaded_file(job), job.filename, header_score=header_score)
    form = {f"map-{i}": job.mapping.get(h, "") for i, h in enumerate(table.headers)}
    form.update(action="apply", confirm="1", followup=followup)
    return client.post(f"/people/import/{job.pk}/", form, follow=True)


@pytest.fixture
def coordinator(client, alice):
    client.force_login(alice)
    return client


def test_the_preview_offers_open_events_for_an_eventbrite_report_only(coordinator):
    open_event = _event(capacity=3)
    _event("Closed one", status=EventStatus.CLOSED)
    page = coordinator.get(f"/people/import/{_upload(coordinator).pk}/").content.decode()
    assert "Also register these attendees for an event" in page
    assert f'value="register:{open_event.pk}"' in page
    assert "Digital inclusion (" in page and "3 places left" in page
    assert "Closed one" not in page
    mailchimp = (FIXTURES / "mailchimp_audience.csv").read_bytes()
    other = coordinator.get(f"/people/import/{_upload(coordinator, 'm.csv', mailchimp).pk}/")
    assert "Also register these attendees" not in other.content.decode()


def test_applying_with_an_event_registers_the_attending_people(coordinator):
    event = _event()
    job = _upload(coordinator)
    page = _apply(coordinator, job, f"register:{event.pk}").content.decode()
    assert "registered for Digital inclusion: 2, on the waiting list: 0" in page
    emails = set(Registration.objects.values_list("person__email", flat=True))
    assert emails == {"ana@example.org", "dev@example.org"}  # refunded and cancelled left out
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED and job.report["person_ids"] == []


def test_a_full_event_puts_the_rest_on_the_waiting_list(coordinator):
    event = _event(capacity=1)
    _apply(coordinator, _upload(coordinator), f"register:{event.pk}")
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]


def test_without_a_choice_only_the_people_are_imported(coordinator):
    _event()
    _apply(coordinator, _upload(coordinator), "")
    assert _imported() == 2 and not Registration.objects.exists()


def test_a_failed_registration_keeps_nothing_of_the_import(coordinator, monkeypatch):
    event = _event()
    real = registration_service.register
    calls = []

    def second_fails(event_id, person, **kwargs):
        calls.append(person)
        if len(calls) == 2:
            raise RegistrationError("Registration for this event is not open (Closed).")
        return real(event_id, person, **kwargs)

    monkeypatch.setattr("cairn.events.services.attendee_import.register", second_fails)
    job = _upload(coordinator)
    page = _apply(coordinator, job, f"register:{event.pk}").content.decode()
    assert "is not open" in page
    assert not _imported() and not Registration.objects.exists()
    job.refresh_from_db()
    assert job.status != ImportStatus.APPLIED


def test_an_event_closed_since_the_preview_is_refused_and_nothing_imported(coordinator):
    event = _event()
    job = _upload(coordinator)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    page = _apply(coordinator, job, f"register:{event.pk}").content.decode()
    assert "no longer available" in page
    assert not _imported()


def test_the_worker_applies_the_same_choice(coordinator):
    event = _event()
    job = _upload(coordinator)
    result = import_jobs.apply_import_job(
        lambda *a, **k: None, job.pk, {}, None, followup=f"register:{event.pk}"
    )
    assert "next_url" in result
    assert Registration.objects.filter(event=event).count() == 2
    # Run again (the queue may): applied once.
    import_jobs.apply_import_job(lambda *a, **k: None, job.pk, {}, None, f"register:{event.pk}")
    assert Registration.objects.count() == 2 and _imported() == 2
