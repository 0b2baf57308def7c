from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command

from cairn.conversations.models import Post
from cairn.conversations.services.email_replies import (
    EmailReplyError,
    ingest_email,
    reply_address,
    strip_quoted,
)


def _email(
    to,
    sender="Rosie <rosie@library.example>",
    body="Keep the digital help sessions.",
    message_id="<1@x>",
):
    message = EmailMessage()
    if sender:
        message["From"] = sender
    if to:
        message["To"] = to
    message["Subject"] = "Re: What have we learned?"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    return bytes(message)


def test_an_email_reply_is_posted_without_the_quoted_message_or_signature(thread, rosie):
    body = (
        "Keep the digital help sessions.\nAnd the phone calls.\n\n-- \nRosie, Libraries\n\n"
        "On Tue, 3 Nov 2026 at 10:00, Aileen <a@x>\nwrote:\n> Over to you.\n"
    )
    post = ingest_email(_email(reply_address(thread, rosie), body=body))
    assert post.body == "Keep the digital help sessions.\nAnd the phone calls."
    assert (post.author, post.channel) == (rosie, "email")
    assert post.contribution.channel == "email"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Yes!\n\n-----Original Message-----\nFrom: A\nOld", "Yes!"),
        ("Agreed.\nSent from my iPhone", "Agreed."),
        ("Good idea\n> quoted\n> more", "Good idea"),
        ("Fine.\n\nFrom: Cairn <cairn@x>\nSent: Monday\nOld text", "Fine."),
        ("On the other hand, buses matter.", "On the other hand, buses matter."),
    ],
)
def test_quoted_text_and_signatures_are_cut(text, expected):
    assert strip_quoted(text) == expected


def test_an_html_only_reply_is_read_as_text(thread, rosie):
    message = EmailMessage()
    message["From"] = "rosie@library.example"
    message["To"] = reply_address(thread, rosie)
    message.set_content(
        "<p>Hello <b>all</b></p><blockquote>Over to you.</blockquote>", subtype="html"
    )
    assert ingest_email(bytes(message)).body == "Hello all"


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "The file is empty"),
        (b"this is not an email at all", "no headers"),
        (b"To: replies+t1.abc@x\n\nHello", "no valid From address"),
        (b"From: rosie@library.example\n\nHello", "no To address"),
        (
            b"From: rosie@library.example\nTo: someone@else.example\n\nHi",
            "not sent to a conversation's reply address",
        ),
        (
            b"From: rosie@library.example\nTo: replies+t999.abcdef@x\n\nHi",
            "does not match any conversation",
        ),
    ],
)
def test_malformed_or_misaddressed_messages_are_refused_clearly(thread, rosie, raw, reason):
    with pytest.raises(EmailReplyError, match=reason):
        ingest_email(raw)
    assert Post.objects.count() == 1


def test_a_stranger_a_wrong_key_or_an_empty_reply_is_refused(thread, rosie):
    from cairn.conversations.models import HeldReply

    held = ingest_email(_email(reply_address(thread, rosie), sender="spam@elsewhere.example"))
    assert isinstance(held, HeldReply)  # not posted: a coordinator decides
    address = reply_address(thread, rosie)
    signature = address.split("@")[0].rsplit(".", 1)[1]
    wrong_key = address.replace(signature, "0" * 16)
    with pytest.raises(EmailReplyError, match="does not match any conversation"):
        ingest_email(_email(wrong_key, message_id="<2@x>"))
    with pytest.raises(EmailReplyError, match="no new text"):
        ingest_email(_email(reply_address(thread, rosie), body="> Over to you.\n"))


def test_the_same_email_delivered_twice_is_posted_once(thread, rosie):
    ingest_email(_email(reply_address(thread, rosie)))
    with pytest.raises(EmailReplyError, match="already received"):
        ingest_email(_email(reply_address(thread, rosie)))
    assert Post.objects.count() == 2


def test_the_cli_posts_a_reply_and_refuses_a_malformed_one(thread, rosie, tmp_path, capsys):
    good = tmp_path / "reply.eml"
    good.write_bytes(_email(reply_address(thread, rosie)))
    call_command("ingest-email", str(good))
    assert "Posted the reply from Rosie Campbell" in capsys.readouterr().out
    bad = tmp_path / "bad.eml"
    bad.write_bytes(b"garbage without headers")
    with pytest.raises(CommandError, match="Reply refused: This is not an email message"):
        call_command("ingest-email", str(bad))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("ingest-email", str(tmp_path / "missing.eml"))
