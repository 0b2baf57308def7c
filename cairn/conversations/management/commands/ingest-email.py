"""`cairn ingest-email FILE.eml` (or `-` for standard input, as a mail server pipes it).

A mailbox file (.mbox) saved from a mail client is read message by message: each reply
is posted or held on its own, one already received is skipped, and every refused one is
named with its number and reason (exit 1), the others being posted all the same.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.conversations.models import HeldReply
from cairn.conversations.services.email_replies import (
    AlreadyReceived,
    EmailReplyError,
    ingest_email,
    is_mailbox,
    split_mailbox,
)


class Command(BaseCommand):
    help = "Post an email reply (or each reply of a .mbox file) to its conversation."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="an RFC 822 message (.eml), a mailbox file (.mbox), or - for standard input",
        )

    def handle(self, *args, file: str, **options):
        if file == "-":
            raw = sys.stdin.buffer.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"{file} does not exist or is not a file.")
            raw = path.read_bytes()
        messages = split_mailbox(raw) if is_mailbox(raw) else [raw]
        if len(messages) == 1:
            try:
                self.stdout.write(self._outcome(ingest_email(messages[0])))
            except EmailReplyError as exc:
                raise CommandError(f"Reply refused: {exc}") from exc
            return
        self._ingest_all(messages)

    def _ingest_all(self, messages: list[bytes]) -> None:
        posted = held = repeated = 0
        refused: list[str] = []
        for number, raw in enumerate(messages, start=1):
            try:
                result = ingest_email(raw)
            except AlreadyReceived:
                repeated += 1
                continue
            except EmailReplyError as exc:
                refused.append(f"message {number}: {exc}")
                continue
            held += isinstance(result, HeldReply)
            posted += not isinstance(result, HeldReply)
            self.stdout.write(f"{number}: {self._outcome(result)}")
        self.stdout.write(
            f"{len(messages)} messages read: {posted} posted, {held} held for approval, "
            f"{repeated} already received, {len(refused)} refused."
        )
        if refused:
            raise CommandError("Replies refused:\n" + "\n".join(refused))

    @staticmethod
    def _outcome(post) -> str:
        if isinstance(post, HeldReply):
            return f"Held the reply from {post.sender} for a coordinator to approve: {post.reason}."
        return (
            f"Posted the reply from {post.display_author} to “{post.thread.title}” "
            f"(post {post.pk})."
        )
