"""Importing a video call's chat or transcript as contributions.

A check (dry run) of an ordinary file answers in the request, with every line that
cannot be read; an import that writes, or a check of a very large file, is kept and
queued for the worker, and its own page follows the job and then shows what it found.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core.roles import coordinator_required
from cairn.events import forms
from cairn.events.models import ChatImport, ChatImportStatus, Event
from cairn.events.services import chat_import


@coordinator_required
def import_chat_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    not_started = event.starts_at > timezone.now()
    form = forms.ChatImportForm(
        request.POST or None, request.FILES or None, not_started=not_started
    )
    report = None
    if (
        request.method == "POST"
        and form.is_valid()
        and not_started
        and not form.cleaned_data["dry_run"]
        and not form.cleaned_data.get("not_started_ok")
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
        data = upload.read()
        dry_run = form.cleaned_data["dry_run"]
        options = {"actor": request.user, "dry_run": dry_run}
        options["recorded_timezone"] = form.cleaned_data["recorded_timezone"]
        if not chat_import.run_in_request(data, dry_run=dry_run):
            record = chat_import.queue_chat_import(event, data, upload.name, **options)
            return redirect(record)
        report = chat_import.import_chat(event, data, upload.name, **options)
    return render(
        request,
        "events/import_chat.html",
        {"event": event, "form": form, "report": report, "not_started": not_started},
    )


@coordinator_required
def import_chat_result(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """A queued import: its progress while the worker has it, then what it found."""
    event = get_object_or_404(Event, pk=pk)
    record = get_object_or_404(ChatImport.objects.select_related("job"), pk=import_id, event=event)
    report = chat_import.ChatImportReport.from_dict(record.report) if record.report else None
    not_started = event.starts_at > timezone.now()
    form = forms.ChatImportForm(not_started=not_started)
    return render(
        request,
        "events/import_chat.html",
        {
            "event": event,
            "form": form,
            "report": report,
            "record": record,
            "waiting": record.status == ChatImportStatus.WAITING,
            "not_started": not_started,
        },
    )
