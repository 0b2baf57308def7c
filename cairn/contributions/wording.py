"""How the ledger's closed vocabularies read in sentences: channels, sectors and lists of them."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from cairn.contributions.models import ContributionChannel
from cairn.members.models import Sector

CHANNEL_LABELS = dict(ContributionChannel.choices)
SECTOR_LABELS = {**dict(Sector.choices), "unknown": gettext_lazy("Sector not known")}

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


def channel_label(code: str) -> str:
    return str(CHANNEL_LABELS.get(code, code))


def sector_label(code: str) -> str:
    return str(SECTOR_LABELS.get(code, code))


def channel_how(code: str) -> str:
    """ "in the meeting chat", "by letter": how words reached us, for the end of a sentence."""
    return str(CHANNEL_PHRASES.get(code, channel_label(code)))


def listing(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


# Channels whose contributions are parts of one thing said: a chat's messages, a
# transcript's passages. "3 meeting chats" read as three chats, not three messages.
COUNTED_AS = {
    "chat": ngettext_lazy("%(n)s chat message", "%(n)s chat messages", "count"),
    "transcript": ngettext_lazy(
        "%(n)s passage of the meeting transcript",
        "%(n)s passages of the meeting transcript",
        "count",
    ),
}


def channel_phrase(counts: dict[str, int]) -> str:
    """ "11 breakout notes, 4 letters and 3 phone calls"; thousands grouped (12,023)."""
    parts = []
    for code, n in counts.items():
        shown = number_format(n, force_grouping=True)
        if code in COUNTED_AS:
            parts.append(COUNTED_AS[code] % {"n": shown, "count": n})
            continue
        name = channel_label(code).lower()
        parts.append(f"{shown} {name}{'' if n == 1 or name.endswith('s') else 's'}")
    return listing(parts)


def sector_phrase(counts: dict[str, int]) -> str:
    return listing([f"{sector_label(code).lower()} {n}" for code, n in counts.items()])


def labelled_counts(counts: dict[str, int], kind: str) -> list[tuple[str, int]]:
    label = channel_label if kind == "channel" else sector_label
    return [(label(code), n) for code, n in counts.items()]
