"""Which contributions a user may read, and which may be quoted or named in public.

Every view goes through `visible_contributions`; every public output (report,
briefing, consultation summary) goes through `may_quote_publicly` and
`public_attribution`. These are the ledger's own rules: the consent lives here.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution
from cairn.contributions.wording import channel_how, sector_label
from cairn.core.roles import Role, role_of
from cairn.lib.names import WORD, NameFilter, strip_sign_off
from cairn.members.models import ConsentPurpose, Person


def visible_contributions(user: Any) -> QuerySet[Contribution]:
    role = role_of(user)
    qs = Contribution.objects.select_related("author", "theme", "event", "entered_by")
    if role == Role.COORDINATOR:
        return qs
    if role == Role.FACILITATOR:
        person = getattr(user, "person", None)
        if person is None:
            return qs.none()
        # Everything said at an event where they lead or take notes for a room.
        led = Contribution.objects.filter(
            Q(event__breakout_groups__facilitator=person)
            | Q(event__breakout_groups__note_taker=person)
        ).values("event_id")
        return qs.filter(Q(event_id__in=led) | Q(author=person))
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


def _name_keys(*names: str) -> set[str]:
    return {w.casefold() for name in names for w in WORD.findall(name or "") if len(w) > 1}


def public_name_filter(named_anyway: Iterable[int] = ()) -> NameFilter:
    """Names inside contributions' words, hidden in public unless the person agreed to be named.

    A member agreed when they let one of their contributions carry their name and have
    neither withdrawn consent to be quoted nor been erased; `named_anyway` are people the
    same output names in their own right (an event's speakers). Every other member's first
    name is hidden (with the surname after it, or a surname after a title), as are names
    written in chats and any first name in the list Cairn ships.
    """
    agreed = set(named_anyway) | set(
        Contribution.objects.filter(
            consent_to_name=True, author__isnull=False, author__anonymised_at__isnull=True
        )
        .exclude(author__consents__purpose=ConsentPurpose.QUOTE, author__consents__granted=False)
        .values_list("author_id", flat=True)
    )
    members: set[str] = set()
    surnames: set[str] = set()
    keep: set[str] = set()
    for pk, first, last in Person.objects.values_list("pk", "first_name", "last_name").iterator(
        chunk_size=5000
    ):
        if pk in agreed:
            keep |= _name_keys(first, last)
        else:
            members |= _name_keys(first)
            surnames |= _name_keys(last)
    others = _name_keys(
        *Contribution.objects.exclude(author_name="")
        .values_list("author_name", flat=True)
        .distinct()
    )
    return NameFilter(
        members=frozenset(members),
        surnames=frozenset(surnames),
        keep=frozenset(keep - members),
        others=frozenset(others - keep),
        member_label=_("[a member]"),
        other_label=_("[someone]"),
    )


def quotable_words(text: str) -> str:
    """A contribution's words as a quote: without the sign-off and signature of a letter or email."""
    return strip_sign_off(text)


def voices_by(contributions: QuerySet[Contribution], field: str) -> Counter[str]:
    """How many people were heard for each value of `field` ("channel", "author_sector").

    A member counts once per value however many lines they said: ten chat lines are one
    voice, not ten. A contribution linked to no member (anonymous, or a name in a chat
    that matched nobody) cannot be told apart from the next, so each counts as one.
    Someone heard by two channels counts once under each.
    """
    # order_by(): the model's default ordering would split the groups.
    linked = (
        contributions.filter(author__isnull=False)
        .order_by()
        .values_list(field)
        .annotate(n=Count("author", distinct=True))
    )
    unlinked = (
        contributions.filter(author__isnull=True)
        .order_by()
        .values_list(field)
        .annotate(n=Count("pk"))
    )
    counts: Counter[str] = Counter()
    for value, n in [*linked, *unlinked]:
        counts[value or ""] += n
    return counts


def voices_note() -> str:
    """The caption under a chart of voices: what one unit is."""
    return _(
        "Counted in people: a member counts once however often they spoke. "
        "Contributions not linked to a member (anonymous, or a name that matched no one) "
        "count one each."
    )
