from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cairn.core.network import network
from cairn.core.roles import coordinator_required, facilitator_required, member_required
from cairn.jobs.services import start_job
from cairn.jobs.views import follow
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate
from cairn.members.models import Channel
from cairn.outreach import services
from cairn.outreach.audience import Audience, compose_once, merge_context_for, message_title
from cairn.outreach.forms import (
    BatchActionForm,
    CallOutcomeForm,
    ComposeActionForm,
    ComposeForm,
    DeliveryActionForm,
    MarkSeenForm,
)
from cairn.outreach.merge import fill, merge_values
from cairn.outreach.models import Delivery, DeliveryStatus, LetterBatch, LetterFileKind, Message
from cairn.outreach.script import call_script


@csrf_exempt  # mail clients POST one-click unsubscribes (RFC 8058) without a CSRF token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # A GET only shows the button so that link scanners cannot unsubscribe people.
    if request.method != "POST":
        # Said at once: what the button stops, or that the link is broken (cut by a mail
        # client), instead of after the button is pressed.
        try:
            _person, purpose = services.unsubscribe_purpose(token)
        except services.OutreachError as error:
            return render(
                request, "outreach/unsubscribe.html", {"problems": [str(error)]}, status=400
            )
        return render(request, "outreach/unsubscribe.html", {"token": token, "purpose": purpose})
    try:
        consent = services.unsubscribe(token)
    except services.OutreachError as error:
        return render(request, "outreach/unsubscribe.html", {"problems": [str(error)]}, status=400)
    return render(request, "outreach/unsubscribe.html", {"done": consent})


@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    deliveries = (
        Delivery.objects.filter(person=person, status=DeliveryStatus.DELIVERED, channel="web")
        if person
        else Delivery.objects.none()
    )
    if request.method == "POST":
        form = MarkSeenForm(request.POST)
        if person is not None and form.is_valid():
            services.mark_seen(person, form.cleaned_data["delivery"], request.user)
        return redirect("outreach:inbox")
    shown = list(deliveries[:50])
    unseen = [d.pk for d in shown if d.seen_at is None]
    return render(request, "outreach/inbox.html", {"deliveries": shown, "unseen": unseen})


def _channel_counts(qs) -> dict:
    table: dict[str, dict[str, int]] = {c: {} for c in Channel.values}
    for row in qs.values("channel", "status").annotate(n=Count("id")):
        table.setdefault(row["channel"], {})[row["status"]] = row["n"]
    return table


def _status_rows(qs) -> list[dict]:
    counts = _channel_counts(qs)
    labels = dict(Channel.choices)
    return [
        {
            "channel": channel,
            "label": labels[channel],
            "cells": [counts.get(channel, {}).get(s, 0) for s in DeliveryStatus.values],
            "total": sum(counts.get(channel, {}).values()),
        }
        for channel in Channel.values
    ]


@coordinator_required
def index(request: HttpRequest) -> HttpResponse:
    messages_page = paginate(
        request, Message.objects.annotate(n=Count("deliveries")).order_by("-created_at", "-id")
    )
    for message in messages_page:
        message.title = message_title(message)
    return render(
        request,
        "outreach/index.html",
        {
            "messages_page": messages_page,
            "rows": _status_rows(Delivery.objects.all()),
            "statuses": DeliveryStatus.choices,
            "letters_waiting": Delivery.objects.filter(
                channel=Channel.POST, status=DeliveryStatus.QUEUED
            ).count(),
            "calls_waiting": services.call_list().count(),
            "not_reached": services.not_reached().count(),
            "failed": Delivery.objects.filter(status=DeliveryStatus.FAILED).count(),
        },
    )


@coordinator_required
def compose(request: HttpRequest) -> HttpResponse:
    form = ComposeForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        audience = Audience.from_dict(form.audience_dict())
        button = ComposeActionForm(request.POST)
        if not button.is_valid():
            messages.error(request, first_error(button))
        elif button.cleaned_data["action"] == "send":
            if not button.cleaned_data["confirm"]:
                messages.error(request, _("Tick the box to confirm sending."))
            else:
                message, created = compose_once(
                    form_key=form.cleaned_data["send_key"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    purpose=form.cleaned_data["purpose"],
                    audience=audience,
                    user=request.user,
                )
                if not created:
                    messages.info(
                        request,
                        _("This message was already sent (Send reached us twice): here it is."),
                    )
                    return redirect(message.get_absolute_url())
                job = start_job(
                    request.user,
                    _("Send “%(subject)s”") % {"subject": message.subject},
                    "cairn.outreach.audience.send_message_job",
                    {"message_id": message.pk, "user_id": request.user.pk},
                    next_url=message.get_absolute_url(),
                )
                return follow(request, job)
        context.update(_preview(form, audience))
    return render(request, "outreach/compose.html", context)


def _preview(form: ComposeForm, audience: Audience) -> dict:
    people = audience.people()
    # Counted and shown as sending will treat them: those without consent for the
    # purpose or a way to reach them by their channel are listed as not reached.
    reached = services.reachable(people, form.cleaned_data["purpose"])
    by_channel = {
        row["preferred_channel"]: row["n"]
        for row in reached.values("preferred_channel")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    }
    samples = []
    about = audience.about()
    for channel, label in Channel.choices:
        if not by_channel.get(channel):
            continue
        person = reached.filter(preferred_channel=channel).first()
        values = merge_values(person, merge_context_for(about))
        sample = Delivery(
            person=person,
            channel=channel,
            subject=fill(form.cleaned_data["subject"], values),
            body=fill(form.cleaned_data["body"], values),
            about=about,
        )
        samples.append(
            {
                "channel": channel,
                "label": label,
                "count": by_channel.get(channel, 0),
                "person": person,
                "delivery": sample,
                "script": call_script(sample) if channel == Channel.PHONE else [],
            }
        )
    reached_count = sum(by_channel.values())
    audience_count = people.count()
    return {
        "preview": True,
        "reached_count": reached_count,
        "not_reached_count": audience_count - reached_count,
        "audience_label": audience.label(),
        "audience_count": audience_count,
        "samples": samples,
    }


@coordinator_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk)
    deliveries = message.deliveries.select_related("person").order_by(
        "channel", "person__last_name"
    )
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        deliveries = deliveries.filter(channel=channel)
    return render(
        request,
        "outreach/message.html",
        {
            "message": message,
            "title": message_title(message),
            "body": message_title(message, message.body),
            "rows": _status_rows(message.deliveries.all()),
            "statuses": DeliveryStatus.choices,
            "page_obj": paginate(request, deliveries),
            "channel": channel,
            "channels": Channel.choices,
        },
    )


@coordinator_required
def letters(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            batch = services.create_letter_batch(request.user)
        except services.OutreachError as error:
            messages.error(request, str(error))
            return redirect("outreach:letters")
        # The worker prints them; the batch's page follows it to the download links.
        services.prepare_batch_files(batch, request.user)
        return redirect(batch)
    return render(
        request,
        "outreach/letters.html",
        {
            "waiting": services.queued_letters().select_related("person")[:200],
            "waiting_count": services.queued_letters().count(),
            "batches": LetterBatch.objects.annotate(n=Count("letters"))[:50],
            "sender_missing": _letter_sender_missing(),
        },
    )


def _letter_sender_missing() -> list[str]:
    """What the letters' sender block lacks (set on the network settings page)."""
    net = network()
    missing = []
    if not net.postal_address:
        missing.append("postal_address")
    if not net.named:
        missing.append("name")
    return missing


@coordinator_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A print batch: its letters, its files (ready, being prepared, or the Prepare
    button) and "Mark all as posted". GET only reads; the worker renders the files."""
    batch = get_object_or_404(LetterBatch.objects.select_related("prepare_job"), pk=pk)
    if request.method == "POST":
        form = BatchActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, first_error(form))
        elif form.cleaned_data["action"] == "prepare":
            services.prepare_batch_files(batch, request.user)
        elif not form.cleaned_data["confirm"]:
            messages.error(request, _("Tick the box to confirm the letters were posted."))
        else:
            n = services.mark_batch_posted(batch, request.user)
            messages.success(request, _("%(n)d letters marked as posted.") % {"n": n})
        return redirect(batch)
    files = services.batch_files(batch)
    return render(
        request,
        "outreach/batch.html",
        {
            "batch": batch,
            "files": files,
            "job": files.job,
            "letters": batch.letters.select_related("person"),
            "left_out": batch.left_out.select_related("person"),
            "sender_missing": _letter_sender_missing(),
        },
        status=202 if files.state == "preparing" else 200,
    )


def _stored_batch_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The stored PDF when it is current; else the batch's page, which says why. A GET
    never renders one: the worker does, when the page's Prepare button asks."""
    batch = get_object_or_404(LetterBatch.objects.select_related("prepare_job"), pk=pk)
    files = services.batch_files(batch)
    if files.state != "ready":
        return redirect(batch)
    return FileResponse(
        default_storage.open(files.files[kind].file.name, "rb"),
        as_attachment=True,
        filename=f"{kind}-batch-{batch.pk}.pdf",
        content_type="application/pdf",
    )


@coordinator_required
def batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _stored_batch_file(request, pk, LetterFileKind.LETTERS)


@coordinator_required
def batch_labels(request: HttpRequest, pk: int) -> HttpResponse:
    return _stored_batch_file(request, pk, LetterFileKind.LABELS)


@facilitator_required
def calls(request: HttpRequest) -> HttpResponse:
    qs = services.call_list().select_related("person", "person__organisation", "message")
    page = paginate(request, qs.order_by("created_at", "pk"))
    return render(request, "outreach/calls.html", {"page_obj": page})


@facilitator_required
def call(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(
        Delivery.objects.select_related("person"), pk=pk, channel=Channel.PHONE
    )
    form = CallOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_call(delivery, user=request.user, **form.cleaned_data)
        except services.OutreachError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Call logged."))
            return redirect("outreach:calls")
    return render(
        request,
        "outreach/call.html",
        {
            "delivery": delivery,
            "form": form,
            "script": call_script(delivery),
            "history": delivery.calls.select_related("logged_by"),
        },
    )


@coordinator_required
def not_reached(request: HttpRequest) -> HttpResponse:
    qs = services.not_reached().select_related("person", "message").order_by("-created_at")
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    return render(
        request,
        "outreach/not_reached.html",
        {"page_obj": paginate(request, qs), "channel": channel, "channels": Channel.choices},
    )


@coordinator_required
@require_POST
def delivery_action(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(
        Delivery, pk=pk, status__in=[DeliveryStatus.NOT_REACHED, DeliveryStatus.UNKNOWN]
    )
    form = DeliveryActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("outreach:not_reached")
    try:
        if form.cleaned_data["action"] == "retry":
            fresh = services.retry_delivery(delivery, request.user)
            messages.success(
                request,
                _("Sent again by %(channel)s: %(status)s")
                % {"channel": fresh.get_channel_display(), "status": fresh.get_status_display()},
            )
        else:
            services.resolve_delivery(delivery, request.user, form.cleaned_data["note"])
            messages.success(request, _("Marked as dealt with."))
    except services.OutreachError as error:
        messages.error(request, str(error))
    return redirect("outreach:not_reached")


@coordinator_required
@require_POST
def retry_failed(request: HttpRequest) -> HttpResponse:
    """Answers at once: the worker tries the emails, and the job's page follows it."""
    job = start_job(
        request.user,
        _("Retry failed emails"),
        "cairn.outreach.tasks.retry_failed_emails_job",
        next_url=reverse("outreach:index"),
    )
    return follow(request, job)


@coordinator_required
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_object_or_404(Delivery.objects.select_related("person", "message"), pk=pk)
    return render(request, "outreach/delivery.html", {"d": d, "calls": d.calls.all()})
