import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from unittest import mock

import pytest

from cairn.lib import storage
from cairn.members.models import Channel, ConsentPurpose, Person
from cairn.outreach.services import deliveries
from tests.conftest import grant_consent


def make_person(first: str = "Jean", *, consent=(ConsentPurpose.EVENT_INVITATIONS,), **fields):
    defaults = {
        "last_name": "Millar",
        "email": f"{first.lower()}@example.org",
        "preferred_channel": Channel.EMAIL,
    }
    person = Person.objects.create(first_name=first, **(defaults | fields))
    grant_consent(person, *consent)
    return person


@pytest.fixture
def person_factory(db):
    return make_person


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(
            (
                envelope.rcpt_tos,
                message_from_bytes(envelope.original_content, policy=policy.default),
            )
        )
        return "250 Message accepted for delivery"


def smtp_settings(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; Django's mailer points at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = smtp_settings(port)
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def no_smtp_server(settings):
    """Django's mailer points at a localhost port where nothing listens."""
    settings.MAILERS = smtp_settings(free_port())


@contextmanager
def counted_attachment_work() -> Iterator[tuple[mock.MagicMock, mock.MagicMock]]:
    """Counts, as they run, each attachment hashed and looked up (or stored) and each
    stored file read back."""
    with (
        mock.patch.object(
            deliveries, "stored_attachment", wraps=deliveries.stored_attachment
        ) as store,
        mock.patch.object(storage, "read", wraps=storage.read) as read,
    ):
        yield store, read
