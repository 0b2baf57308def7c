"""Replies saved from a mail client as one mailbox file (.mbox: Thunderbird, Apple Mail,
Gmail's Takeout): every message is read, not only the first, and reading it again posts
nothing twice."""

import mailbox
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cairn.conversations.models import Post
from cairn.conversations.services.email_replies import reply_address
from cairn.members.models import Person

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "email"


def _reply(name: str, thread, person) -> bytes:
    message = BytesParser(policy=policy.compat32).parsebytes((FIXTURES / name).read_bytes())
    del message["From"], message["To"]
    message["From"] = person.email
    message["To"] = reply_address(thread, person)
    return message.as_bytes()


def _mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    return path


@pytest.fixture
def ewan(db) -> Person:
    return Person.objects.create(first_name="Ewan", last_name="Ross", email="ewan@food.example")


def test_every_reply_in_a_mailbox_file_is_posted_once(thread, rosie, ewan, tmp_path, capsys):
    path = _mbox(
        tmp_path / "replies.mbox",
        [_reply("outlook.eml", thread, rosie), _reply("thunderbird.eml", thread, ewan)],
    )
    call_command("ingest-email", str(path))
    out = capsys.readouterr().out
    posts = Post.objects.filter(channel="email").order_by("pk")
    # Until now the second reply was read as the first one's epilogue and lost.
    assert [(p.author, p.body) for p in posts] == [(rosie, "Hello"), (ewan, "Hello")]
    assert "2 messages read: 2 posted" in out
    call_command("ingest-email", str(path))  # the same file again
    assert Post.objects.filter(channel="email").count() == 2
    assert "2 already received" in capsys.readouterr().out


def test_a_bad_message_in_a_mailbox_is_named_and_the_others_still_posted(thread, rosie, tmp_path):
    stranger = b"From: someone@else.example\nTo: nobody@else.example\nSubject: Hi\n\nHello\n"
    path = _mbox(tmp_path / "r.mbox", [stranger, _reply("gmail.eml", thread, rosie)])
    with pytest.raises(CommandError) as error:
        call_command("ingest-email", str(path))
    assert "message 1" in str(error.value) and "not sent to a conversation" in str(error.value)
    assert Post.objects.filter(channel="email", author=rosie).count() == 1
