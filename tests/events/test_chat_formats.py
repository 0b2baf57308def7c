"""Parsing the chats and transcripts people actually have (no database)."""

from datetime import timedelta

from cairn.events.chat_formats import VTT, ZOOM_CLOUD, ZOOM_NEW, ZOOM_OLD, decode, parse

OLD = (
    "12:03:55\t From  Jane Doe : Hello everyone\n"
    "12:04:10\t From  Sam Bell : Our tenants went back to letters\n"
    "and phone trees, which worked\n"
    "12:04:30\t From  Jane Doe  to  Sam Bell(Privately) : can you stay on after?\n"
    "12:05:00\t From  Bill Henderson : Thanks all\n"
)

NEW = (
    "12:03:55 From Jane Doe to Everyone:\n"
    "\tHello everyone\n"
    "12:04:10 From Sam Bell to Everyone:\n"
    "\tOur tenants went back to letters\n"
    "\tand phone trees, which worked\n"
    "12:04:30 From Jane Doe to Sam Bell(Direct Message):\n"
    "\tcan you stay on after?\n"
    "12:05:00 From Bill Henderson to Everyone:\n"
    "\tThanks all\n"
)

CLOUD = (
    "00:02:13\tJane Doe:\tHello everyone\n"
    "00:03:40\tSam Bell:\tOur tenants went back to letters\n"
    "00:05:01\tBill Henderson:\tThanks all\n"
)

ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.500
Jane Doe: Welcome, everyone, to the learning event.

2
00:00:05.000 --> 00:00:09.000
Sam Bell: Our tenants went back to letters
and phone trees, which worked.
"""

TEAMS_VTT = """WEBVTT

3c1b2f2a-1/12-0
00:00:01.000 --> 00:00:04.500
<v Jane Doe>Welcome, everyone,</v>

3c1b2f2a-1/13-0
00:00:05.000 --> 00:00:09.000
<v Sam Bell>Our tenants went back to letters
and phone trees.</v>
"""


def summary(result):
    return [(m.speaker, m.text) for m in result.messages]


def test_the_older_zoom_local_save_is_read_with_multi_line_messages():
    result = parse(OLD)
    assert result.format == ZOOM_OLD
    assert summary(result) == [
        ("Jane Doe", "Hello everyone"),
        ("Sam Bell", "Our tenants went back to letters\nand phone trees, which worked"),
        ("Bill Henderson", "Thanks all"),
    ]
    assert result.messages[1].line == 2 and result.messages[1].time == "12:04:10"


def test_the_newer_zoom_local_save_is_read_with_tab_indented_lines():
    result = parse(NEW)
    assert result.format == ZOOM_NEW
    assert summary(result) == [
        ("Jane Doe", "Hello everyone"),
        ("Sam Bell", "Our tenants went back to letters\nand phone trees, which worked"),
        ("Bill Henderson", "Thanks all"),
    ]


def test_private_and_direct_messages_are_skipped_and_counted():
    assert parse(OLD).private_skipped == 1
    assert parse(NEW).private_skipped == 1
    assert all("stay on after" not in m.text for m in parse(NEW).messages + parse(OLD).messages)


def test_the_zoom_cloud_recording_chat_is_read_with_offsets():
    result = parse(CLOUD)
    assert result.format == ZOOM_CLOUD
    assert summary(result)[1] == ("Sam Bell", "Our tenants went back to letters")
    assert result.messages[0].offset == timedelta(minutes=2, seconds=13)


def test_zoom_transcripts_name_the_speaker_before_a_colon():
    result = parse(ZOOM_VTT)
    assert result.format == VTT
    assert summary(result) == [
        ("Jane Doe", "Welcome, everyone, to the learning event."),
        ("Sam Bell", "Our tenants went back to letters and phone trees, which worked."),
    ]
    assert result.messages[1].offset == timedelta(seconds=5)


def test_teams_transcripts_name_the_speaker_in_a_voice_tag():
    result = parse(TEAMS_VTT)
    assert summary(result) == [
        ("Jane Doe", "Welcome, everyone,"),
        ("Sam Bell", "Our tenants went back to letters and phone trees."),
    ]


def test_a_malformed_chat_is_reported_line_by_line():
    broken = OLD + "12:06:00 garbled line\nstray\n"
    broken = "stray text before anything\n" + broken
    result = parse(broken)
    # First line is not a chat line, so the form cannot even be recognised.
    assert not result.ok and result.errors[0].line == 1
    result = parse(OLD + "12:06:00 garbled line\n")
    assert [(e.line, e.reason) for e in result.errors] == [
        (6, "a timed line not in the zoom-local-old form")
    ]


def test_a_newer_form_message_line_without_its_tab_is_reported():
    result = parse(NEW.replace("\tThanks all", "Thanks all"))
    assert [(e.line, e.reason) for e in result.errors] == [
        (8, "a message with no text"),
        (9, "message text should be indented with a tab"),
    ]


def test_a_transcript_with_a_bad_cue_timing_is_reported_with_its_line():
    result = parse(ZOOM_VTT.replace("00:00:05.000 --> 00:00:09.000", "00:00:05 -> 9"))
    assert [e.line for e in result.errors] == [8]
    result = parse(
        ZOOM_VTT.replace("00:00:05.000 --> 00:00:09.000", "00:00:09.000 --> 00:00:05.000")
    )
    assert result.errors[0].reason == "a cue that ends before it starts"


def test_an_unknown_or_empty_file_is_refused():
    assert parse("").errors[0].reason == "the file is empty"
    assert parse("Name,Email\nJane,jane@example.org\n").format == "unknown"


def test_files_in_other_encodings_are_read():
    assert decode("12:03:55\t From  Zoë : café\n".encode("cp1252")).text.endswith("café\n")
    assert decode("\ufeffWEBVTT\n".encode()).text.startswith("WEBVTT")
    assert decode("WEBVTT\n".encode("utf-16")).text.startswith("WEBVTT")
