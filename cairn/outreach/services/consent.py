"""Who may be reached: consent per purpose, a usable channel, and the unsubscribe link
in every email.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.members.models import (
    Channel,
    ChannelConsent,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Person,
)
from cairn.outreach.services.errors import OutreachError

UNSUBSCRIBE_SALT = "cairn.outreach.unsubscribe"


def consented(person: Person, purpose: str) -> bool:
    return Consent.objects.filter(person=person, purpose=purpose, granted=True).exists()


def channel_problem(person: Person, channel: str) -> str:
    """Why this person cannot be reached by this channel, or "" when they can."""
    if person.anonymised_at is not None:
        return _("This person's details were erased.")
    if channel == Channel.EMAIL and not person.email:
        return _("Prefers email but no email address is on file.")
    if channel == Channel.POST and not person.address.strip():
        return _("Prefers post but no postal address is on file.")
    if channel == Channel.PHONE and not person.phone.strip():
        return _("Prefers phone but no phone number is on file.")
    if channel == Channel.WEB and person.user_id is None:
        return _("Web only, but has no Cairn login to read it.")
    if ChannelConsent.objects.filter(person=person, channel=channel, granted=False).exists():
        return _("Asked not to be contacted by %(channel)s.") % {
            "channel": Channel(channel).label.lower()
        }
    return ""


def delivery_problem(person: Person | None, purpose: str, channel: str) -> str:
    """Why a waiting delivery (a failed email, a queued letter) should no longer go to its
    person, or "": asked again when it is about to go, as on the day it was made. A
    service message (no purpose) needs no consent, only a way to reach them."""
    if person is None:
        return _("This person's details were erased.")
    if purpose and not consented(person, purpose):
        return _("No consent for: %(purpose)s.") % {"purpose": ConsentPurpose(purpose).label}
    return channel_problem(person, channel)


def reach_rule(*, channel_field: str, purpose: str | OuterRef, via: str = "") -> Q:
    """What `delivery_problem` decides one person at a time, as one filter: the rule the
    compose page's count (`reachable`) and the call list (`call_list`) both use, so a
    preview counts people the way sending and calling will treat them.

    ``via`` is the path from the rows filtered to the person ("" for people, "person__"
    for deliveries); ``channel_field`` the rows' field naming the channel to use (the
    person's "preferred_channel", a delivery's "channel"); ``purpose`` a purpose, or
    OuterRef to the rows' purpose field, where "" needs no consent (a service message).
    """
    person = OuterRef(via.removesuffix("__") or "pk")
    blank = r"^\s*$"
    on_file = Q(**{f"{via}anonymised_at__isnull": True})
    if via:
        on_file &= Q(**{f"{via.removesuffix('__')}__isnull": False})
    granted = Exists(Consent.objects.filter(person=person, purpose=purpose, granted=True))
    if isinstance(purpose, str):
        consent = Q(granted) if purpose else Q()
    else:
        consent = Q(granted) | Q(**{purpose.name: ""})
    no_details = (
        Q(**{channel_field: Channel.EMAIL, f"{via}email": ""})
        | Q(**{channel_field: Channel.POST, f"{via}address__regex": blank})
        | Q(**{channel_field: Channel.PHONE, f"{via}phone__regex": blank})
        | Q(**{channel_field: Channel.WEB, f"{via}user__isnull": True})
    )
    refused = ChannelConsent.objects.filter(
        person=person, channel=OuterRef(channel_field), granted=False
    )
    return on_file & consent & ~no_details & ~Q(Exists(refused))


def reachable(people: QuerySet[Person], purpose: str) -> QuerySet[Person]:
    """Those of ``people`` a message for ``purpose`` reaches by their own channel."""
    return people.filter(reach_rule(channel_field="preferred_channel", purpose=purpose))


def unsubscribe_token(person: Person, purpose: str) -> str:
    return signing.dumps({"p": person.pk, "u": purpose}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(person: Person, purpose: str) -> str:
    path = reverse("outreach:unsubscribe", args=[unsubscribe_token(person, purpose)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_purpose(token: str) -> tuple[Person, ConsentPurpose]:
    """Whom an unsubscribe link is for and what it stops; reads only (the page's GET)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        person = Person.objects.get(pk=data["p"], anonymised_at__isnull=True)
        purpose = ConsentPurpose(data["u"])
    except (signing.BadSignature, Person.DoesNotExist, KeyError, ValueError) as error:
        raise OutreachError(_("This unsubscribe link is not valid.")) from error
    return person, purpose


def unsubscribe(token: str) -> Consent:
    """Withdraw one purpose's consent from a link in an email; no login needed."""
    person, purpose = unsubscribe_purpose(token)
    with transaction.atomic():
        consent, _created = Consent.objects.update_or_create(
            person=person,
            purpose=purpose,
            defaults={
                "granted": False,
                "method": ConsentMethod.EMAIL,
                "recorded_at": timezone.now(),
                "note": "Unsubscribe link",
            },
        )
        audit.record(None, "consent.withdrawn", person, f"Unsubscribed from {purpose.label}")
    return consent
