from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.consultations.models import Consultation
from cairn.core.roles import coordinator_required
from cairn.events.models import Event
from cairn.jobs.services import start_job
from cairn.jobs.views import follow
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate
from cairn.reports import files, forms, sending, services
from cairn.reports import render as renderers
from cairn.reports.document import build_document, document_for
from cairn.reports.models import Quote, RenderStatus, Report, Section


def _consultations() -> list:
    return list(Consultation.objects.order_by("-pk")[:100])


@coordinator_required
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/list.html",
        {
            "page_obj": paginate(request, Report.objects.select_related("event")),
            "events": Event.objects.filter(contributions__isnull=False)
            .distinct()
            .order_by("-starts_at"),
            "consultations": _consultations(),
        },
    )


@coordinator_required
@require_POST
def generate_event_report(request: HttpRequest) -> HttpResponse:
    form = forms.EventReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("reports:list")
    report = services.generate_event_report(form.cleaned_data["event"], request.user)
    messages.success(request, _("Draft report generated. Read it through, edit, then approve it."))
    return redirect(report)


@coordinator_required
@require_POST
def generate_briefing(request: HttpRequest) -> HttpResponse:
    form = forms.BriefingForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("reports:list")
    data = form.cleaned_data
    try:
        report = services.generate_briefing(
            list(data["events"]),
            request.user,
            data["title"],
            consultation_ids=[c.pk for c in data["consultations"]],
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:list")
    return redirect(report)


@coordinator_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    doc = renderers.with_svg(document_for(report, public=False))
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "doc": doc,
            "count": len(doc["sections"]),
            "sending": sending.audience_counts(report),
        },
    )


@coordinator_required
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=section_pk, report_id=pk)
    form = forms.SectionForm(
        request.POST or None, initial={"heading": section.heading, "body": section.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_section(section, request.user, **form.cleaned_data)
        except services.ReportError as exc:
            form.add_error("heading", str(exc))
        else:
            messages.success(request, _("Section saved."))
            return redirect(f"{section.report.get_absolute_url()}#s-{section.pk}")
    return render(
        request,
        "reports/section_edit.html",
        {"section": section, "report": section.report, "form": form},
    )


def _section_action(request: HttpRequest, pk: int, section_pk: int) -> Section:
    return get_object_or_404(Section, pk=section_pk, report_id=pk)


@coordinator_required
@require_POST
def section_move(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = _section_action(request, pk, section_pk)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        services.move_section(section, request.user, form.cleaned_data["direction"])
    else:
        messages.error(request, first_error(form))
    return redirect(f"{section.report.get_absolute_url()}#s-{section.pk}")


@coordinator_required
@require_POST
def section_hide(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = _section_action(request, pk, section_pk)
    form = forms.HiddenForm(request.POST)
    if form.is_valid():
        services.set_section_hidden(section, request.user, form.cleaned_data["hidden"])
    else:
        messages.error(request, first_error(form))
    return redirect(f"{section.report.get_absolute_url()}#s-{section.pk}")


@coordinator_required
@require_POST
def section_regenerate(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = _section_action(request, pk, section_pk)
    try:
        services.regenerate_section(section, request.user)
        messages.success(request, _("Section generated again; the old text is in the history."))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect(f"{section.report.get_absolute_url()}#s-{section.pk}")


@coordinator_required
@require_POST
def section_rename(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = _section_action(request, pk, section_pk)
    form = forms.RenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(f"{section.report.get_absolute_url()}#s-{section.pk}")
    try:
        services.rename_theme_section(section, request.user, form.cleaned_data["label"])
        messages.success(request, _("Theme renamed."))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect(f"{section.report.get_absolute_url()}#s-{section.pk}")


@coordinator_required
@require_POST
def quote_hide(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    quote = get_object_or_404(Quote, pk=quote_pk, section__report_id=pk)
    form = forms.HiddenForm(request.POST)
    if form.is_valid():
        services.set_quote_hidden(quote, request.user, form.cleaned_data["hidden"])
    else:
        messages.error(request, first_error(form))
    return redirect(f"{quote.section.report.get_absolute_url()}#s-{quote.section_id}")


@coordinator_required
@require_POST
def next_steps(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    form = forms.NextStepsForm(request.POST)
    form.is_valid()  # an optional text: every value is valid
    services.set_next_steps(report, request.user, form.cleaned_data["next_steps"])
    messages.success(request, _("Next steps saved."))
    return redirect(report)


@coordinator_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    services.approve(report, request.user)
    messages.success(request, _("Approved. You can now publish it."))
    return redirect(report)


@coordinator_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    try:
        report = services.publish(report, request.user)
        messages.success(request, _("Published. Anyone with the link can read it."))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect(report)


@coordinator_required
@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    form = forms.UnpublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(report)
    services.unpublish(report, request.user)
    messages.success(request, _("The report is no longer public."))
    return redirect(report)


@coordinator_required
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: a preview (the message, how many people by which channel); POST: send it."""
    report = get_object_or_404(Report, pk=pk)
    # The report page asks for the preview by GET; the preview posts the same fields back.
    form = forms.SendForm(request.POST if request.method == "POST" else request.GET)
    # Checked here so a report that cannot be sent says so at once, not from a job.
    if not report.is_published:
        messages.error(request, _("Publish the report before sending it."))
        return redirect(report)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(report)
    audience = form.cleaned_data["audience"]
    if request.method != "POST" or not form.cleaned_data["confirm"]:
        if request.method == "POST":
            messages.error(request, _("Tick the box to confirm sending the report."))
        return render(
            request,
            "reports/send_preview.html",
            {
                "report": report,
                "audience": audience,
                "preview": sending.preview(report, audience),
            },
        )
    job = start_job(
        request.user,
        _("Send the report “%(title)s”") % {"title": report.title},
        "cairn.reports.sending.send_report_job",
        {
            "report_id": report.pk,
            "audience": audience,
            "user_id": request.user.pk,
            "since": timezone.now().isoformat(),
        },
        next_url=report.get_absolute_url(),
    )
    return follow(request, job)


@coordinator_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    return render(
        request,
        "reports/history.html",
        {
            "report": report,
            "page_obj": paginate(request, report.revisions.select_related("actor", "section")),
        },
    )


def _download(request: HttpRequest, doc: dict, report: Report, fmt: str) -> HttpResponse:
    if fmt not in renderers.FORMATS:
        raise Http404
    large = request.GET.get("large") == "1"
    if fmt in files.STORED_FORMATS:
        return _stored(request, doc, report, fmt, large)
    body = renderers.render(doc, fmt, large_print=large)
    response = HttpResponse(body, content_type=renderers.FORMATS[fmt])
    if fmt != "html":
        name = files.file_name(report, fmt, large)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stored(request: HttpRequest, doc: dict, report: Report, fmt: str, large: bool) -> HttpResponse:
    """The stored file when it is ready; else a page that follows its rendering."""
    rendered = files.request_file(report, doc, fmt, large)
    if rendered.status == RenderStatus.FAILED and request.GET.get("again") == "1":
        rendered = files.retry(rendered, doc)
    polled = "application/json" in request.headers.get("Accept", "")
    if rendered.status == RenderStatus.DONE:
        if polled:
            # progress.js reads JSON: the file itself would fail to parse and the page would
            # poll forever instead of reloading into the download.
            return JsonResponse({"active": False, "label": "", "percent": 100})
        return FileResponse(
            default_storage.open(rendered.file.name, "rb"),
            as_attachment=True,
            filename=files.file_name(report, fmt, large),
            content_type=renderers.FORMATS[fmt],
        )
    active = rendered.status == RenderStatus.QUEUED
    if polled:
        # Polled by progress.js, which reloads the page (and so downloads) when it ends.
        return JsonResponse(
            {"active": active, "label": str(rendered.get_status_display()), "percent": None}
        )
    again = request.GET.copy()
    again["again"] = "1"
    return render(
        request,
        "reports/rendering.html",
        {
            "report": report,
            "rendered": rendered,
            "active": active,
            "fmt": fmt.upper(),
            "large": large,
            "again_url": f"{request.path}?{again.urlencode()}",
        },
        status=202 if active else 200,
    )


@coordinator_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A coordinator's copy: the live draft with sources, or `?public=1` for the public version."""
    report = get_object_or_404(Report, pk=pk)
    doc = build_document(report, public=request.GET.get("public") == "1")
    return _download(request, doc, report, fmt)


def _published(slug: str) -> Report:
    report = Report.objects.filter(slug=slug, published_doc__isnull=False).first()
    if report is None:
        raise Http404
    return report


def published_list(request: HttpRequest) -> HttpResponse:
    """Every published report and briefing, for members, funders and anyone else."""
    reports = Report.objects.filter(published_doc__isnull=False).order_by("-published_at")
    return render(request, "reports/published.html", {"page_obj": paginate(request, reports)})


def public_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Published reports are for everyone, funders included: no login."""
    report = _published(slug)
    doc = renderers.with_svg(report.published_doc)
    return render(request, "reports/public.html", {"report": report, "doc": doc})


def public_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    report = _published(slug)
    return _download(request, report.published_doc, report, fmt)
