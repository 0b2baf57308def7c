"""What the ledger holds about a person: what they said, by any channel."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cairn.contributions.models import Contribution
from cairn.core.datarights import STAFF, PersonData, register
from cairn.members.models import Person


def _contributions(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "text": c.text,
            "channel": c.channel,
            "event": c.event.title if c.event_id else "",
            "consent_to_quote": c.consent_to_quote,
            "consent_research": c.consent_research,
            "created_at": c.created_at.isoformat(),
        }
        for c in Contribution.objects.filter(author=person).select_related("event")
    ]


def _erase_contributions(person: Person) -> int:
    """Keep what they said, anonymised, with their sector so counts by sector stay true."""
    contributions = Contribution.objects.filter(author=person)
    contributions.filter(author_sector="").update(author_sector=person.effective_sector)
    return contributions.update(author=None, author_name="")


register(
    PersonData(
        key="contributions",
        title=_("What you said (contributions)"),
        export=_contributions,
        erase=_erase_contributions,
        relations=("contributions.Contribution.author",),
        kept={"contributions.Contribution.entered_by": STAFF},
        order=30,
    )
)
