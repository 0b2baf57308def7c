import functools

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.consultations.models import Consultation
from cairn.consultations.services.results import ConsultationThemes, consultation_themes
from cairn.core.roles import coordinator_required
from cairn.events.models import Event
from cairn.jobs.views import follow
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate
from cairn.reports import briefing, files, forms, sending, services
from cairn.reports import render as renderers
from cairn.reports.document import document_for
from cairn.reports.models import Quote, RenderedFile, RenderStatus, Report, ReportKind, Section


def _consultations() -> list[ConsultationThemes]:
    """The consultations a briefing may draw on, each with where its themes stand, so the
    form says which would add nothing to the lessons before the briefing is generated."""
    return [consultation_themes(c) for c in Consultation.objects.order_by("-pk")[:100]]


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
    report, made = services.draft_event_report(form.cleaned_data["event"], request.user)
    if made:
        messages.success(
            request, _("Draft report generated. Read it through, edit, then approve it.")
        )
    else:
        messages.info(
            request,
            _(
                "This draft was already generated from the latest synthesis a few minutes "
                "ago and nobody has edited it yet: here it is."
            ),
        )
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
        report, made = services.draft_briefing(
            list(data["events"]),
            request.user,
            data["title"],
            consultation_ids=[c.pk for c in data["consultations"]],
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:list")
    if not made:
        messages.info(
            request,
            _(
                "This briefing was already generated a few minutes ago and nobody has edited "
                "it yet: here it is."
            ),
        )
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
            "not_in_lessons": _not_in_lessons(report),
        },
    )


def _not_in_lessons(report: Report) -> list:
    """A briefing's sources whose words are not in its lessons yet, for the coordinators'
    note: the text itself is public and carries no links to what only they can do."""
    if report.kind != ReportKind.BRIEFING:
        return []
    return [s for s in briefing.report_scope(report).sources if s.run is None]


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
    return follow(request, services.start_send(report, request.user, audience))


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


def _version(query: dict) -> str:
    """Which document a coordinator's download renders: `?public=1`, `?published=1`, or the
    draft with its sources."""
    if query.get("published") == "1":
        return "published"
    return "public" if query.get("public") == "1" else "draft"


def _file_query(version: str, large: bool) -> str:
    query = {"draft": "", "public": "public=1", "published": "published=1"}[version]
    return "&".join(part for part in (query, "large=1" if large else "") if part)


def _inline(doc: dict, report: Report, fmt: str, large: bool) -> HttpResponse:
    """HTML and Markdown are quick: made in the request, nothing stored."""
    body = renderers.render(doc, fmt, large_print=large)
    response = HttpResponse(body, content_type=renderers.FORMATS[fmt])
    if fmt != "html":
        name = files.file_name(report, fmt, large)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stored_file(rendered: RenderedFile, report: Report) -> FileResponse:
    return FileResponse(
        default_storage.open(rendered.file.name, "rb"),
        as_attachment=True,
        filename=files.file_name(report, rendered.fmt, rendered.large_print),
        content_type=renderers.FORMATS[rendered.fmt],
    )


def _state(rendered: RenderedFile | None) -> str:
    if files.is_ready(rendered):
        return "ready"
    if rendered is None or rendered.status == RenderStatus.DONE:  # never asked for, or lost
        return "none"
    return "queued" if rendered.status == RenderStatus.QUEUED else "failed"


def _progress(state: str) -> JsonResponse:
    # Polled by progress.js, which reloads the page when the work ends.
    label = _("Being prepared") if state == "queued" else ""
    return JsonResponse({"active": state == "queued", "label": label, "percent": None})


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@coordinator_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A coordinator's copy: the live draft with sources, `?public=1` for its public version
    or `?published=1` for the version on the public site. A PDF or DOCX not prepared yet
    leads to its page, which offers to prepare it: this GET writes nothing."""
    report = get_object_or_404(Report, pk=pk)
    version = _version(request.GET)
    doc = services.file_document(report, version)
    if fmt not in renderers.FORMATS or doc is None:
        raise Http404
    large = request.GET.get("large") == "1"
    if fmt not in files.STORED_FORMATS:
        return _inline(doc, report, fmt, large)
    rendered = files.find_file(doc, fmt, large)
    if files.is_ready(rendered):
        return _stored_file(rendered, report)
    query = _file_query(version, large)
    return redirect(
        f"{reverse('reports:file', args=[report.pk, fmt])}{'?' if query else ''}{query}"
    )


@coordinator_required
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A PDF or DOCX of a report: GET shows whether it is ready (with the link), being
    prepared (polled until it is) or not prepared (the Prepare button); POST queues it."""
    report = get_object_or_404(Report, pk=pk)
    if fmt not in files.STORED_FORMATS:
        raise Http404
    if request.method == "POST":
        form = forms.PrepareFileForm(request.POST)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return redirect(request.get_full_path())
        version, large = form.cleaned_data["version"], form.cleaned_data["large"]
        try:
            services.prepare_file(report, request.user, fmt=fmt, large_print=large, version=version)
        except services.ReportError as exc:
            messages.error(request, str(exc))
        query = _file_query(version, large)
        return redirect(f"{request.path}{'?' if query else ''}{query}")
    version = _version(request.GET)
    large = request.GET.get("large") == "1"
    doc = services.file_document(report, version)
    if doc is None:
        raise Http404
    rendered = files.find_file(doc, fmt, large)
    state = _state(rendered)
    if _wants_json(request):
        return _progress(state)
    query = _file_query(version, large)
    return _file_page(
        request,
        report,
        rendered,
        fmt,
        large,
        status=202 if state == "queued" else 200,
        version=version,
        can_prepare=True,
        download_url=f"{reverse('reports:download', args=[report.pk, fmt])}"
        f"{'?' if query else ''}{query}",
    )


def _file_page(
    request: HttpRequest,
    report: Report,
    rendered: RenderedFile | None,
    fmt: str,
    large: bool,
    *,
    status: int,
    **extra: object,
) -> HttpResponse:
    """The page of one report file: its download, its progress, or why it is not there."""
    context = {
        "report": report,
        "rendered": rendered,
        "state": _state(rendered),
        "fmt": fmt.upper(),
        "large": large,
        **extra,
    }
    return render(request, "reports/file.html", context, status=status)


def _published(slug: str) -> Report:
    report = Report.objects.filter(slug=slug, published_doc__isnull=False).first()
    if report is None:
        raise Http404
    return report


def published_list(request: HttpRequest) -> HttpResponse:
    """Every published report and briefing, for members, funders and anyone else."""
    reports = Report.objects.filter(published_doc__isnull=False).order_by("-published_at")
    return render(request, "reports/published.html", {"page_obj": paginate(request, reports)})


# How long the public article is kept: a backstop for a snapshot changed some other way
# (the admin, a shell).
ARTICLE_SECONDS = 60


def public_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Published reports are for everyone, funders included: no login.

    The article (text, quotes, charts) is the published snapshot's alone, the same for every
    reader, so the template keeps it in Django's fragment cache per publication and language
    and does not draw the charts again for each visitor of a live event; the page around it
    (navigation, the CSP nonce) is rendered per request. Publishing again stamps a new
    published_at, a new key; taking it down answers 404 before the template is reached."""
    report = _published(slug)
    return render(
        request,
        "reports/public.html",
        {
            "report": report,
            "doc": report.published_doc,
            # Called by the template only when the cache has no article.
            "doc_with_charts": functools.partial(renderers.with_svg, report.published_doc),
            "article_seconds": ARTICLE_SECONDS,
        },
    )


def public_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Publishing queued the PDFs and the DOCX: this GET serves them, or says they are
    being prepared (polled until they are), or not ready; it writes nothing."""
    report = _published(slug)
    if fmt not in renderers.FORMATS:
        raise Http404
    large = request.GET.get("large") == "1"
    if fmt not in files.STORED_FORMATS:
        return _inline(report.published_doc, report, fmt, large)
    rendered = files.find_file(report.published_doc, fmt, large)
    state = _state(rendered)
    if _wants_json(request):
        # The file itself would fail to parse as JSON and the page would poll forever.
        return _progress(state)
    if state == "ready":
        return _stored_file(rendered, report)
    response = _file_page(
        request,
        report,
        rendered,
        fmt,
        large,
        status={"queued": 202, "failed": 503, "none": 503}[state],
    )
    if state != "queued":
        response["Retry-After"] = "300"
    return response
