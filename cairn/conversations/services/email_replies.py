"""Replies by email: parse an RFC 822 message sent to the notification address and post it.

Each person gets their own reply address per conversation,
`<local>+t<thread id>.p<person id>.<signature>@<domain>` (see `reply_address`): the
signature is an HMAC of the thread, the person and the thread's key, so nobody can
make another member's address, and the sender must be that person's email address.
Where the receiving server wrote Authentication-Results (SPF, DKIM, DMARC), a
failing result means the From: may be forged. A reply that might be forged (a
failing check, a sender other than the address's person, the old shared address)
is held for a coordinator to approve instead of posted. Quoted text, "On ...
wrote:" blocks, forwarded headers and signatures are cut (reply_text), so only
the new words are posted. Anything unreadable is refused with a message that says why.
"""

import hashlib
import hmac
import mailbox
import re
import tempfile
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cairn.conversations.models import HeldReply, HeldStatus, Post, PostChannel, Thread
from cairn.conversations.services import reply_text
from cairn.conversations.services.threads import ConversationError, add_post
from cairn.core import audit
from cairn.members.models import Person

MAX_MESSAGE_BYTES = 5 * 1024 * 1024
# The old address, one key per thread shown to every member: replies to it are held.
SHARED_ADDRESS_RE = re.compile(r"\+t(\d+)\.([0-9a-f]{6,20})@", re.IGNORECASE)
PERSONAL_ADDRESS_RE = re.compile(r"\+t(\d+)\.p(\d+)\.([0-9a-f]{16})@", re.IGNORECASE)


class EmailReplyError(ValueError):
    pass


class AlreadyReceived(EmailReplyError):
    """The same message (by its Message-ID) was posted before: nothing to do."""


def is_mailbox(raw: bytes) -> bool:
    """A mailbox file (mbox, as Thunderbird, Apple Mail and Gmail's Takeout save many
    messages in one): it opens on a "From " separator line, which no header does."""
    return raw.startswith(b"From ")


def split_mailbox(raw: bytes) -> list[bytes]:
    """Each message of a mailbox file, in order, read by the standard library's mbox."""
    with tempfile.NamedTemporaryFile(suffix=".mbox") as file:
        file.write(raw)
        file.flush()
        box = mailbox.mbox(file.name, create=False)
        try:
            return [box.get_bytes(key) for key in box.iterkeys()]
        finally:
            box.close()


def _signature(thread_id: int, person_id: int, thread_key: str) -> str:
    message = f"cairn.reply:{thread_id}.{person_id}.{thread_key.lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]


def reply_address(thread: Thread, person: Person) -> str:
    """This person's own address for replying to this conversation by email."""
    base = getattr(settings, "CAIRN_REPLY_ADDRESS", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    local, _, domain = (base or "cairn@localhost").partition("@")
    signature = _signature(thread.pk, person.pk, thread.reply_key)
    return f"{local}+t{thread.pk}.p{person.pk}.{signature}@{domain or 'localhost'}"


AUTH_METHOD_RE = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)


def authentication_problem(message: EmailMessage) -> str:
    """What the receiving server's Authentication-Results say against the sender, or "".

    Only the topmost header counts: it is the one our own server added; any below it
    came with the message and could be written by anyone. CAIRN_AUTHSERV_ID, when set,
    names our server, and a top header from any other is ignored.
    """
    headers = message.get_all("Authentication-Results") or []
    if not headers:
        return ""
    top = str(headers[0])
    authserv = getattr(settings, "CAIRN_AUTHSERV_ID", "")
    if authserv and top.split(";", 1)[0].strip().lower() != authserv.lower():
        return ""
    results: dict[str, str] = {}
    for method, result in AUTH_METHOD_RE.findall(top):
        results.setdefault(method.lower(), result.lower())
    if not results:
        return ""
    if "dmarc" in results:
        if results["dmarc"] == "pass":
            return ""
        return f"the receiving mail server reports DMARC {results['dmarc']}"
    if "pass" in (results.get("dkim"), results.get("spf")):
        return ""
    found = ", ".join(f"{m.upper()} {r}" for m, r in results.items())
    return f"the receiving mail server reports {found}"


@dataclass
class ParsedReply:
    thread: Thread
    person: Person | None
    sender: str
    text: str
    message_id: str
    # Why it may be forged and must wait for a coordinator; "" when it can be posted.
    hold_reason: str = ""


def strip_quoted(text: str) -> str:
    """The new words of a plain-text reply (see reply_text)."""
    return reply_text.reply_from_text(text)


def _addressee(recipients: list[str], sender: str) -> tuple[Thread, Person | None, list[str]]:
    """The thread and person a reply was sent to, and any reasons to doubt the sender."""
    by_sender = Person.objects.filter(email__iexact=sender, anonymised_at__isnull=True).first()
    for _name, address in getaddresses(recipients):
        if match := PERSONAL_ADDRESS_RE.search(address + "@"):
            thread_id, person_id, signature = int(match[1]), int(match[2]), match[3].lower()
            thread = Thread.objects.filter(pk=thread_id).first()
            if thread is None or not hmac.compare_digest(
                signature, _signature(thread_id, person_id, thread.reply_key)
            ):
                raise EmailReplyError("The reply address does not match any conversation.")
            person = Person.objects.filter(pk=person_id, anonymised_at__isnull=True).first()
            if person is None:
                raise EmailReplyError("The person this reply address was made for is gone.")
            if (person.email or "").strip().lower() == sender:
                return thread, person, []
            return (
                thread,
                person,
                [f"it was sent from {sender}, not from {person.full_name}'s address on file"],
            )
    for _name, address in getaddresses(recipients):
        if match := SHARED_ADDRESS_RE.search(address + "@"):
            thread = Thread.objects.filter(pk=int(match[1])).first()
            if thread is None or thread.reply_key.lower() != match[2].lower():
                raise EmailReplyError("The reply address does not match any conversation.")
            if by_sender is None:
                raise EmailReplyError(
                    f"{sender} is not the email address of a member, so the reply was not posted."
                )
            return (
                thread,
                by_sender,
                ["it was sent to the conversation's old shared address, which every member saw"],
            )
    raise EmailReplyError(
        "The message was not sent to a conversation's reply address (like replies+t12.p3.…@…)."
    )


def parse_reply(raw: bytes) -> ParsedReply:
    """The thread, person, new text and Message-ID of a raw message, or EmailReplyError."""
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
    thread, person, reasons = _addressee(recipients_header, sender)
    if problem := authentication_problem(message):
        reasons.append(problem)
    try:
        text = reply_text.new_text(message)
    except ValueError as exc:
        raise EmailReplyError(str(exc)) from exc
    if not text:
        raise EmailReplyError("The reply has no new text once the quoted message is removed.")
    message_id = str(message.get("Message-ID", "") or "").strip()[:300]
    if not message_id:
        # Mail servers add one; a message saved without it is known by its bytes, so
        # reading the same file (or mailbox) again posts it once.
        message_id = f"<{hashlib.sha256(raw.strip()).hexdigest()[:40]}@no-message-id.cairn>"
    return ParsedReply(thread, person, sender, text, message_id, "; ".join(reasons))


def ingest_email(raw: bytes) -> Post | HeldReply:
    """Post a reply, or hold it for a coordinator when the sender may be forged."""
    reply = parse_reply(raw)
    if reply.hold_reason:
        return hold_reply(reply)
    if reply.message_id and Post.objects.filter(message_id=reply.message_id).exists():
        raise AlreadyReceived("This email reply was already received.")
    try:
        return add_post(
            reply.thread,
            body=reply.text,
            author=reply.person,
            channel=PostChannel.EMAIL,
            message_id=reply.message_id or None,
        )
    except ConversationError as exc:
        raise EmailReplyError(str(exc)) from exc


def hold_reply(reply: ParsedReply) -> HeldReply:
    if reply.message_id:
        existing = HeldReply.objects.filter(message_id=reply.message_id).first()
        if existing is not None:
            return existing  # the same message delivered twice is held once
    held = HeldReply.objects.create(
        thread=reply.thread,
        person=reply.person,
        sender=reply.sender[:320],
        body=reply.text,
        message_id=reply.message_id,
        reason=reply.hold_reason[:500],
    )
    audit.record(None, "conversations.reply_held", held, held.reason)
    return held


def _lock_undecided(held: HeldReply) -> HeldReply:
    """The held reply, locked, refusing one a coordinator has already decided."""
    held = HeldReply.objects.select_for_update().get(pk=held.pk)
    if held.status != HeldStatus.HELD:
        raise EmailReplyError("This reply was already decided.")
    return held


@transaction.atomic
def approve_held(held: HeldReply, actor: Any) -> Post:
    held = _lock_undecided(held)
    try:
        post = add_post(
            held.thread,
            body=held.body,
            author=held.person,
            channel=PostChannel.EMAIL,
            message_id=held.message_id or None,
        )
    except ConversationError as exc:
        raise EmailReplyError(str(exc)) from exc
    held.status, held.post = HeldStatus.APPROVED, post
    held.decided_by, held.decided_at = actor, timezone.now()
    held.save(update_fields=["status", "post", "decided_by", "decided_at"])
    audit.record(actor, "conversations.reply_approved", held, held.sender)
    return post


@transaction.atomic
def reject_held(held: HeldReply, actor: Any) -> HeldReply:
    held = _lock_undecided(held)
    held.status = HeldStatus.REJECTED
    held.decided_by, held.decided_at = actor, timezone.now()
    held.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor, "conversations.reply_rejected", held, held.sender)
    return held
