"""Feedback on an event: from the people who came, and entered by coordinators."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cairn.core.roles import coordinator_required, member_required
from cairn.events import forms
from cairn.events.models import (
    Event,
)
from cairn.events.selectors import visible_events
from cairn.events.services import feedback
from cairn.events.views.events import my_person


@member_required
def feedback_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    person = my_person(request)
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
