"""What another app may do with the people a member import names, in the same
transaction as the import: events registers an Eventbrite report's attendees for an
event. Apps register their follow-ups in an ``import_followups`` module, so members
offers them without importing those apps (see docs/architecture.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass
class FollowupResult:
    summary: str = ""  # one line for the import's summary ("registered for …: 12, …")
    errors: list[str] = field(default_factory=list)  # any error rolls the whole import back


@dataclass(frozen=True)
class ImportFollowup:
    # Key in the form's value ("register:42") and in the job's arguments.
    key: str
    # The offer, above the choice of target ("Also register these attendees for an event").
    label: str
    # Presets (import_fields.PRESETS names) whose files it is offered for.
    presets: frozenset[str]
    # What may be chosen: (value, label) pairs, such as open events with places left.
    choices: Callable[[], list[tuple[str, str]]]
    # Do it: (chosen value, the people the file names in file order, actor, file name).
    apply: Callable[[str, list[int], Any, str], FollowupResult]


_followups: dict[str, ImportFollowup] = {}
_discovered = False


def register_followup(followup: ImportFollowup) -> ImportFollowup:
    _followups[followup.key] = followup
    return followup


def _all() -> dict[str, ImportFollowup]:
    global _discovered
    if not _discovered:
        autodiscover_modules("import_followups")
        _discovered = True
    return _followups


def offered(preset: str) -> list[ImportFollowup]:
    return [f for f in _all().values() if preset and preset in f.presets]


def parse_choice(value: str, preset: str) -> tuple[ImportFollowup, str] | None:
    """The follow-up and target a form value ("register:42") names, if offered for the file."""
    key, _, target = (value or "").partition(":")
    followup = _all().get(key)
    if followup is None or not target or preset not in followup.presets:
        return None
    if target not in {v for v, _ in followup.choices()}:
        return None
    return followup, target
