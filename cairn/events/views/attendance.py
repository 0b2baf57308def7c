"""Who came: the video tool's participant report, and checking people in by hand."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.core.roles import coordinator_required
from cairn.events import forms
from cairn.events.models import (
    Event,
    Registration,
    RegistrationStatus,
)
from cairn.events.services import attendance
from cairn.lib.paging import paginate
from cairn.lib.safety import safe_next
from cairn.members.models import person_matches


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
    # At the door: find someone by name or email instead of paging through everyone.
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(person_matches(q, via="person__"))
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "form": form,
            "report": report,
            "page_obj": paginate(request, qs, 50),
            "q": q,
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
