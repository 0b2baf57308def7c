"""A check of a chat keeps the file, and its page imports what it counted with one press
("Import these N messages"): the file is not chosen twice. A check is imported once,
however often the button is pressed or in however many tabs; a check whose figures no
longer hold is checked again first; an old one imports nothing."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from cairn.contributions.models import Contribution
from cairn.core.models import AuditEntry
from cairn.events.models import ChatImport, ChatImportStatus
from cairn.events.services import chat_import
from tests.concurrency import at_once
from tests.jobs.conftest import db_queue, run_worker  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat"


@pytest.fixture
def past_event(event):
    event.starts_at -= timedelta(days=20)
    event.ends_at -= timedelta(days=20)
    event.save()
    return event


def check(client, event, name: str, **form):
    data = (FIXTURES / name).read_bytes()
    return client.post(
        f"/events/{event.pk}/import-chat/",
        {"file": SimpleUploadedFile(name, data), "dry_run": "on", **form},
        follow=True,
    )


def import_url(event, record) -> str:
    return f"/events/{event.pk}/import-chat/{record.pk}/import/"


@pytest.mark.parametrize(
    ("name", "messages"), [("zoom_local_new.txt", 8), ("teams_chat.txt", None)]
)
def test_a_checked_chat_is_imported_from_its_page_without_choosing_the_file_again(
    client, past_event, alice, name, messages
):
    client.force_login(alice)
    page = check(client, past_event, name).content.decode()
    record = ChatImport.objects.get()
    assert record.status == ChatImportStatus.CHECKED and record.file  # the file is kept
    n = record.report["would_import"]
    assert n > 0 and (messages is None or n == messages)
    assert f"{n} messages would be imported." in page
    assert f"Import these {n} messages" in page
    assert f'action="{import_url(past_event, record)}"' in page
    assert not Contribution.objects.exists()

    done = client.post(import_url(past_event, record), follow=True).content.decode()

    assert Contribution.objects.filter(event=past_event).count() == n
    assert f"{n} messages imported." in done
    record.refresh_from_db()
    assert record.status == ChatImportStatus.APPLIED and not record.file  # let go once read
    assert ChatImport.objects.count() == 1
    assert "Import these" not in done


def test_pressing_import_twice_or_in_two_tabs_imports_once(client, past_event, alice):
    client.force_login(alice)
    check(client, past_event, "zoom_local_new.txt")
    record = ChatImport.objects.get()
    client.post(import_url(past_event, record))
    again = client.post(import_url(past_event, record), follow=True).content.decode()
    assert "already imported from this check" in again
    assert Contribution.objects.filter(event=past_event).count() == 8
    assert AuditEntry.objects.filter(action="event.chat_imported").count() == 1


def test_the_claim_on_a_check_is_taken_once(past_event, alice, monkeypatch):
    """Two presses that both read the check before either claimed it: one imports."""
    record = chat_import.check_chat_file(
        past_event, (FIXTURES / "zoom_local_new.txt").read_bytes(), "chat.txt", actor=alice
    )
    stale_copy = ChatImport.objects.get(pk=record.pk)
    _first, done = chat_import.import_checked_chat(record, actor=alice)
    assert done == chat_import.CheckOffer.IMPORT
    # The second press still holds the check as it was before the first claimed it.
    stale_copy.status = ChatImportStatus.CHECKED
    stale_copy.dry_run = True
    monkeypatch.setattr(chat_import, "check_offer", lambda r: chat_import.CheckOffer.IMPORT)
    _second, done = chat_import.import_checked_chat(stale_copy, actor=alice)
    assert done == chat_import.CheckOffer.USED
    assert Contribution.objects.filter(event=past_event).count() == 8


def test_a_check_made_before_another_import_is_checked_again_before_importing(
    client, past_event, alice
):
    client.force_login(alice)
    check(client, past_event, "zoom_local_new.txt")
    first = ChatImport.objects.get()
    # The same file imported meanwhile (another tab, another coordinator).
    chat_import.import_chat(
        past_event, (FIXTURES / "zoom_local_new.txt").read_bytes(), "copy.txt", actor=alice
    )
    page = client.get(first.get_absolute_url()).content.decode()
    assert "these figures may no longer hold" in page
    assert "Check the file again" in page and "Import these" not in page

    again = client.post(import_url(past_event, first), follow=True).content.decode()

    assert "checked again" in again
    first.refresh_from_db()
    assert first.status == ChatImportStatus.REFUSED  # every message is in already
    assert "were imported for this event before" in again
    assert Contribution.objects.filter(event=past_event).count() == 8


def test_an_old_check_imports_nothing_and_its_file_is_let_go(
    client, past_event, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    check(client, past_event, "zoom_local_new.txt")
    record = ChatImport.objects.get()
    stored = record.file.name
    ChatImport.objects.filter(pk=record.pk).update(
        finished_at=timezone.now() - chat_import.CHECK_KEEP - timedelta(minutes=1)
    )
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Import these" not in page and "choose the file again" in page
    response = client.post(import_url(past_event, record), follow=True)
    assert response.redirect_chain[-1][0] == f"/events/{past_event.pk}/import-chat/"
    assert "choose the file again" in response.content.decode()
    assert not Contribution.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert chat_import.let_go_of_old_checks() == 1
    record.refresh_from_db()
    assert not record.file and not default_storage.exists(stored)


def test_a_check_that_finds_problems_offers_no_import_and_keeps_no_file(client, past_event, alice):
    client.force_login(alice)
    data = (FIXTURES / "zoom_local_new.txt").read_bytes() + b"12:06:00 garbled\n"
    page = client.post(
        f"/events/{past_event.pk}/import-chat/",
        {"file": SimpleUploadedFile("chat.txt", data), "dry_run": "on"},
        follow=True,
    ).content.decode()
    record = ChatImport.objects.get()
    assert record.status == ChatImportStatus.REFUSED and not record.file
    assert "Nothing was imported" in page and "Import these" not in page
    assert client.post(import_url(past_event, record)).status_code == 302
    assert not Contribution.objects.exists()


def test_an_event_still_to_come_asks_for_the_tick_on_the_import_button(client, event, alice):
    client.force_login(alice)
    page = check(client, event, "zoom_local_new.txt").content.decode()
    record = ChatImport.objects.get()
    assert 'id="id_import_not_started_ok"' in page
    refused = client.post(import_url(event, record), follow=True).content.decode()
    assert "Tick the box to import anyway" in refused
    assert not Contribution.objects.exists()
    client.post(import_url(event, record), {"not_started_ok": "on"})
    assert Contribution.objects.filter(event=event).count() == 8


@pytest.mark.usefixtures("db_queue")
def test_a_large_check_by_the_worker_is_imported_by_the_worker_from_its_page(
    client, past_event, alice, monkeypatch
):
    monkeypatch.setattr(chat_import, "BACKGROUND_BYTES", 100)
    client.force_login(alice)
    check(client, past_event, "zoom_local_new.txt")
    run_worker()
    record = ChatImport.objects.get()
    assert record.status == ChatImportStatus.CHECKED and record.file
    assert "Import these 8 messages" in client.get(record.get_absolute_url()).content.decode()
    waiting = client.post(import_url(past_event, record), follow=True).content.decode()
    assert "Importing zoom_local_new.txt" in waiting
    assert not Contribution.objects.exists()
    run_worker()
    assert Contribution.objects.filter(event=past_event).count() == 8
    record.refresh_from_db()
    assert record.status == ChatImportStatus.APPLIED


def test_erasing_someone_lets_go_of_the_files_kept_by_checks(
    past_event, alice, django_capture_on_commit_callbacks
):
    """A kept check file may hold the erased person's words: it goes with the erasure."""
    from cairn.members.services import erase_person
    from tests.events.conftest import make_person

    record = chat_import.check_chat_file(
        past_event, (FIXTURES / "zoom_local_new.txt").read_bytes(), "chat.txt", actor=alice
    )
    stored = record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(make_person("Antoine", "Zeller"), alice)
    record.refresh_from_db()
    assert not record.file and not default_storage.exists(stored)
    assert chat_import.check_offer(record) == chat_import.CheckOffer.EXPIRED


def test_after_an_import_the_page_leads_to_the_events_contributions_and_the_list_keeps_it(
    client, past_event, alice
):
    """The import's page ended at a count, with no way on to what was imported; and the
    contributions list cut to one event neither said so nor kept it when filtered."""
    client.force_login(alice)
    check(client, past_event, "zoom_local_new.txt")
    record = ChatImport.objects.get()
    done = client.post(import_url(past_event, record), follow=True).content.decode()
    link = f"/contributions/?event={past_event.pk}"
    assert f'href="{link}"' in done
    listing = client.get(link).content.decode()
    assert f'Contributions to <a href="/events/{past_event.pk}/">{past_event.title}</a>' in listing
    assert f'<input type="hidden" name="event" value="{past_event.pk}">' in listing
    assert "8 contributions" in listing


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the suite")
@pytest.mark.django_db(transaction=True)
def test_presses_at_the_same_moment_in_several_tabs_import_once(past_event, alice):
    record = chat_import.check_chat_file(
        past_event, (FIXTURES / "zoom_local_new.txt").read_bytes(), "chat.txt", actor=alice
    )
    answers, errors = at_once(
        4,
        lambda mine: chat_import.import_checked_chat(mine, actor=alice)[1],
        prepare=lambda: ChatImport.objects.select_related("event").get(pk=record.pk),
    )
    assert errors == []
    assert sorted(answers) == ["import", "used", "used", "used"]
    assert Contribution.objects.filter(event=past_event).count() == 8
    assert AuditEntry.objects.filter(action="event.chat_imported").count() == 1
