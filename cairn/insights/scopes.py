"""What else than an event can be synthesised: scopes other apps offer.

Insights knows events (their breakout themes guide a synthesis) but not the apps above
it. A consultation, say, is offered by the consultations app, which registers a scope
source in its `synthesis_scopes` module: the choices to list on the synthesis page, and
for one of them its title and the contributions to read. A run keeps the opaque key of
its scope ("c12") so a re-run reads that scope's contributions afresh.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class ScopeSource:
    # Prefix of the scope key, "c" for consultations: the key is prefix + id ("c12").
    prefix: str
    # Heading of its group of choices on the synthesis page.
    label: Any
    # (id, title) of what may be chosen, newest first.
    choices: Callable[[], list[tuple[int, str]]]
    # Title of one of them, or None when it no longer exists.
    title: Callable[[int], str | None]
    # The ids of the contributions to synthesise for one of them.
    contribution_ids: Callable[[int], list[int]]


_sources: dict[str, ScopeSource] = {}
_discovered = False


def register_scope(source: ScopeSource) -> ScopeSource:
    if not source.prefix.isalpha() or source.prefix == "e":
        raise ValueError("A scope prefix is letters, and 'e' is taken by events.")
    _sources[source.prefix] = source
    return source


def scope_sources() -> list[ScopeSource]:
    global _discovered
    if not _discovered:
        autodiscover_modules("synthesis_scopes")
        _discovered = True
    return list(_sources.values())


def parse_scope(key: str) -> tuple[ScopeSource, int] | None:
    """The source and id a scope key names, or None."""
    prefix = key.rstrip("0123456789")
    number = key[len(prefix) :]
    if not number:
        return None
    for source in scope_sources():
        if source.prefix == prefix:
            return source, int(number)
    return None
