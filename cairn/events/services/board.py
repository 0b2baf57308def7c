"""The live breakout board: notes posted during the discussion, each one a contribution."""

import functools
import hashlib
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core.roles import Role, is_signed_in, role_of
from cairn.events.models import BreakoutGroup
from cairn.lib.sql import col, first_row, now, table
from cairn.members.models import Consent, ConsentPurpose, Person


class BoardError(ValueError):
    pass


def can_use_board(user: Any, group: BreakoutGroup) -> bool:
    """Coordinators everywhere; everyone else only on a group they lead or sit in.

    A facilitator's role lets them lead groups, not read every group's board:
    boards carry authors' names and draft events' discussions. The poll pass re-checks
    these rules in one written-out query (_still_holds_sql): a rule changed here must be
    changed there too; test_the_one_query_check_agrees_with_the_full_check compares them.
    """
    allowed = getattr(group, "_board_users", None)
    if allowed is not None and user.pk in allowed:
        return True  # already checked for this user on this loaded group (view, then service)
    if not _can_use_board(user, group):
        return False
    group._board_users = {*(allowed or ()), user.pk}
    return True


def _can_use_board(user: Any, group: BreakoutGroup) -> bool:
    if not is_signed_in(user):
        return False
    # Members, who make nearly every check, are found by their login alone, before their
    # role (a query of its own) or their person is read; only the others need those.
    if group.members.filter(user_id=user.pk).exists():
        return True
    role = role_of(user)
    if role is not None and role >= Role.COORDINATOR:
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
# check for a group, it holds a pass for POLL_PASS_SECONDS, kept in the cache under a
# digest of the session key (never the key itself; a new login, a new key, needs a new
# pass). Hundreds of open boards poll every few seconds:
#
# - a poll without a pass (a session's first, or every open board at once after a restart)
#   reads the session and checks the user and password digest it names with the one query
#   below, instead of loading the user, their role, the room and the membership; a session
#   that query does not clear takes Django's full check, which says why it is refused.
# - a poll that hears "nothing new" with a pass reads only the cache: no session, user,
#   role or membership (four queries, most of such a poll's cost). Logging out or leaving
#   the group may go unnoticed there for up to a minute, but such an answer shows nothing.
# - a poll that would show notes checks again everything the full check checks, from the
#   database, in one query (pass_still_holds): the session is still there and unexpired,
#   the password it was opened with is unchanged, the account is active, and its user is
#   still a coordinator or a member or leader of the group. So logging out, being removed
#   from the group or deactivated stops the notes at once, in every web process, with or
#   without a shared cache: nothing needs to be told to forget a pass.
POLL_PASS_SECONDS = 60


def _pass_key(session_key: str, event_id: int, group_id: int) -> str:
    name = f"{session_key}:{event_id}:{group_id}"
    digest = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    return f"board:pass:{digest}"


def grant_poll_pass(session_key: str | None, user: Any, event_id: int, group_id: int) -> None:
    """Record that this session's user passed the full check for the group, just now."""
    if session_key and is_signed_in(user):
        # The session's password digest, as django.contrib.auth compares it on each request.
        held = {"user": user.pk, "hash": user.get_session_auth_hash()}
        cache.set(_pass_key(session_key, event_id, group_id), held, POLL_PASS_SECONDS)


def pass_from_session(session: Any) -> dict | None:
    """The user and password digest a session names, as a pass for pass_still_holds to
    check, without loading the user as django.contrib.auth would; None when the session
    names no one or was opened through an authentication backend no longer in use."""
    user_id = session.get(SESSION_KEY)
    digest = session.get(HASH_SESSION_KEY)
    if not user_id or not digest:
        return None
    if session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        user_id = get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    return {"user": user_id, "hash": digest}


def renew_poll_pass(session_key: str, held: dict, event_id: int, group_id: int) -> None:
    """Another minute for a pass that pass_still_holds has just checked in full: a session
    whose room keeps talking is not sent through the full check every minute."""
    cache.set(_pass_key(session_key, event_id, group_id), held, POLL_PASS_SECONDS)


def poll_pass(session_key: str | None, event_id: int, group_id: int) -> dict | None:
    if not session_key:
        return None
    held = cache.get(_pass_key(session_key, event_id, group_id))
    return held if isinstance(held, dict) else None


def pass_still_holds(session_key: str, held: dict, event_id: int, group_id: int) -> bool:
    """Whether the user a pass names may still read the group, checked in one query.

    The same rules as the full check (signed in with an active account whose password is
    unchanged; a coordinator, or a member, facilitator or note-taker of the group, which
    belongs to the event), read from the database, so a pass shows nothing its session could
    no longer see. False (take the full check) where sessions are not kept in the database.
    """
    session_model = _session_model()
    if session_model is None:
        return False
    found = first_row(
        _still_holds_sql(session_model),
        [
            held["user"],
            session_key,
            now(),
            group_id,
            event_id,
            Role.COORDINATOR.group_name,
        ],
    )
    if found is None:
        return False
    user = get_user_model()(pk=held["user"], password=found[0])
    return constant_time_compare(held["hash"], user.get_session_auth_hash())


@functools.cache
def _still_holds_sql(session_model: Any) -> str:
    # Written out, not built with the ORM: this runs for every poll that brings notes (about
    # one poll in three at a live event), and compiling four nested EXISTS through the ORM
    # cost ten times the query itself. Names come from the models, so they follow them.
    user_model = get_user_model()
    person = BreakoutGroup.members.field.related_model
    in_room = BreakoutGroup.members.through
    in_groups = user_model.groups.through

    return f"""
        SELECT u.{col(user_model, "password")} FROM {table(user_model)} u
        WHERE u.{col(user_model, "id")} = %s AND u.{col(user_model, "is_active")}
        AND EXISTS (
            SELECT 1 FROM {table(session_model)} s
            WHERE s.{col(session_model, "session_key")} = %s
            AND s.{col(session_model, "expire_date")} > %s
        )
        AND EXISTS (
            SELECT 1 FROM {table(BreakoutGroup)} g
            WHERE g.{col(BreakoutGroup, "id")} = %s AND g.{col(BreakoutGroup, "event")} = %s
            AND (
                u.{col(user_model, "is_superuser")}
                OR EXISTS (
                    SELECT 1 FROM {table(in_groups)} ug
                    JOIN {table(Group)} r ON r.{col(Group, "id")} = ug.{col(in_groups, "group")}
                    WHERE ug.{col(in_groups, "user")} = u.{col(user_model, "id")}
                    AND r.{col(Group, "name")} = %s
                )
                OR EXISTS (
                    SELECT 1 FROM {table(in_room)} m
                    JOIN {table(person)} p ON p.{col(person, "id")} = m.{col(in_room, "person")}
                    WHERE m.{col(in_room, "breakoutgroup")} = g.{col(BreakoutGroup, "id")}
                    AND p.{col(person, "user")} = u.{col(user_model, "id")}
                )
                OR EXISTS (
                    SELECT 1 FROM {table(person)} p
                    WHERE p.{col(person, "user")} = u.{col(user_model, "id")}
                    AND p.{col(person, "id")} IN (
                        g.{col(BreakoutGroup, "facilitator")}, g.{col(BreakoutGroup, "note_taker")}
                    )
                )
            )
        )
    """  # noqa: S608 - names from the models' metadata, quoted; every value a parameter


def _session_model() -> Any:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    # Sessions kept in the database (db, cached_db): a logout deletes the row.
    return store.get_model_class() if hasattr(store, "get_model_class") else None


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
        # Written out: each web process reads it again for every room every LAST_NOTE_SECONDS
        # (without a shared cache, each process for itself), and compiling it through the
        # ORM cost twice the query. The same index scan as .order_by("-pk").first().
        c = Contribution
        found = first_row(
            f"SELECT c.{col(c, 'id')} FROM {table(c)} c "  # noqa: S608
            f"WHERE c.{col(c, 'breakout_group')} = %s AND c.{col(c, 'channel')} = %s "
            f"ORDER BY c.{col(c, 'id')} DESC LIMIT 1",
            [group_id, ContributionChannel.BREAKOUT_NOTE],
        )
        last = found[0] if found else 0
        cache.set(key, last, LAST_NOTE_SECONDS)
    return last


def notes(group_id: int, after: int = 0) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(
            breakout_group_id=group_id, channel=ContributionChannel.BREAKOUT_NOTE, pk__gt=after
        )
        .select_related("author")
        # What a note shows (events/_notes.html): not the rest of the contribution's row.
        .only("text", "created_at", "author_name", "author__first_name", "author__last_name")
        .order_by("pk")
    )
