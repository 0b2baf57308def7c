"""Reads for synthesis pages: quotes a user may see, counts with their labels."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.selectors import visible_contributions
from cairn.core.roles import Role, role_of
from cairn.insights.models import Assignment, Theme
from cairn.members.models import Consent, ConsentPurpose, Sector

CHANNEL_LABELS = dict(ContributionChannel.choices)
SECTOR_LABELS = {**dict(Sector.choices), "unknown": _("Sector not known")}


def channel_label(code: str) -> str:
    return str(CHANNEL_LABELS.get(code, code))


def sector_label(code: str) -> str:
    return str(SECTOR_LABELS.get(code, code))


def listing(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def channel_phrase(counts: dict[str, int]) -> str:
    """ "11 breakout notes, 4 letters and 3 phone calls"."""
    parts = []
    for code, n in counts.items():
        name = channel_label(code).lower()
        parts.append(f"{n} {name}{'' if n == 1 or name.endswith('s') else 's'}")
    return listing(parts)


def sector_phrase(counts: dict[str, int]) -> str:
    return listing([f"{sector_label(code).lower()} {n}" for code, n in counts.items()])


def labelled_counts(counts: dict[str, int], kind: str) -> list[tuple[str, int]]:
    label = channel_label if kind == "channel" else sector_label
    return [(label(code), n) for code, n in counts.items()]


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


# How a quote reached us, as the end of "A community group member, ...".
CHANNEL_PHRASES = {
    "breakout_note": gettext_lazy("in a breakout group"),
    "chat": gettext_lazy("in the meeting chat"),
    "transcript": gettext_lazy("in the meeting"),
    "web_form": gettext_lazy("online"),
    "email": gettext_lazy("by email"),
    "letter": gettext_lazy("by letter"),
    "phone": gettext_lazy("by phone"),
    "paper_form": gettext_lazy("on a paper form"),
}


def public_attribution(contribution: Contribution) -> str:
    """A name only when the person agreed to be named; otherwise channel and sector."""
    sector = contribution.author_sector
    where = str(CHANNEL_PHRASES.get(contribution.channel, channel_label(contribution.channel)))
    if (
        contribution.consent_to_name
        and contribution.author_id
        and not contribution.author.anonymised_at
    ):
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


def quotes_for(theme: Theme, user: Any, limit: int = 6) -> list[dict[str, Any]]:
    """Representative quotes a user may read on the synthesis page.

    A contribution the user may open is shown with a link; one they may not
    open is shown only when its author agreed to be quoted, without a link.
    """
    ids = theme.quotes[:limit]
    rows = {
        a.statement_id: a
        for a in Assignment.objects.filter(
            run_id=theme.run_id, statement_id__in=ids
        ).select_related("contribution__author__organisation")
    }
    visible = set(
        visible_contributions(user)
        .filter(pk__in=[a.contribution_id for a in rows.values()])
        .values_list("pk", flat=True)
    )
    out = []
    for sid in ids:
        a = rows.get(sid)
        if a is None:
            continue
        c = a.contribution
        if c.pk in visible:
            out.append(
                {
                    "text": a.text,
                    "url": c.get_absolute_url(),
                    "by": public_attribution(c),
                    "channel": channel_label(c.channel),
                }
            )
        elif may_quote_publicly(c):
            out.append(
                {
                    "text": a.text,
                    "url": None,
                    "by": public_attribution(c),
                    "channel": channel_label(c.channel),
                }
            )
    return out


def statements_of(run_id: int, theme: Theme | None) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(run_id=run_id).select_related("contribution")
    return qs.filter(theme=theme) if theme else qs.filter(theme__isnull=True)


def publicly_quotable() -> Q:
    """`may_quote_publicly` as a filter on Assignment rows, for whole pages of statements."""
    withdrew = Consent.objects.filter(
        person=OuterRef("contribution__author"), purpose=ConsentPurpose.QUOTE, granted=False
    )
    return Q(contribution__consent_to_quote=True) & (
        Q(contribution__author__isnull=True)
        | (Q(contribution__author__anonymised_at__isnull=True) & ~Exists(withdrew))
    )


def statements_for(run_id: int, theme: Theme | None, user: Any) -> QuerySet[Assignment]:
    """The statements a user may read on a theme page: the summary page's rule.

    A statement is listed when the reader may open its contribution, or when its
    author agreed to be quoted (as a quote on the summary page would be).
    """
    qs = statements_of(run_id, theme)
    if role_of(user) == Role.COORDINATOR:
        return qs
    return qs.filter(
        Q(contribution__in=visible_contributions(user).values("pk")) | publicly_quotable()
    )
