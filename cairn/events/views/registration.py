"""Registering for an event: one's own place, and coordinators registering people, cancelling
and giving breakout roles."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.core.roles import coordinator_required, member_required
from cairn.events import forms
from cairn.events.models import (
    BreakoutRole,
    Event,
    Registration,
    RegistrationStatus,
)
from cairn.events.selectors import visible_event, visible_events
from cairn.events.services import registration as reg_services
from cairn.events.views.events import my_person
from cairn.lib.paging import paginate
from cairn.lib.safety import safe_next
from cairn.members.models import ConsentPurpose, Person, person_matches
from cairn.members.services import PersonError


@member_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    plain = None
    if request.method == "POST" and request.POST:
        # A double click or a second tab repeats a registration already made; when places
        # are scarce most POSTs are such repeats. They are answered from the registration
        # alone: an open event's registration is one its member may see.
        plain = forms.plain_registration(request.POST)
        if plain is not None:
            status = reg_services.repeated_registration(pk, request.user, *plain)
            if status is not None:
                _registered(request, status)
                return redirect("events:detail", pk)
    event = visible_event(request.user, pk)
    if event is None:
        raise Http404
    if event.has_ended:
        # Left open by mistake, perhaps; the public page refuses it in the same way.
        messages.error(request, _("This event has taken place: registration is closed."))
        return redirect(event)
    person = my_person(request)
    if person is None:
        messages.error(
            request, _("Your login is not linked to a member record; ask a coordinator.")
        )
        return redirect(event)
    if plain is not None and not plain[1]:
        # Nothing ranked: the form, built from the event's themes, would read the same; and
        # repeated_registration above has just found that these would change something.
        return _register(request, event, person, plain[0], [], checked_unchanged=True)
    form = forms.RegistrationForm(request.POST or None, themes=event.breakout_themes.all())
    if request.method == "POST" and form.is_valid():
        return _register(
            request,
            event,
            person,
            form.cleaned_data["access_needs"],
            forms.ranked_preferences(form),
        )
    return render(request, "events/register.html", {"event": event, "form": form})


def _register(
    request: HttpRequest,
    event: Event,
    person: Person,
    access_needs: str,
    preferences: list[int],
    *,
    checked_unchanged: bool = False,
) -> HttpResponse:
    try:
        registration = reg_services.register(
            event.pk,
            person,
            access_needs=access_needs,
            preferences=preferences,
            checked_unchanged=checked_unchanged,
        )
    except reg_services.RegistrationError as exc:
        messages.error(request, str(exc))
        return redirect(event)
    _registered(request, registration.status)
    return redirect(event)


def _registered(request: HttpRequest, status: str) -> None:
    if status == RegistrationStatus.WAITLISTED:
        messages.info(request, _("The event is full: you are on the waiting list."))
    else:
        messages.success(request, _("You are registered."))


@member_required
def cancel_mine(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user, counted=False), pk=pk)
    person = my_person(request)
    registration = get_object_or_404(
        Registration.objects.exclude(status=RegistrationStatus.CANCELLED),
        event=event,
        person=person,
    )
    if event.has_ended:
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
        qs = qs.filter(person_matches(q, via="person__"))
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
