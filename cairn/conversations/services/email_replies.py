"""Replies by email: parse an RFC 822 message sent to the notification address and post it.

The address is `<local>+t<thread id>.<key>@<domain>` (see `reply_address`). The sender must
be a member on file with that email address. Quoted text, "On ... wrote:" blocks, forwarded
headers and signatures are cut (reply_text), so only the new words are posted. Anything that cannot be
trusted or read is refused with a message that says why.
"""

import re
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from django.conf import settings

from cairn.conversations.models import Post, PostChannel, Thread
from cairn.conversations.services import reply_text
from cairn.conversations.services.threads import ConversationError, add_post
from cairn.members.models import Person

MAX_MESSAGE_BYTES = 5 * 1024 * 1024
ADDRESS_RE = re.compile(r"\+t(\d+)\.([0-9a-f]{6,20})@", re.IGNORECASE)


class EmailReplyError(ValueError):
    pass


def reply_address(thread: Thread) -> str:
    base = getattr(settings, "CAIRN_REPLY_ADDRESS", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    local, _, domain = (base or "cairn@localhost").partition("@")
    return f"{local}+t{thread.pk}.{thread.reply_key}@{domain or 'localhost'}"


def strip_quoted(text: str) -> str:
    """The new words of a plain-text reply (see reply_text)."""
    return reply_text.reply_from_text(text)


def parse_reply(raw: bytes) -> tuple[Thread, Person, str, str]:
    """(thread, sender, new text, Message-ID) from a raw message, or EmailReplyError."""
    if not raw or not raw.strip():
        raise EmailReplyError("The file is empty: expected an email message (RFC 822).")
    if len(raw) > MAX_MESSAGE_BYTES:
        raise EmailReplyError("The message is larger than 5 MB; replies are refused above that.")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; anything it raises means unreadable input
        raise EmailReplyError(f"This is not a readable email message: {exc}.") from exc
    if not message.keys():
        raise EmailReplyError("This is not an email message: it has no headers.")
    try:
        sender_header = str(message.get("From", "") or "")
        recipients_header = [
            str(message.get(h, "") or "") for h in ("To", "Cc", "Delivered-To", "X-Original-To")
        ]
    except Exception as exc:  # malformed header values surface here with policy.default
        raise EmailReplyError(f"A header could not be read: {exc}.") from exc
    sender = parseaddr(sender_header)[1].strip().lower()
    if not sender or "@" not in sender:
        raise EmailReplyError(
            "The message has no valid From address, so we cannot tell who sent it."
        )
    if not any(recipients_header):
        raise EmailReplyError("The message has no To address.")
    match = None
    for _name, address in getaddresses(recipients_header):
        match = ADDRESS_RE.search(address + "@") or ADDRESS_RE.search(address)
        if match:
            break
    if match is None:
        raise EmailReplyError(
            "The message was not sent to a conversation's reply address (like replies+t12.abc123@…)."
        )
    thread = Thread.objects.filter(pk=int(match.group(1))).first()
    if thread is None or thread.reply_key.lower() != match.group(2).lower():
        raise EmailReplyError("The reply address does not match any conversation.")
    person = Person.objects.filter(email__iexact=sender, anonymised_at__isnull=True).first()
    if person is None:
        raise EmailReplyError(
            f"{sender} is not the email address of a member, so the reply was not posted."
        )
    try:
        text = reply_text.new_text(message)
    except ValueError as exc:
        raise EmailReplyError(str(exc)) from exc
    if not text:
        raise EmailReplyError("The reply has no new text once the quoted message is removed.")
    message_id = str(message.get("Message-ID", "") or "").strip()[:300]
    return thread, person, text, message_id


def ingest_email(raw: bytes) -> Post:
    thread, person, text, message_id = parse_reply(raw)
    try:
        return add_post(
            thread,
            body=text,
            author=person,
            channel=PostChannel.EMAIL,
            message_id=message_id or None,
        )
    except ConversationError as exc:
        raise EmailReplyError(str(exc)) from exc
