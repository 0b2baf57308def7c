"""`cairn ingest-email FILE.eml` (or `-` for standard input, as a mail server pipes it)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.conversations.models import HeldReply
from cairn.conversations.services.email_replies import EmailReplyError, ingest_email


class Command(BaseCommand):
    help = "Post an email reply to the conversation it was addressed to."

    def add_arguments(self, parser):
        parser.add_argument("file", help="an RFC 822 message (.eml), or - to read standard input")

    def handle(self, *args, file: str, **options):
        if file == "-":
            raw = sys.stdin.buffer.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"{file} does not exist or is not a file.")
            raw = path.read_bytes()
        try:
            post = ingest_email(raw)
        except EmailReplyError as exc:
            raise CommandError(f"Reply refused: {exc}") from exc
        if isinstance(post, HeldReply):
            self.stdout.write(
                f"Held the reply from {post.sender} for a coordinator to approve: {post.reason}."
            )
            return
        self.stdout.write(
            f"Posted the reply from {post.display_author} to “{post.thread.title}” (post {post.pk})."
        )
