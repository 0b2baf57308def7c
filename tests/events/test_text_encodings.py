"""Every text importer reads a file's encoding the same way (cairn.lib.decoding): chats and
transcripts saved as UTF-16 by Windows tools, Windows-1252 or Shift_JIS come in with their
words intact, the encoding is named, and what cannot be read is refused with the reason."""

import codecs
from email import policy
from email.parser import BytesParser

import pytest

from cairn.contributions.models import Contribution
from cairn.conversations.services.reply_text import new_text
from cairn.events.models import Registration
from cairn.events.services.attendance import import_participant_report
from cairn.events.services.chat_import import import_chat
from cairn.events.services.registration import register
from cairn.lib.decoding import BinaryData, UndecodableText, decode_text
from cairn.members.tabular import read_table
from tests.events.test_attendance import ZOOM_REPORT

CHAT = (
    "12:03:55 From Zoë Brontë to Everyone:\n"
    "\tThe café by the station closes at five — too early\n"
    "12:04:10 From Renée Müller to Everyone:\n"
    "\tOur tenants went back to letters and phone trees\n"
)
JAPANESE_CHAT = (
    "12:03:55 From 山田太郎 to Everyone:\n"
    "\tこんにちは、皆さん。今日はよろしくお願いします。\n"
    "12:04:10 From 佐藤花子 to Everyone:\n"
    "\t地域のバスが早く止まるので困っています。\n"
)
JAPANESE_VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v 山田太郎>こんにちは、皆さん。今日はよろしくお願いします。</v>\n\n"
    "00:00:05.000 --> 00:00:08.000\n<v 佐藤花子>地域のバスが早く止まるので困っています。</v>\n"
)


def utf16le_bom(text: str) -> bytes:  # Notepad's "Unicode", Teams' and Excel's exports
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def utf16be_bom(text: str) -> bytes:
    return codecs.BOM_UTF16_BE + text.encode("utf-16-be")


def _words(event) -> list[tuple[str, str]]:
    rows = Contribution.objects.filter(event=event).order_by("said_at", "pk")
    return [(c.author_name, c.text) for c in rows]


@pytest.mark.parametrize(
    ("encode", "named"),
    [
        (utf16le_bom, "UTF-16"),
        (utf16be_bom, "UTF-16"),
        (lambda t: codecs.BOM_UTF8 + t.encode(), ""),
        (lambda t: t.encode("cp1252"), "Windows-1252"),
    ],
    ids=["utf-16-le-bom", "utf-16-be-bom", "utf-8-sig", "windows-1252"],
)
def test_a_chat_in_a_windows_encoding_keeps_its_words(event, encode, named):
    report = import_chat(event, encode(CHAT), "chat.txt", actor=None)
    assert report.ok, report.errors
    assert _words(event) == [
        ("Zoë Brontë", "The café by the station closes at five — too early"),
        ("Renée Müller", "Our tenants went back to letters and phone trees"),
    ]
    notes = [w for w in report.warnings if "not UTF-8" in w]
    assert notes == ([f"The file is not UTF-8; it was read as {named}."] if named else [])


@pytest.mark.parametrize("name", ["chat.txt", "meeting.vtt"])
def test_a_shift_jis_chat_or_transcript_is_read_as_shift_jis(event, name):
    text = JAPANESE_CHAT if name == "chat.txt" else JAPANESE_VTT
    report = import_chat(event, text.encode("shift_jis"), name, actor=None)
    assert report.ok, report.errors
    assert _words(event) == [
        ("山田太郎", "こんにちは、皆さん。今日はよろしくお願いします。"),
        ("佐藤花子", "地域のバスが早く止まるので困っています。"),
    ]
    assert "The file is not UTF-8; it was read as Shift_JIS." in report.warnings


def test_a_utf16_transcript_and_one_without_a_byte_order_mark_are_read(event):
    vtt = JAPANESE_VTT.replace("山田太郎", "Jane Doe")
    assert import_chat(event, utf16le_bom(vtt), "a.vtt", actor=None).ok
    Contribution.objects.all().delete()
    # Some tools write UTF-16 with no mark at all: its zero bytes say which order.
    report = import_chat(event, CHAT.encode("utf-16-le"), "chat.txt", actor=None)
    assert report.ok, report.errors
    assert _words(event)[0] == ("Zoë Brontë", "The café by the station closes at five — too early")


def test_a_chat_mixing_encodings_or_binary_is_refused_with_the_reason(event):
    mixed = CHAT.encode() + "12:05:00 From Bill to Everyone:\n\tMerci beaucoup\xe9\n".encode(
        "cp1252"
    )
    report = import_chat(event, mixed, "chat.txt", actor=None)
    assert not report.ok
    assert report.errors[0].startswith("The file mixes two text encodings")
    assert "lines 1, 2, 3 are UTF-8, line 6 is not" in report.errors[0]
    garbage = bytes(range(256)) * 20
    refused = import_chat(event, garbage, "chat.txt", actor=None)
    assert len(refused.errors) == 1 and "binary" in refused.errors[0]
    assert not Contribution.objects.exists()


def test_a_participant_report_saved_as_utf16_is_read(event, person_factory, alice):
    jane = person_factory("Jane", "Doe", email="jane@example.org")
    register(event.pk, jane)
    report = import_participant_report(event, utf16le_bom(ZOOM_REPORT), "p.csv", actor=alice)
    assert report.ok, report.errors
    assert Registration.objects.get(person=jane).attended


def test_an_email_without_a_charset_is_read_as_the_importers_read_text():
    raw = (
        b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Re: buses\r\n"
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "The café closes early — again.\r\n".encode("cp1252")
    )
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert new_text(message) == "The café closes early — again."


def test_a_csv_in_utf16_or_shift_jis_reads_as_the_chats_do():
    table = read_table(utf16be_bom("Name,Email\nZoë,zoe@example.org\n"))
    assert list(table.rows()) == [(2, ["Zoë", "zoe@example.org"])]
    text = "名前,メール\n山田太郎,taro@example.jp\n佐藤花子,hanako@example.jp\n"
    assert read_table(text.encode("shift_jis")).headers == ["名前", "メール"]


def test_the_shared_reading():
    assert decode_text(codecs.BOM_UTF32_LE + "Zoë".encode("utf-32-le")).text == "Zoë"
    assert decode_text("Zoë".encode("utf-16")).label == "UTF-16"
    assert decode_text(b"caf\xe9").label == "Windows-1252"
    assert decode_text(JAPANESE_CHAT.encode("shift_jis")).label == "Shift_JIS"
    with pytest.raises(BinaryData):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(UndecodableText, match="says it is UTF-16 but is not"):
        decode_text(codecs.BOM_UTF16_LE + b"\x00\xd8a")  # a lone surrogate
