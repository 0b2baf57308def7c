"""Hostile and garbled input is reported, never a 500 and never silently misread: huge
cells and lines, a quote mark never closed, mixed or non-Western encodings, a chat cut
short; and random or truncated input to every importer writes nothing half-way."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.events import chat_formats
from cairn.members.importer import run_import
from cairn.members.models import Person
from cairn.members.tabular import MAX_FIELD_CHARS, UnreadableFile, read_table
from tests.events.conftest import event  # noqa: F401

MEMBERS = "First name,Last name,Email,Town\n"


def test_a_5mb_cell_at_the_member_import_preview_names_the_limit(client, alice):
    data = (MEMBERS + 'Ada,Lovelace,"' + "x" * 5_000_000 + '",London\n').encode()
    client.force_login(alice)
    before = Person.objects.count()
    response = client.post(
        reverse("members:import"),
        {"file": SimpleUploadedFile("members.csv", data, content_type="text/csv")},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Line 2 has a cell longer than {MAX_FIELD_CHARS:,} characters" in page
    assert Person.objects.count() == before


def test_a_3mb_chat_line_is_refused_with_the_limit():
    result = chat_formats.parse("00:02:13\tJane Doe:\t" + "x" * 3_000_000 + "\n")
    assert not result.ok and not result.messages
    assert "3,000,019 characters long" in result.errors[0].reason
    assert "at most 100,000" in result.errors[0].reason


@pytest.mark.parametrize(
    "text, line",
    [
        (
            MEMBERS + 'Ada,Lovelace,ada@example.org,London\n"Bob,Bell,bob@example.org,Leeds\n'
            "Cy,Cole,cy@example.org,York\nDi,Dunn,di@example.org,Hull\n",
            3,
        ),
        (
            MEMBERS + 'Ada,"Love,ada@example.org,London\nBob,Bell,bob@example.org,Leeds\n'
            'Cy,"Cole,cy@example.org,York\nDi,Dunn,di@example.org,Hull\n',
            2,
        ),
    ],
    ids=["open to the end", "closed rows later"],
)
def test_a_quote_mark_never_closed_is_reported_with_its_line(text, line):
    # Before, the rows after it vanished into one cell without a word.
    with pytest.raises(UnreadableFile, match=f"^Line {line}: a quote mark"):
        list(read_table(text.encode()).rows())
    try:  # found while looking for the header row, or further down
        problems = run_import(text.encode(), "members.csv").problems
    except UnreadableFile as error:
        problems = [str(error)]
    assert problems[0].startswith(f"Line {line}: a quote mark")


def test_an_address_over_two_lines_is_still_one_cell():
    text = (
        MEMBERS.replace("Town", "Address") + 'Ada,Lovelace,ada@example.org,"1 High St,\nFlat 2"\n'
    )
    assert list(read_table(text.encode()).rows()) == [
        (2, ["Ada", "Lovelace", "ada@example.org", "1 High St,\nFlat 2"])
    ]


def test_a_file_mixing_utf8_and_latin1_is_refused_naming_the_lines():
    data = (
        (MEMBERS + "José,Núñez,jose@example.org,Málaga\n").encode("utf-8")
        + "Renée,Müller,renee@example.org,Zürich\n".encode("latin-1")
        + "Zoë,Brontë,zoe@example.org,Haworth\n".encode()
    )
    with pytest.raises(UnreadableFile) as caught:
        read_table(data)
    assert "lines 2, 4 are UTF-8, line 3 is not" in str(caught.value)


def test_a_shift_jis_file_is_read_as_shift_jis_not_windows_1252():
    text = "名前,メール,町\n山田太郎,taro@example.jp,東京\n佐藤花子,hanako@example.jp,大阪\n"
    table = read_table(text.encode("shift_jis"))
    assert table.encoding in ("cp932", "shift_jis")
    assert table.headers == ["名前", "メール", "町"]
    assert list(table.rows())[1] == (3, ["佐藤花子", "hanako@example.jp", "大阪"])


def test_a_latin1_file_is_still_read_as_windows_1252():
    data = (MEMBERS + "José,Núñez,jose@example.org,Málaga\n").encode("latin-1")
    table = read_table(data)
    assert table.encoding == "windows-1252"
    assert list(table.rows()) == [(2, ["José", "Núñez", "jose@example.org", "Málaga"])]


@pytest.mark.parametrize(
    "text",
    [
        "00:02:13\tJane Doe:\tHello all\n00:02:20\tSam Bell:\tWe met on Tuesday\n00:02:3",
        "12:03:55\t From  Jane Doe : Hello\n12:04:01\t From  Sam : second\n12:04",
    ],
    ids=["zoom cloud", "zoom local"],
)
def test_a_chat_cut_short_in_its_last_line_is_reported_not_glued(text):
    result = chat_formats.parse(text)
    assert not result.ok
    assert result.errors[-1].line == 3 and "cut short" in result.errors[-1].reason


def test_a_whole_chat_without_a_final_line_break_is_fine():
    result = chat_formats.parse("12:03:55\t From  Jane Doe : Hello\n12:04:01\t From  Sam : second")
    assert result.ok and [m.text for m in result.messages] == ["Hello", "second"]


# --- random and truncated input to the importers that had no property test ---------------

ATTENDANCE = (
    b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
    b"Ada Lovelace,ada@example.org,05/01/2026 10:00:00 AM,05/01/2026 11:00:00 AM,60\n"
    b"Bob Bell,bob@example.org,05/01/2026 10:05:00 AM,05/01/2026 11:00:00 AM,55\n"
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(min_value=0, max_value=len(ATTENDANCE)), st.binary(max_size=40))
def test_attendance_reports_cut_or_spoilt_are_read_or_refused_never_half_applied(
    event,  # noqa: F811
    alice,
    cut,
    junk,
):
    from cairn.events.models import Registration
    from cairn.events.services.attendance import import_participant_report

    before = set(Registration.objects.filter(attended=True).values_list("pk", flat=True))
    report = import_participant_report(event, ATTENDANCE[:cut] + junk, "r.csv", actor=alice)
    after = set(Registration.objects.filter(attended=True).values_list("pk", flat=True))
    if not report.ok:
        assert report.errors and after == before


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=3000))
def test_random_bytes_as_an_email_reply_are_refused_with_a_reason(raw):
    from cairn.conversations.models import Post
    from cairn.conversations.services.email_replies import EmailReplyError, ingest_email

    with pytest.raises(EmailReplyError):
        ingest_email(raw)
    assert not Post.objects.exists()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=3000))
def test_random_text_as_a_chat_is_parsed_or_reported_never_a_crash(text):
    result = chat_formats.parse(text)
    assert result.ok or result.errors or not result.messages


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_as_a_member_list_are_read_or_refused_with_a_reason(data):
    try:
        report = run_import(data, "x.csv")
    except UnreadableFile as error:
        assert str(error)
    else:
        assert report.problems or report.rows >= 0
