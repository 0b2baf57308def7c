"""Breakout groups (coordinators): themes, allocation, moves by hand, exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cairn.core.roles import Role, coordinator_required, member_required, role_of
from cairn.events import allocation, forms
from cairn.events.models import (
    BreakoutTheme,
    Event,
    RegistrationStatus,
)
from cairn.events.services import board, breakouts
from cairn.jobs.models import Job, JobStatus
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate


@coordinator_required
def breakouts_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    theme_form = forms.ThemeForm(prefix="theme")
    preview = None
    if request.method == "POST":
        button = forms.BreakoutActionForm(request.POST)
        action = button.cleaned_data["action"] if button.is_valid() else ""
        if not action:
            messages.error(request, first_error(button))
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
                    # "Add a theme" stays open for the next one: events have several.
                    url = reverse("events:breakouts", args=[pk])
                    return redirect(f"{url}?add=theme#add-theme")
            elif action == "allocate":
                job, started = breakouts.start_allocation(
                    event.pk, actor=request.user, start_over=button.cleaned_data["start_over"]
                )
                if not started:
                    messages.info(
                        request,
                        _("An allocation for this event is already under way; here it is."),
                    )
                if job.status == JobStatus.DONE:  # tasks run in the request: nothing to follow
                    messages.success(request, job.message)
                    return redirect("events:breakouts", pk)
                return redirect(f"{reverse('events:breakouts', args=[pk])}?job={job.pk}")
            elif action == "preview":
                preview = breakouts.allocate_event(event.pk, actor=request.user, dry_run=True)
            elif action == "release":
                release = forms.ReleasePersonForm(request.POST)
                person = release.cleaned_data["person"] if release.is_valid() else None
                if person and breakouts.release_person(event, person, actor=request.user):
                    messages.success(
                        request,
                        _("The next allocation places them like everyone else."),
                    )
                return redirect("events:breakouts", pk)
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
    placed = breakouts.hand_placed(event) if groups else {}
    for group in groups:
        group.moved_by_hand = set(placed.get(group.pk, ()))
    moved_by_hand = sum(len(people) for people in placed.values())
    return render(
        request,
        "events/breakouts.html",
        {
            "event": event,
            "themes": _themes_with_demand(event),
            "theme_form": theme_form,
            "adding_themes": request.GET.get("add") == "theme",
            "groups": groups,
            "groups_page": paginate(request, groups, 24),
            "quality": breakouts.quality_of(event) if groups else None,
            "preview": preview,
            "moved_by_hand": moved_by_hand,
            "moved_by_hand_message": breakouts.moved_by_hand_message(moved_by_hand),
            # "Start over" asks first: the page shows what would be undone, and a button.
            "confirm_start_over": bool(moved_by_hand) and request.GET.get("start_over") == "1",
            "allocation_job": _allocation_job(request, event),
            "leads": event.registrations.filter(status=RegistrationStatus.REGISTERED)
            .exclude(breakout_role="")
            .select_related("person"),
            "registered": _with_rooms(event, groups),
        },
    )


def _with_rooms(event: Event, groups: list) -> list:
    """Everyone registered, by name, each with the room they are in now: choosing whom to
    move, the coordinator sees where they are without looking through every room."""
    room_of = {m.pk: g.name for g in groups for m in g.members.all()}
    registered = list(
        event.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("person")
        .order_by("person__first_name", "person__last_name", "pk")
    )
    for registration in registered:
        registration.room = room_of.get(registration.person_id, "")
    return registered


def _allocation_job(request: HttpRequest, event: Event) -> Job | None:
    """The allocation this page follows: the one it started (`?job=`, kept in the address
    so the page shows its result once it reloads), else one still under way, which
    another coordinator may have started."""
    jobs = breakouts.allocation_jobs(event)
    asked = request.GET.get("job", "")
    if asked.isdigit() and len(asked) < 12:
        job = jobs.filter(pk=int(asked)).first()
        if job is not None:
            return job
    return jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()


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
    is_coordinator = role_of(request.user) == Role.COORDINATOR
    if not groups and not is_coordinator:
        raise PermissionDenied
    # The way back: the breakouts page is the coordinators'; a facilitator came from the event.
    return render(
        request,
        "events/print_groups.html",
        {"event": event, "groups": groups, "is_coordinator": is_coordinator},
    )
