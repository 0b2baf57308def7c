"""A mail backend that keeps every message in the database (the demo's mail catcher).

It needs no server and works from every process (web threads, the task worker,
cron commands), which an in-process SMTP sink would not.
"""

from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from cairn.sentmail.models import CaughtEmail


def _html_of(message: EmailMessage) -> str:
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            return str(content)
    return ""


def _attachment_names(message: EmailMessage) -> list[str]:
    names = []
    for attachment in message.attachments:
        filename = getattr(attachment, "filename", None)
        if filename is None and isinstance(attachment, tuple):
            filename = attachment[0]
        if filename is None and hasattr(attachment, "get_filename"):
            filename = attachment.get_filename()
        names.append(str(filename or "attachment"))
    return names


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        sent = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            CaughtEmail.objects.create(
                from_email=str(message.from_email)[:300],
                to=", ".join(recipients),
                subject=str(message.subject)[:300],
                body=str(message.body),
                html=_html_of(message),
                attachments=_attachment_names(message),
                raw=message.message().as_bytes(),
            )
            sent += 1
        return sent
