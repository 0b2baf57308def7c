"""Which contributions a user may read, and which may be quoted or named in public.

Every view goes through `visible_contributions`; every public output (report,
briefing, consultation summary) goes through `may_quote_publicly` and
`public_attribution`. These are the ledger's own rules: the consent lives here.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution
from cairn.contributions.wording import channel_how, sector_label
from cairn.core.roles import Role, role_of
from cairn.events.models import Event
from cairn.members.models import ConsentPurpose


def facilitated_events(user: Any) -> QuerySet[Event]:
    person = getattr(user, "person", None)
    if person is None:
        return Event.objects.none()
    return Event.objects.filter(
        Q(breakout_groups__facilitator=person) | Q(breakout_groups__note_taker=person)
    ).distinct()


def visible_contributions(user: Any) -> QuerySet[Contribution]:
    role = role_of(user)
    qs = Contribution.objects.select_related("author", "theme", "event", "entered_by")
    if role == Role.COORDINATOR:
        return qs
    if role == Role.FACILITATOR:
        person = getattr(user, "person", None)
        own = Q(author=person) if person else Q(pk__in=[])
        return qs.filter(Q(event__in=facilitated_events(user)) | own)
    if role == Role.MEMBER:
        person = getattr(user, "person", None)
        return qs.filter(author=person) if person else qs.none()
    return qs.none()


def withdrew_quote_consent(contribution: Contribution) -> bool:
    """A person can withdraw consent to be quoted after speaking; that wins over the flag."""
    if contribution.author_id is None:
        return False
    consents = getattr(contribution.author, "_quote_consent", None)
    if consents is None:
        consents = list(
            contribution.author.consents.filter(purpose=ConsentPurpose.QUOTE).values_list(
                "granted", flat=True
            )
        )
    return bool(consents) and not consents[0]


def may_quote_publicly(contribution: Contribution) -> bool:
    if not contribution.consent_to_quote:
        return False
    if contribution.author_id is None:
        return True
    return not (contribution.author.anonymised_at or withdrew_quote_consent(contribution))


def may_name_publicly(contribution: Contribution) -> bool:
    return bool(
        contribution.consent_to_name
        and contribution.author_id
        and not contribution.author.anonymised_at
    )


def public_attribution(contribution: Contribution) -> str:
    """A name only when the person agreed to be named; otherwise channel and sector."""
    sector = contribution.author_sector
    where = channel_how(contribution.channel)
    if may_name_publicly(contribution):
        org = contribution.author.organisation
        return f"{contribution.author.full_name}, {org}" if org else contribution.author.full_name
    if sector:
        label = sector_label(sector).lower()
        template = (
            _("An %(sector)s member, %(channel)s")
            if label[:1] in "aeiou"
            else _("A %(sector)s member, %(channel)s")
        )
        return template % {"sector": label, "channel": where}
    return _("A participant, %(channel)s") % {"channel": where}
