"""The live breakout board of one group: its notes, and the poll that brings new ones."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cairn.core.roles import member_required
from cairn.events import forms
from cairn.events.models import (
    BreakoutGroup,
)
from cairn.events.services import board

# New notes reach other people's screens by polling, not Server-Sent Events or
# WebSockets. Cairn is served by a WSGI server (waitress) with a thread per open
# request: an SSE stream or a socket per open board would hold a thread for the
# whole discussion, and 600 rooms of 8 would exhaust any sensible pool, where a
# poll is a short indexed query ("notes after id N") answered with 204 when
# nothing is new. Polling also needs no ASGI server, no Channels, no Redis, and
# passes any proxy. A few seconds of delay is fine for a discussion board.
# board.js (a data-* hooked script, no build step) polls every 3 seconds; without
# JavaScript the page is a plain form that posts and reloads.

BOARD_POLL_SECONDS = 3


def _group(pk: int, gid: int) -> BreakoutGroup:
    return get_object_or_404(
        BreakoutGroup.objects.select_related("event", "theme", "facilitator", "note_taker"),
        pk=gid,
        event_id=pk,
    )


@member_required
def group_board(request: HttpRequest, pk: int, gid: int) -> HttpResponse:
    group = _group(pk, gid)
    if not board.can_use_board(request.user, group):
        raise PermissionDenied
    # Checked in full just now: the board's script polls from this page, and its first poll
    # is then answered as any later one (see group_notes), not by a check of its own.
    board.grant_poll_pass(request.session.session_key, request.user, pk, gid)
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = board.post_note(
                group,
                form.cleaned_data["text"],
                user=request.user,
                anonymous=form.cleaned_data["anonymous"],
            )
        except (board.BoardError, ValueError) as exc:
            form.add_error("text", str(exc))
        else:
            if request.headers.get("X-Requested-With") == "fetch":
                return HttpResponse(status=201, headers={"X-Note-Id": str(note.pk)})
            messages.success(request, _("Your note is on the board."))
            return redirect(group)
    notes = list(board.notes(group.pk))
    return render(
        request,
        "events/board.html",
        {
            "group": group,
            "event": group.event,
            "form": form,
            "notes": notes,
            "last_id": notes[-1].pk if notes else 0,
            "poll_seconds": BOARD_POLL_SECONDS,
            "members": group.members.select_related("organisation"),
            # Notes become what the group said, so a board used before the event warns.
            "not_started": group.event.starts_at > timezone.now(),
        },
    )


def group_notes(request: HttpRequest, pk: int, gid: int) -> HttpResponse:
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    # A session that passed the full check a moment ago holds a pass (services/board.py):
    # with it "nothing new" is answered from the cache, and new notes after one query that
    # checks again, from the database, everything the full check would.
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    held = board.poll_pass(session_key, pk, gid)
    if held is not None:
        last = board.last_note_id(gid)
        if after >= last or request.headers.get("If-None-Match") == _etag(gid, last):
            return _unchanged(gid, last, after)
        if board.pass_still_holds(session_key, held, pk, gid):
            board.renew_poll_pass(session_key, held, pk, gid)
            return _new_notes(gid, after, last)
        return _group_notes(request, pk, gid, after)
    # No pass yet (the first poll, or after a restart: every open board at once). The user
    # and password digest the session names are checked in the same one query; only a
    # session it does not clear takes the full check, which answers why (log in, 403, 404).
    held = board.pass_from_session(request.session)
    if held is not None and board.pass_still_holds(session_key, held, pk, gid):
        board.renew_poll_pass(session_key, held, pk, gid)
        last = board.last_note_id(gid)
        if after >= last or request.headers.get("If-None-Match") == _etag(gid, last):
            return _unchanged(gid, last, after)
        return _new_notes(gid, after, last)
    return _group_notes(request, pk, gid, after)


def _etag(gid: int, last: int) -> str:
    # The ETag names the newest note: a poll that already has it is answered 304 (or 204
    # for a poll by "after") without reading or rendering any notes.
    return f'"board-{gid}-{last}"'


def _unchanged(gid: int, last: int, after: int) -> HttpResponse:
    return _poll_headers(HttpResponse(status=204 if after >= last else 304), gid, last)


def _poll_headers(response: HttpResponse, gid: int, last: int) -> HttpResponse:
    response["ETag"] = _etag(gid, last)
    response["Cache-Control"] = "private, no-cache"
    return response


# Every member of a room polls for the same new note, a few seconds apart: the fragment that
# brings it is the same for all of them (rendered without the request), so it is kept a
# moment under the room, the note polled after, the newest note and the language, and the
# room's other members are sent it without reading or rendering the notes again. Each of them
# has passed the check first; a newer note is another key. Kept briefly, as the page would
# show an edited or erased name no later than that.
NOTES_FRAGMENT_SECONDS = 5


def _new_notes(gid: int, after: int, last: int) -> HttpResponse:
    key = (
        f"board:notes:{gid}:{after}:{last}:{get_language()}:{timezone.get_current_timezone_name()}"
    )
    html = cache.get(key)
    if html is None:
        notes = list(board.notes(gid, after))
        if not notes:
            return _unchanged(gid, last, last)
        # The fragment needs no context processors (user, messages, nonce): rendered without
        # the request, it reads nothing more than its notes.
        html = render_to_string("events/_notes.html", {"notes": notes})
        if notes[-1].pk >= last:  # never keep, under `last`, a fragment that lacks it
            cache.set(key, html, NOTES_FRAGMENT_SECONDS)
    return _poll_headers(HttpResponse(html), gid, last)


@member_required
def _group_notes(request: HttpRequest, pk: int, gid: int, after: int) -> HttpResponse:
    allowed = board.may_poll_board(request.user, pk, gid)
    if allowed is None:
        raise Http404
    if not allowed:
        raise PermissionDenied
    board.grant_poll_pass(request.session.session_key, request.user, pk, gid)
    last = board.last_note_id(gid)
    if after >= last or request.headers.get("If-None-Match") == _etag(gid, last):
        return _unchanged(gid, last, after)
    return _new_notes(gid, after, last)
