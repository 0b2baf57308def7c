"""Importing a video call's chat or transcript as contributions.

The file is kept in both cases. A check (dry run) of an ordinary file is made in the
request, of a very large file by the worker; its page shows what it found, every line
that cannot be read, and "Import these N messages", which imports from the kept file.
An import is queued for the worker, and its page follows the job, then shows the counts.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
        if len(data) > chat_import.MAX_BYTES:  # refused for its size, nothing kept
            report = chat_import.import_chat(event, data, upload.name, **options)
        elif dry_run:
            record = chat_import.check_chat_file(
                event,
                data,
                upload.name,
                actor=request.user,
                recorded_timezone=options["recorded_timezone"],
            )
            return redirect(record)
        else:
            record = chat_import.queue_chat_import(event, data, upload.name, **options)
            return redirect(record)
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
            "offer": chat_import.check_offer(record) if record.dry_run else "",
            "not_started": not_started,
        },
    )


@coordinator_required
@require_POST
def import_checked(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """ "Import these N messages" on a check's page: from the file the check kept."""
    event = get_object_or_404(Event, pk=pk)
    record = ChatImport.objects.filter(pk=import_id, event=event).select_related("event").first()
    if record is None:  # deleted after the retention time
        messages.error(request, _("That check is no longer kept: choose the file again."))
        return redirect("events:import_chat", pk)
    importing = chat_import.check_offer(record) == chat_import.CheckOffer.IMPORT
    tick = forms.ImportCheckedChatForm(request.POST)
    confirmed = tick.is_valid() and tick.cleaned_data["not_started_ok"]
    if importing and event.starts_at > timezone.now() and not confirmed:
        messages.error(
            request,
            _(
                "This event has not started yet: is this the right event? Tick the box to "
                "import anyway."
            ),
        )
        return redirect(record)
    record, done = chat_import.import_checked_chat(record, actor=request.user)
    if done == chat_import.CheckOffer.USED:
        messages.info(
            request,
            _(
                "These messages were already imported from this check (or are being): "
                "here is how it went. Nothing was imported twice."
            ),
        )
    elif done == chat_import.CheckOffer.EXPIRED:
        messages.error(
            request,
            _(
                "This check is more than a day old and its file is no longer kept: choose "
                "the file again."
            ),
        )
        return redirect("events:import_chat", pk)
    elif done == chat_import.CheckOffer.RECHECK:
        messages.warning(
            request,
            _(
                "Messages were imported for this event after this check, so the file has "
                "been checked again: look at the new figures, then import."
            ),
        )
    return redirect(record)
