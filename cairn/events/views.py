from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.selectors import visible_contributions
from cairn.core.roles import Role, coordinator_required, member_required, role_of
from cairn.events import allocation, forms
from cairn.events.calendar import event_ics
from cairn.events.models import (
    AgendaItem,
    BreakoutGroup,
    BreakoutRole,
    BreakoutTheme,
    Event,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
)
from cairn.events.selectors import visible_events
from cairn.events.services import attendance, board, breakouts, chat_import, feedback
from cairn.events.services import events as event_services
from cairn.events.services import registration as reg_services
from cairn.lib.paging import paginate
from cairn.lib.safety import safe_next
from cairn.members.models import ConsentPurpose
from cairn.members.services import PersonError


@member_required
def event_list(request: HttpRequest) -> HttpResponse:
    qs = visible_events(request.user)
    when = request.GET.get("when", "")
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now)
    return render(
        request,
        "events/list.html",
        {
            "page_obj": paginate(request, qs),
            "when": when,
            "is_coordinator": role_of(request.user) == Role.COORDINATOR,
        },
    )


def _my_person(request: HttpRequest):
    return getattr(request.user, "person", None)


@member_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        visible_events(request.user).prefetch_related(
            Prefetch("agenda_items", AgendaItem.objects.select_related("speaker__organisation")),
            "breakout_themes",
        ),
        pk=pk,
    )
    role = role_of(request.user)
    person = _my_person(request)
    contributions = visible_contributions(request.user).filter(event=event)
    notes_by_theme = {}
    for theme in event.breakout_themes.all():
        notes_by_theme[theme] = [c for c in contributions if c.theme_id == theme.pk]
    channel_counts = (
        Contribution.objects.filter(event=event)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    channel_labels = dict(ContributionChannel.choices)
    mine = Registration.objects.filter(event=event, person=person).first() if person else None
    waiting_position = None
    if mine and mine.status == RegistrationStatus.WAITLISTED:
        waiting_ids = list(reg_services.waiting_list(event).values_list("pk", flat=True))
        waiting_position = waiting_ids.index(mine.pk) + 1 if mine.pk in waiting_ids else None
    registered_now = mine is not None and mine.status != RegistrationStatus.CANCELLED
    groups = list(
        BreakoutGroup.objects.filter(event=event)
        .select_related("theme", "facilitator", "note_taker")
        .annotate(size=Count("members"))
    )
    context = {
        "event": event,
        "role": role,
        "my_registration": mine if registered_now else None,
        "waiting_position": waiting_position,
        "my_groups": BreakoutGroup.objects.filter(event=event, members=person) if person else [],
        "register_form": forms.RegistrationForm(themes=event.breakout_themes.all())
        if event.status == EventStatus.OPEN and person and not registered_now
        else None,
        "event_is_past": event.ends_at <= timezone.now(),
        "can_give_feedback": registered_now
        and event.ends_at <= timezone.now()
        and not Feedback.objects.filter(event=event, person=person).exists(),
        "notes_by_theme": notes_by_theme,
        "can_read_notes": role is not None and role >= Role.FACILITATOR,
        "other_contributions": [c for c in contributions if c.theme_id is None],
        "channel_counts": [
            (channel_labels.get(r["channel"], r["channel"]), r["n"]) for r in channel_counts
        ],
        "waitlisted_count": event.registrations.filter(
            status=RegistrationStatus.WAITLISTED
        ).count(),
        "groups": groups,
        # Board links only for the rooms this person leads (their own room is in my_groups).
        "board_ids": {g.pk for g in board.groups_led_by(request.user, groups)},
    }
    if role == Role.COORDINATOR:
        context["registrations"] = event.registrations.select_related(
            "person__organisation"
        ).filter(~Q(status=RegistrationStatus.CANCELLED))
    return render(request, "events/detail.html", context)


# --- creating and editing events (coordinators) ---


def _agenda_lines(formset, event_form) -> list[event_services.AgendaLine]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = event_form.cleaned_data["starts_at"]
    zone = ZoneInfo(event_form.cleaned_data.get("timezone") or "Europe/London")
    day = starts.astimezone(zone).date()
    lines = []
    for form in formset:
        data = form.cleaned_data
        if not data or not data.get("title"):
            continue
        at = datetime.combine(day, data["time"], tzinfo=zone) if data.get("time") else None
        lines.append(
            event_services.AgendaLine(
                title=data["title"], starts_at=at, speaker=data.get("speaker")
            )
        )
    return lines


def _agenda_initial(event: Event) -> list[dict]:
    return [
        {
            "time": timezone.localtime(item.starts_at, _zone(event)).time()
            if item.starts_at
            else None,
            "title": item.title,
            "speaker": item.speaker_id,
        }
        for item in event.agenda_items.all()
    ]


def _zone(event: Event):
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(event.timezone)
    except (KeyError, ValueError):
        return ZoneInfo("Europe/London")


@coordinator_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk) if pk else None
    if request.method == "POST":
        form = forms.EventForm(request.POST, instance=event)
        formset = forms.AgendaFormSet(request.POST, prefix="agenda")
        if form.is_valid() and formset.is_valid():
            saved = event_services.save_event(
                form.cleaned_data,
                _agenda_lines(formset, form),
                actor=request.user,
                event_id=event.pk if event else None,
            )
            messages.success(request, _("Event saved."))
            return redirect(saved)
    else:
        form = forms.EventForm(instance=event)
        formset = forms.AgendaFormSet(
            prefix="agenda", initial=_agenda_initial(event) if event else None
        )
    return render(request, "events/edit.html", {"form": form, "formset": formset, "event": event})


@coordinator_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = forms.CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event_services.cancel_event(
            event.pk, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("The event is cancelled; everyone registered is being told by their channel."),
        )
        return redirect(event)
    people = event.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
    return render(
        request, "events/cancel_event.html", {"event": event, "form": form, "people": people}
    )


# --- registration ---


@member_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    person = _my_person(request)
    if person is None:
        messages.error(
            request, _("Your login is not linked to a member record; ask a coordinator.")
        )
        return redirect(event)
    form = forms.RegistrationForm(request.POST or None, themes=event.breakout_themes.all())
    if request.method == "POST" and form.is_valid():
        try:
            registration = reg_services.register(
                event.pk,
                person,
                access_needs=form.cleaned_data["access_needs"],
                preferences=forms.ranked_preferences(form),
            )
        except reg_services.RegistrationError as exc:
            messages.error(request, str(exc))
            return redirect(event)
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.info(request, _("The event is full: you are on the waiting list."))
        else:
            messages.success(request, _("You are registered."))
        return redirect(event)
    return render(request, "events/register.html", {"event": event, "form": form})


@member_required
def cancel_mine(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    person = _my_person(request)
    registration = get_object_or_404(
        Registration.objects.exclude(status=RegistrationStatus.CANCELLED),
        event=event,
        person=person,
    )
    if event.ends_at <= timezone.now():
        # Who registered for a past event is part of its history (and its report).
        messages.error(
            request, _("This event has taken place: its registrations can no longer be cancelled.")
        )
        return redirect(event)
    if request.method == "POST":
        reg_services.cancel(registration.pk, actor=request.user)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(event)
    return render(
        request, "events/cancel_registration.html", {"event": event, "registration": registration}
    )


@coordinator_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    qs = event.registrations.select_related("person__organisation", "entered_by").order_by(
        "status", "queued_at", "created_at", "pk"
    )
    status = request.GET.get("status", "")
    if status in RegistrationStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(person__first_name__icontains=q)
            | Q(person__last_name__icontains=q)
            | Q(person__email__icontains=q)
        )
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "page_obj": paginate(request, qs, 50),
            "status": status,
            "q": q,
            "statuses": RegistrationStatus.choices,
            "roles": BreakoutRole.choices,
            "taken": reg_services.places_taken(event),
        },
    )


@coordinator_required
def register_on_behalf(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = forms.StaffRegistrationForm(request.POST or None, themes=event.breakout_themes.all())
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            if person is None:
                registration = reg_services.register_new_person(
                    event.pk,
                    form.new_person_details(),
                    channel=form.cleaned_data["channel"],
                    entered_by=request.user,
                    consents=[ConsentPurpose.EVENT_INVITATIONS]
                    if form.cleaned_data["new_consent"]
                    else [],
                    access_needs=form.cleaned_data["access_needs"],
                    preferences=forms.ranked_preferences(form),
                )
                person = registration.person
            else:
                registration = reg_services.register(
                    event.pk,
                    person,
                    channel=form.cleaned_data["channel"],
                    entered_by=request.user,
                    access_needs=form.cleaned_data["access_needs"],
                    preferences=forms.ranked_preferences(form),
                )
        except (reg_services.RegistrationError, PersonError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": person.full_name, "status": registration.get_status_display()},
            )
            return redirect("events:registrations", event.pk)
    return render(request, "events/register_on_behalf.html", {"event": event, "form": form})


@coordinator_required
def cancel_registration(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("person", "event"), pk=rid, event_id=pk
    )
    if request.method == "POST":
        reg_services.cancel(registration.pk, actor=request.user)
        messages.success(
            request, _("Cancelled %(name)s.") % {"name": registration.person.full_name}
        )
        return redirect("events:registrations", pk)
    return render(
        request,
        "events/cancel_registration.html",
        {"event": registration.event, "registration": registration, "on_behalf": True},
    )


@coordinator_required
@require_POST
def set_role(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=rid, event_id=pk)
    form = forms.BreakoutRoleForm(request.POST)
    try:
        if not form.is_valid():
            raise reg_services.RegistrationError(form.errors["role"][0])
        reg_services.set_breakout_role(
            registration.pk, form.cleaned_data["role"], actor=request.user
        )
    except reg_services.RegistrationError as exc:
        messages.error(request, str(exc))
    return redirect(safe_next(request, f"/events/{pk}/registrations/"))


# --- attendance ---


@coordinator_required
def attendance_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = forms.AttendanceImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = attendance.import_participant_report(
            event, upload.read(), upload.name, actor=request.user
        )
        if report.ok:
            messages.success(
                request,
                _("%(n)s people marked as attended.") % {"n": report.matched},
            )
    qs = (
        event.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("person__organisation")
        .order_by("person__last_name", "person__first_name")
    )
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "form": form,
            "report": report,
            "page_obj": paginate(request, qs, 50),
            "figures": attendance.attendance_figures(event),
        },
    )


@coordinator_required
@require_POST
def check_in(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=rid, event_id=pk)
    form = forms.CheckInForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError(form.errors["attended"][0])
        attendance.check_in(
            registration.pk, actor=request.user, attended=form.cleaned_data["attended"]
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect(safe_next(request, f"/events/{pk}/attendance/"))


# --- breakouts (coordinators) ---


@coordinator_required
def breakouts_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    theme_form = forms.ThemeForm(prefix="theme")
    preview = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_theme":
                theme_form = forms.ThemeForm(request.POST, prefix="theme")
                if theme_form.is_valid():
                    data = theme_form.cleaned_data
                    breakouts.add_theme(
                        event,
                        name=data["name"],
                        description=data.get("description", ""),
                        room_capacity=data["room_capacity"],
                        actor=request.user,
                    )
                    messages.success(request, _("Theme added."))
                    return redirect("events:breakouts", pk)
            elif action == "allocate":
                result = breakouts.allocate_event(event.pk, actor=request.user)
                messages.success(
                    request,
                    _("Allocated %(people)s people into %(groups)s groups.")
                    % {"people": result.quality.participants, "groups": result.quality.groups},
                )
                return redirect("events:breakouts", pk)
            elif action == "preview":
                preview = breakouts.allocate_event(event.pk, actor=request.user, dry_run=True)
            elif action == "move":
                move_form = forms.MoveToGroupForm(request.POST, event=event)
                if not move_form.is_valid():
                    raise breakouts.BreakoutError(
                        " ".join(str(e[0]) for e in move_form.errors.values())
                    )
                person = move_form.cleaned_data["person"]
                target = breakouts.move_person(
                    event, person.pk, move_form.cleaned_data["group"].pk, actor=request.user
                )
                lead = move_form.cleaned_data["lead"]
                if lead:
                    breakouts.set_group_lead(target, person.pk, role=lead, actor=request.user)
                messages.success(request, _("Moved to %(room)s.") % {"room": target.name})
                return redirect("events:breakouts", pk)
        except (breakouts.BreakoutError, allocation.AllocationError) as exc:
            messages.error(request, str(exc))
    groups = breakouts.groups_of(event)
    return render(
        request,
        "events/breakouts.html",
        {
            "event": event,
            "themes": _themes_with_demand(event),
            "theme_form": theme_form,
            "groups": groups,
            "groups_page": paginate(request, groups, 24),
            "quality": breakouts.quality_of(event) if groups else None,
            "preview": preview,
            "leads": event.registrations.filter(status=RegistrationStatus.REGISTERED)
            .exclude(breakout_role="")
            .select_related("person"),
            "registered": event.registrations.filter(
                status=RegistrationStatus.REGISTERED
            ).select_related("person"),
        },
    )


def _themes_with_demand(event: Event) -> list[BreakoutTheme]:
    from cairn.events.models import BreakoutPreference

    counts = dict(
        BreakoutPreference.objects.filter(
            registration__event=event,
            registration__status=RegistrationStatus.REGISTERED,
            rank=1,
        )
        .values_list("theme")
        .annotate(n=Count("id"))
        .values_list("theme", "n")
    )
    themes = list(event.breakout_themes.all())
    for theme in themes:
        theme.first_choices = counts.get(theme.pk, 0)
    return themes


@coordinator_required
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    content, _without = breakouts.export_zoom_csv(event)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="breakout-rooms-event-{event.pk}.csv"'
    return response


@member_required
def print_groups(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    # Phone numbers of members: a facilitator prints only the groups they lead.
    groups = board.groups_led_by(request.user, breakouts.groups_of(event))
    if not groups and role_of(request.user) != Role.COORDINATOR:
        raise PermissionDenied
    return render(request, "events/print_groups.html", {"event": event, "groups": groups})


# --- the live breakout board ---
#
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
    notes = list(board.notes(group))
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


@member_required
def group_notes(request: HttpRequest, pk: int, gid: int) -> HttpResponse:
    group = _group(pk, gid)
    if not board.can_use_board(request.user, group):
        raise PermissionDenied
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    last = board.last_note_id(group)
    # The ETag names the newest note: a poll that already has it is answered 304 (or 204
    # for a poll by "after") without reading or rendering any notes.
    etag = f'"board-{group.pk}-{last}"'
    if after >= last or request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=204 if after >= last else 304)
    else:
        notes = list(board.notes(group, after))
        response = (
            render(request, "events/_notes.html", {"notes": notes})
            if notes
            else HttpResponse(status=204)
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


# --- imports and feedback ---


@coordinator_required
def import_chat_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = forms.ChatImportForm(request.POST or None, request.FILES or None)
    report = None
    not_started = event.starts_at > timezone.now()
    if (
        request.method == "POST"
        and form.is_valid()
        and not_started
        and not form.cleaned_data["dry_run"]
        and not form.cleaned_data["not_started_ok"]
    ):
        form.add_error(
            "not_started_ok",
            _(
                "This event has not started yet: is this the right event? Tick the box to "
                "import anyway."
            ),
        )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = chat_import.import_chat(
            event,
            upload.read(),
            upload.name,
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
            recorded_timezone=form.cleaned_data["recorded_timezone"],
        )
        if report.ok and not report.dry_run:
            messages.success(
                request,
                ngettext("%(n)d message imported.", "%(n)d messages imported.", report.imported)
                % {"n": report.imported},
            )
    return render(
        request,
        "events/import_chat.html",
        {"event": event, "form": form, "report": report, "not_started": not_started},
    )


@member_required
def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The event as an .ics to add to one's own calendar: for people with a place."""
    event = get_object_or_404(visible_events(request.user), pk=pk)
    person = _my_person(request)
    has_place = (
        person is not None
        and Registration.objects.filter(
            event=event, person=person, status=RegistrationStatus.REGISTERED
        ).exists()
    )
    if not has_place and role_of(request.user) != Role.COORDINATOR:
        raise PermissionDenied
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@member_required
def feedback_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    person = _my_person(request)
    if person is None:
        raise Http404
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.submit_feedback(
                event,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                person=person,
                consent_to_quote=form.cleaned_data["consent_to_quote"],
            )
        except feedback.FeedbackError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect(event)
    return render(request, "events/feedback.html", {"event": event, "form": form})


@coordinator_required
def feedback_enter(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = forms.StaffFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.submit_feedback(
                event,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                person=form.cleaned_data["person"],
                channel=form.cleaned_data["channel"],
                entered_by=request.user,
                consent_to_quote=form.cleaned_data["consent_to_quote"],
            )
        except feedback.FeedbackError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Feedback recorded."))
            return redirect("events:feedback_enter", pk)
    summary = event.feedback.values("rating").annotate(n=Count("id")).order_by("-rating")
    return render(
        request,
        "events/feedback.html",
        {"event": event, "form": form, "staff": True, "summary": summary},
    )
