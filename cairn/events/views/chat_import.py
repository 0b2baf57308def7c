"""Importing a video call's chat or transcript as contributions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.core.roles import coordinator_required
from cairn.events import forms
from cairn.events.models import (
    Event,
)
from cairn.events.services import chat_import


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
