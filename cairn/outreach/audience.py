"""Audiences: who a message goes to, chosen by sector, region, channel, and by links to
other apps' records such as "registered for this event".

Those links are audience sources another app registers (events does, in its
`audiences` module), so outreach offers them without importing that app.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from cairn.core import audit
from cairn.core.network import network
from cairn.members.models import Channel, Person, Sector
from cairn.outreach.merge import fill
from cairn.outreach.models import DeliveryStatus, Message
from cairn.outreach.services import notify_many, send_pending_emails, sending_outcome


@dataclass(frozen=True)
class AudienceSource:
    """People linked to one record of another app, e.g. those registered for an event."""

    # Key in the stored audience and name of the compose form's field ("event").
    key: str
    # Label of that field ("Registered for event") and of its empty choice ("Anyone").
    label: str
    empty_label: str
    # The records that may be chosen.
    choices: Callable[[], QuerySet]
    # The people linked to one record.
    people: Callable[[models.Model], QuerySet[Person]]
    # How the audience label names the link ("registered for …").
    describe: Callable[[models.Model], str]
    # Merge fields about the record ({event}, {event_date}).
    merge_context: Callable[[models.Model], dict[str, str]]


_sources: dict[str, AudienceSource] = {}
_discovered = False


def register_source(source: AudienceSource) -> AudienceSource:
    _sources[source.key] = source
    return source


def audience_sources() -> list[AudienceSource]:
    global _discovered
    if not _discovered:
        autodiscover_modules("audiences")
        _discovered = True
    return list(_sources.values())


def merge_context_for(about: models.Model | None) -> dict[str, str]:
    """The merge fields for what a message is about, from the source that knows it."""
    if about is None:
        return {}
    for source in audience_sources():
        if isinstance(about, source.choices().model):
            return source.merge_context(about)
    return {}


def message_title(message: Message, text: str | None = None) -> str:
    """A message's subject (or other text) as people read it: "{event}" and the other
    fields about the record (and the network) filled in; fields about each person stay."""
    context = {"network": network().name, **merge_context_for(message.about)}
    return fill(message.subject if text is None else text, context)


@dataclass
class Audience:
    sector: str = ""
    region: str = ""
    channel: str = ""
    # Source key -> id of the chosen record, e.g. {"event": 3}.
    linked: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Audience":
        linked = {}
        for source in audience_sources():
            value = data.get(source.key)
            if value not in (None, ""):
                linked[source.key] = int(value)
        return cls(
            sector=data.get("sector", "") if data.get("sector") in Sector.values else "",
            region=(data.get("region") or "").strip(),
            channel=data.get("channel", "") if data.get("channel") in Channel.values else "",
            linked=linked,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "sector": self.sector,
            "region": self.region,
            "channel": self.channel,
            **self.linked,
        }

    def _linked_records(self) -> list[tuple[AudienceSource, models.Model]]:
        found = []
        for source in audience_sources():
            if source.key in self.linked:
                record = source.choices().filter(pk=self.linked[source.key]).first()
                if record is not None:
                    found.append((source, record))
        return found

    def about(self) -> models.Model | None:
        """The record the message is about: the first linked one, if any."""
        records = self._linked_records()
        return records[0][1] if records else None

    def people(self) -> QuerySet[Person]:
        qs = Person.objects.filter(
            anonymised_at__isnull=True, archived_at__isnull=True
        ).select_related("organisation", "user")
        if self.sector:
            qs = qs.filter(Q(sector=self.sector) | Q(sector="", organisation__sector=self.sector))
        if self.region:
            qs = qs.filter(
                Q(region__iexact=self.region) | Q(organisation__region__iexact=self.region)
            )
        records = self._linked_records()
        if len(records) < len(self.linked):
            return qs.none()  # a chosen record is gone: nobody, rather than everyone
        for source, record in records:
            qs = qs.filter(pk__in=source.people(record).values("pk"))
        if self.channel:
            qs = qs.filter(preferred_channel=self.channel)
        return qs.distinct().order_by("last_name", "first_name", "pk")

    def label(self) -> str:
        parts = []
        if self.sector:
            parts.append(str(Sector(self.sector).label))
        if self.region:
            parts.append(self.region)
        for source, record in self._linked_records():
            parts.append(source.describe(record))
        if self.channel:
            parts.append(f"prefers {Channel(self.channel).label}")
        return ", ".join(parts) or "Everyone"


@transaction.atomic
def create_message(
    *,
    subject: str,
    body: str,
    purpose: str,
    audience: Audience,
    user: Any,
    send_key: str | None = None,
) -> Message:
    message = Message.objects.create(
        send_key=send_key,
        subject=subject.strip(),
        body=body.strip(),
        purpose=purpose,
        about=audience.about(),
        audience=audience.as_dict(),
        audience_label=audience.label()[:300],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(user, "outreach.message_created", message, message.subject)
    return message


def compose_once(
    *, form_key: str, subject: str, body: str, purpose: str, audience: Audience, user: Any
) -> tuple[Message, bool]:
    """`create_message` for the compose page: the same send arriving twice (a double click,
    a POST resent) returns the message made the first time, with False. ``form_key`` is
    the page's own; a message changed before sending again is a new one."""
    content = json.dumps([form_key, subject, body, purpose, audience.as_dict()], sort_keys=True)
    send_key = hashlib.sha256(content.encode()).hexdigest() if form_key else None
    if send_key and (sent := Message.objects.filter(send_key=send_key).first()) is not None:
        return sent, False
    try:
        message = create_message(
            subject=subject,
            body=body,
            purpose=purpose,
            audience=audience,
            user=user,
            send_key=send_key,
        )
    except IntegrityError:
        return Message.objects.get(send_key=send_key), False  # both arrived at once
    return message, True


def send_message(
    message_id: int, user_id: int | None = None, progress: Callable[..., None] | None = None
) -> int:
    """Deliver a composed message to its audience; running it again sends nothing twice.

    The deliveries are recorded in one transaction, then emails go out in chunks. If
    the worker is killed part way, running it again (the queue does, or the "Run it
    again" button) sends only the emails never tried; those already sent keep theirs.
    """
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        first_time = message.sent_at is None
        if first_time:
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        if not message.deliveries.exists():
            people = Audience.from_dict(message.audience).people()
            notify_many(
                people,
                subject=message.subject,
                body=message.body,
                purpose=message.purpose,
                about=message.about,
                merge=merge_context_for(message.about),
                sender=user,
                message=message,
                send_emails=False,
            )
    pending = message.deliveries.filter(
        channel=Channel.EMAIL, status=DeliveryStatus.QUEUED, attempts=0
    )
    send_pending_emails(pending, progress=progress)
    count = message.deliveries.count()
    if first_time:
        audit.record(user, "outreach.message_sent", message, f"{count} deliveries")
    return count


def send_message_job(progress: Callable[..., None], message_id: int, user_id: int | None) -> dict:
    """The background job behind "Send" on the compose page."""
    send_message(message_id, user_id, progress=progress)
    message = Message.objects.get(pk=message_id)
    return sending_outcome(message.deliveries.values_list("status", flat=True))
