"""Links on an event's page to what higher apps keep about it (its reports).

Events sits below those apps and never imports them (docs/architecture.md): each offers
its links from an ``event_links`` module, found the first time a page asks, as members
finds import follow-ups.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

from cairn.events.models import Event


@dataclass(frozen=True)
class EventLink:
    label: str
    url: str
    # A word after the link ("Draft", "Published").
    note: str = ""
    # An action rather than a page (drafting a report): a button that posts `fields` to `url`.
    post: dict[str, Any] = field(default_factory=dict)


LinkProvider = Callable[[Event, Any], Iterable[EventLink]]

_providers: list[LinkProvider] = []
_discovered = False


def register_links(provider: LinkProvider) -> LinkProvider:
    """Offer links for event pages: `provider(event, user)` returns what this user may follow."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def links_for(event: Event, user: Any) -> list[EventLink]:
    global _discovered
    if not _discovered:
        autodiscover_modules("event_links")
        _discovered = True
    return [link for provider in _providers for link in provider(event, user)]
