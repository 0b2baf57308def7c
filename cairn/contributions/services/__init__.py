"""Writes to the contributions ledger."""

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.core import audit
from cairn.lib.bulk import insert_returning_pks
from cairn.members.models import Person

MAX_TEXT_CHARS = 2_000_000


class ContributionError(ValueError):
    pass


def check_text(text: str) -> str:
    """The text as it will be kept; ContributionError says why it cannot be."""
    text = (text or "").strip()
    if not text:
        raise ContributionError("A contribution needs some text.")
    if len(text) > MAX_TEXT_CHARS:
        raise ContributionError(
            f"This text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}."
        )
    return text


@transaction.atomic
def record_contribution(
    *,
    text: str,
    channel: str,
    # Where it was said: an event, its breakout theme and room (events.models).
    event: models.Model | None = None,
    theme: Any = None,
    breakout_group: Any = None,
    author: Person | None = None,
    author_name: str = "",
    entered_by: Any = None,
    consent_to_quote: bool = False,
    consent_to_name: bool = False,
    consent_research: bool = True,
    source: str = "",
    source_ref: str = "",
    said_at: Any = None,
) -> Contribution:
    """Record one contribution; letters and calls go through here exactly like chat."""
    text = check_text(text)
    if channel not in ContributionChannel.values:
        raise ContributionError(f"Unknown channel {channel!r}.")
    if breakout_group is not None:
        theme = theme or breakout_group.theme
        event = event or breakout_group.event
    if theme is not None:
        event = event or theme.event
        if theme.event_id != event.pk:
            raise ContributionError("The theme belongs to a different event.")
    contribution = Contribution.objects.create(
        text=text,
        channel=channel,
        event=event,
        theme=theme,
        breakout_group=breakout_group,
        author=author,
        author_name="" if author else author_name.strip()[:200],
        author_sector=author.effective_sector if author else "",
        entered_by=entered_by if getattr(entered_by, "is_authenticated", False) else None,
        consent_to_quote=consent_to_quote,
        consent_to_name=consent_to_name and consent_to_quote,
        consent_research=consent_research,
        source=source[:200],
        source_ref=source_ref[:100],
        said_at=said_at,
    )
    if contribution.entered_by_id:
        audit.record(
            entered_by,
            "contribution.entered",
            contribution,
            f"{contribution.get_channel_display()} entered on behalf of {contribution.display_author}",
        )
    return contribution


def record_contributions(rows: list[dict[str, Any]], *, entered_by: Any) -> list[int]:
    """Many contributions at once, for imports: the same checks and audit entries as
    `record_contribution`, written in batches. Each row maps Contribution fields to
    values, with ``author`` the Person (or None). The caller holds the transaction (all
    or nothing). Returns the new contributions' pks, in the rows' order."""
    user = entered_by if getattr(entered_by, "is_authenticated", False) else None
    channels = set(ContributionChannel.values)  # built per access: once, not per row
    for row in rows:
        row["text"] = check_text(row["text"])
        if row["channel"] not in channels:
            raise ContributionError(f"Unknown channel {row['channel']!r}.")
        author = row.pop("author", None)
        row["author_id"] = author.pk if author is not None else None
        row["author_label"] = author.full_name if author is not None else row.get("author_name")
        row["entered_by_id"] = user.pk if user is not None else None
        row["source"] = row.get("source", "")[:200]
        row["source_ref"] = row.get("source_ref", "")[:100]
    pks = insert_returning_pks(Contribution, rows)
    if user is not None:
        # The channel's label once per channel, not once per row (a lazy translation each).
        labels = {value: str(label) for value, label in ContributionChannel.choices}
        anonymous = str(_("Anonymous"))
        audit.record_many(
            user,
            "contribution.entered",
            Contribution,
            (
                (
                    pk,
                    f"{labels[row['channel']]} entered on behalf of "
                    f"{row['author_label'] or anonymous}",
                )
                for pk, row in zip(pks, rows, strict=True)
            ),
        )
    return pks
