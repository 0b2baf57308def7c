"""Event pages: the list, an event's page and its calendar file, and creating, editing
and cancelling events (coordinators)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.selectors import visible_contributions, voices_by, voices_note
from cairn.core.roles import Role, coordinator_required, member_required, role_of
from cairn.events import forms
from cairn.events.calendar import event_ics
from cairn.events.models import (
    AgendaItem,
    BreakoutGroup,
    Event,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
)
from cairn.events.page_links import links_for
from cairn.events.selectors import visible_events, with_my_place
from cairn.events.services import board
from cairn.events.services import events as event_services
from cairn.events.services import registration as reg_services
from cairn.lib.paging import paginate


@member_required
def event_list(request: HttpRequest) -> HttpResponse:
    qs = with_my_place(visible_events(request.user), request.user)
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


def my_person(request: HttpRequest):
    return getattr(request.user, "person", None)


SHOWN_PER_LIST = 10


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
    person = my_person(request)
    can_read_notes = role is not None and role >= Role.FACILITATOR
    # A few contributions per list, newest first, and how many there are: a transcript
    # or a busy chat runs to thousands of lines, all of them on the contributions list.
    notes_by_theme: dict = {theme: [] for theme in event.breakout_themes.all()}
    other_contributions: list = []
    counts: dict = {}
    if can_read_notes:
        contributions = visible_contributions(request.user).filter(event=event)
        counts = dict(
            contributions.order_by()
            .values_list("theme_id")
            .annotate(n=Count("id"))
            .values_list("theme_id", "n")
        )
        for theme in notes_by_theme:
            if counts.get(theme.pk):
                notes_by_theme[theme] = list(contributions.filter(theme=theme)[:SHOWN_PER_LIST])
        if counts.get(None):
            other_contributions = list(contributions.filter(theme__isnull=True)[:SHOWN_PER_LIST])
    said_here = Contribution.objects.filter(event=event)
    channel_counts = said_here.values("channel").annotate(n=Count("id")).order_by("-n")
    # Lines and the people who said them: ten chat lines from one person are one voice.
    channel_voices = voices_by(said_here, "channel") if channel_counts else {}
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
        "my_groups": list(BreakoutGroup.objects.filter(event=event, members=person))
        if person
        else [],
        "register_form": forms.RegistrationForm(themes=event.breakout_themes.all())
        if event.status == EventStatus.OPEN
        and not event.has_ended
        and person
        and not registered_now
        else None,
        "event_is_past": event.has_ended,
        "can_give_feedback": registered_now
        and event.has_ended
        and not Feedback.objects.filter(event=event, person=person).exists(),
        "notes_by_theme": [
            (theme, notes, counts.get(theme.pk, 0)) for theme, notes in notes_by_theme.items()
        ],
        "other_count": counts.get(None, 0),
        "can_read_notes": can_read_notes,
        "other_contributions": other_contributions,
        "channel_counts": [
            (
                channel_labels.get(r["channel"], r["channel"]),
                r["n"],
                channel_voices.get(r["channel"], 0),
            )
            for r in channel_counts
        ],
        "voices_note": voices_note(),
        "waitlisted_count": event.registrations.filter(
            status=RegistrationStatus.WAITLISTED
        ).count(),
        "groups": groups,
        # Board links only for the rooms this person leads (their own room is in my_groups).
        "board_ids": {g.pk for g in board.groups_led_by(request.user, groups)},
        # Its reports, offered by the reports app (events does not import it).
        "page_links": links_for(event, request.user),
    }
    if role == Role.COORDINATOR:
        context["registrations"] = event.registrations.select_related(
            "person__organisation"
        ).filter(~Q(status=RegistrationStatus.CANCELLED))
    return render(request, "events/detail.html", context)


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
    chosen = (
        event.agenda_items.exclude(speaker=None).values_list("speaker_id", flat=True)
        if event
        else []
    )
    speaker_list = forms.Speakers(keep=chosen)
    speakers = {"speakers": speaker_list}
    if request.method == "POST":
        form = forms.EventForm(request.POST, instance=event)
        formset = forms.AgendaFormSet(request.POST, prefix="agenda", form_kwargs=speakers)
        if form.is_valid() and formset.is_valid():
            saved = event_services.save_event(
                form.cleaned_data,
                _agenda_lines(formset, form),
                actor=request.user,
                event_id=event.pk if event else None,
                tell_registered=form.cleaned_data.get("tell_registered", False),
            )
            messages.success(request, _("Event saved."))
            taken = reg_services.places_taken(saved)
            if saved.capacity is not None and taken > saved.capacity:
                messages.warning(
                    request,
                    _(
                        "%(taken)d people already have a place, more than the new capacity of "
                        "%(capacity)d: nobody loses their place, and nobody more is given one "
                        "until enough people cancel."
                    )
                    % {"taken": taken, "capacity": saved.capacity},
                )
            return redirect(saved)
    else:
        form = forms.EventForm(instance=event)
        formset = forms.AgendaFormSet(
            prefix="agenda",
            initial=_agenda_initial(event) if event else None,
            form_kwargs=speakers,
        )
    return render(
        request,
        "events/edit.html",
        {"form": form, "formset": formset, "event": event, "speakers": speaker_list},
    )


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


@member_required
def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The event as an .ics to add to one's own calendar: for people with a place."""
    event = get_object_or_404(visible_events(request.user), pk=pk)
    person = my_person(request)
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
