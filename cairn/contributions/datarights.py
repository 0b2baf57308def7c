"""What the ledger holds about a person: what they said, by any channel."""

from django.utils.translation import gettext_lazy as _

from cairn.contributions.models import Contribution
from cairn.core.datarights import STAFF, PersonData, Rows, register
from cairn.members.models import Person

contributions = Rows(
    Contribution,
    "author",
    [
        "text",
        "channel",
        ("event", "event.title"),
        "consent_to_quote",
        "consent_research",
        "created_at",
    ],
)


def _erase_contributions(person: Person) -> int:
    """Keep what they said, anonymised, with their sector so counts by sector stay true."""
    theirs = contributions.query(person)
    theirs.filter(author_sector="").update(author_sector=person.effective_sector)
    return theirs.update(author=None, author_name="")


register(
    PersonData(
        key="contributions",
        title=_("What you said (contributions)"),
        rows=contributions,
        erase=_erase_contributions,
        kept={"contributions.Contribution.entered_by": STAFF},
        order=30,
    )
)
