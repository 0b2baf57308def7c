"""Reads for synthesis pages: quotes a user may see, counts with their labels."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from cairn.contributions.selectors import (
    may_quote_publicly,
    public_attribution,
    visible_contributions,
)
from cairn.contributions.wording import channel_label
from cairn.core.roles import Role, role_of
from cairn.insights.models import Assignment, Theme
from cairn.members.models import Consent, ConsentPurpose


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
