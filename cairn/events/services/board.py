"""The live breakout board: notes posted during the discussion, each one a contribution."""

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core.roles import Role, role_of
from cairn.events.models import BreakoutGroup
from cairn.members.models import Consent, ConsentPurpose, Person


class BoardError(ValueError):
    pass


def can_use_board(user: Any, group: BreakoutGroup) -> bool:
    """Coordinators everywhere; everyone else only on a group they lead or sit in.

    A facilitator's role lets them lead groups, not read every group's board:
    boards carry authors' names and draft events' discussions.
    """
    allowed = getattr(group, "_board_users", None)
    if allowed is not None and user.pk in allowed:
        return True  # already checked for this user on this loaded group (view, then service)
    if not _can_use_board(user, group):
        return False
    group._board_users = {*(allowed or ()), user.pk}
    return True


def _can_use_board(user: Any, group: BreakoutGroup) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if role >= Role.COORDINATOR:
        return True
    # Members, who make nearly every check, are found by their login alone; only the
    # others load their person to compare with the group's leaders.
    if group.members.filter(user_id=user.pk).exists():
        return True
    person = getattr(user, "person", None)
    return person is not None and person.pk in (group.facilitator_id, group.note_taker_id)


def may_poll_board(user: Any, event_id: int, group_id: int) -> bool | None:
    """can_use_board for a poll, which names the group by id: None when the group is not
    the event's. Polls mostly skip it (see has_poll_pass), so it reads only the group's leaders."""
    group = (
        BreakoutGroup.objects.filter(pk=group_id, event_id=event_id)
        .only("pk", "facilitator_id", "note_taker_id")
        .first()
    )
    return None if group is None else can_use_board(user, group)


# A poll answered "nothing new" tells its reader only that. Once a session has passed the
# full check for a group, its polls skip loading the session, the user, the role and the
# membership (four queries, most of a poll's cost) for POLL_PASS_SECONDS: hundreds of open
# boards poll every few seconds. Anything a poll would show still takes the full check, so
# logging out or leaving the group stops the notes at once; only "nothing new" answers may
# go on for up to a minute. The pass is kept under a digest of the session key, never the
# key itself, and a new login (a new session key) needs a new pass.
POLL_PASS_SECONDS = 60


def _pass_key(session_key: str, event_id: int, group_id: int) -> str:
    name = f"{session_key}:{event_id}:{group_id}"
    digest = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    return f"board:pass:{digest}"


def grant_poll_pass(session_key: str | None, event_id: int, group_id: int) -> None:
    if session_key:
        cache.set(_pass_key(session_key, event_id, group_id), 1, POLL_PASS_SECONDS)


def has_poll_pass(session_key: str | None, event_id: int, group_id: int) -> bool:
    if not session_key:
        return False
    return cache.get(_pass_key(session_key, event_id, group_id)) is not None


def groups_led_by(user: Any, groups: "list[BreakoutGroup]") -> "list[BreakoutGroup]":
    """The groups a user may print: all for coordinators, else those they facilitate or note."""
    role = role_of(user)
    if role is None:
        return []
    if role >= Role.COORDINATOR:
        return groups
    person = getattr(user, "person", None)
    if person is None or role < Role.FACILITATOR:
        return []
    return [g for g in groups if person.pk in (g.facilitator_id, g.note_taker_id)]


def _may_quote(person: Person) -> bool:
    return Consent.objects.filter(
        person=person, purpose=ConsentPurpose.QUOTE, granted=True
    ).exists()


def post_note(
    group: BreakoutGroup, text: str, *, user: Any, anonymous: bool = False
) -> Contribution:
    if not can_use_board(user, group):
        raise BoardError(_("Only this group's members can post on its board."))
    person = getattr(user, "person", None)
    author = None if anonymous or person is None else person
    note = record_contribution(
        text=text,
        channel=ContributionChannel.BREAKOUT_NOTE,
        breakout_group=group,
        author=author,
        consent_to_quote=author is not None and _may_quote(author),
        consent_to_name=False,
        source=_("Live board of %(room)s") % {"room": group.name},
    )
    cache.set(_last_key(group.pk), note.pk, LAST_NOTE_SECONDS)
    return note


# Hundreds of open boards poll every few seconds, nearly always to hear "nothing new".
# The newest note id per group is kept in the cache for a moment, so such a poll is
# answered without reading the notes. The cache is per process by default: another
# web process sees a new note when its entry expires, within LAST_NOTE_SECONDS; with a
# shared cache (CAIRN_REDIS_URL) every process sees it at once.
LAST_NOTE_SECONDS = 2


def _last_key(group_id: int) -> str:
    return f"board:last:{group_id}"


def last_note_id(group_id: int) -> int:
    key = _last_key(group_id)
    last = cache.get(key)
    if last is None:
        last = (
            Contribution.objects.filter(
                breakout_group_id=group_id, channel=ContributionChannel.BREAKOUT_NOTE
            )
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
            or 0
        )
        cache.set(key, last, LAST_NOTE_SECONDS)
    return last


def notes(group_id: int, after: int = 0) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(
            breakout_group_id=group_id, channel=ContributionChannel.BREAKOUT_NOTE, pk__gt=after
        )
        .select_related("author")
        .order_by("pk")
    )
