"""Writes to the contributions ledger."""

from typing import Any

from django.db import models, transaction

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.core import audit
from cairn.members.models import Person

MAX_TEXT_CHARS = 2_000_000


class ContributionError(ValueError):
    pass


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
    text = (text or "").strip()
    if not text:
        raise ContributionError("A contribution needs some text.")
    if len(text) > MAX_TEXT_CHARS:
        raise ContributionError(
            f"This text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}."
        )
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
