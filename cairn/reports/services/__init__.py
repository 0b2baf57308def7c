"""Writes for reports: generate, edit (with revisions), regenerate a section, approve, publish, send."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cairn.consultations.models import Consultation
from cairn.core import audit
from cairn.events.models import Event
from cairn.insights.models import SynthesisRun
from cairn.insights.services import latest_run_for_event, rename_theme
from cairn.jobs.models import Job, JobStatus
from cairn.jobs.services import start_job
from cairn.reports import briefing, compose, files, paragraphs
from cairn.reports.document import build_document
from cairn.reports.models import (
    Quote,
    RenderedFile,
    Report,
    ReportKind,
    ReportStatus,
    Revision,
    Section,
)


class ReportError(ValueError):
    pass


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _revise(
    report: Report,
    actor: Any,
    action: str,
    summary: str,
    section: Section | None = None,
    before: str = "",
    after: str = "",
) -> None:
    Revision.objects.create(
        report=report,
        section=section,
        actor=_user(actor),
        action=action,
        summary=summary[:300],
        before=before,
        after=after,
    )
    # An edit after approval, or after publishing, needs a fresh approval; the published
    # snapshot stays on the public site as it was until the new draft is published.
    if action not in ("approve", "publish", "generate"):
        Report.objects.filter(
            pk=report.pk, status__in=(ReportStatus.APPROVED, ReportStatus.PUBLISHED)
        ).update(status=ReportStatus.DRAFT, approved_by=None, approved_at=None)
    audit.record(actor, f"report.{action}", report, summary)


def _save_draft(report: Report, draft: compose.Draft, position: int) -> Section:
    section = Section.objects.create(
        report=report,
        key=draft.key,
        heading=draft.heading,
        paragraphs=draft.structured(),
        position=position,
        theme_id=draft.theme_id,
        charts=draft.charts,
    )
    _write_quotes(section, draft)
    return section


def _write_quotes(section: Section, draft: compose.Draft) -> None:
    """The draft's quotes become the section's, in order; any earlier ones are replaced."""
    section.quotes.all().delete()
    Quote.objects.bulk_create(
        [
            Quote(section=section, contribution_id=cid, text=text, position=i)
            for i, (cid, text) in enumerate(draft.quotes)
        ]
    )


@transaction.atomic
def generate_event_report(event: Event, actor: Any, run: SynthesisRun | None = None) -> Report:
    run = run or latest_run_for_event(event)
    report = Report.objects.create(
        kind=ReportKind.EVENT,
        title=_("%(title)s: event report") % {"title": event.title},
        event=event,
        synthesis=run,
        created_by=_user(actor),
    )
    for position, draft in enumerate(compose.event_report_drafts(event, run)):
        _save_draft(report, draft, position)
    _revise(report, actor, "generate", _("Draft generated from the event and its synthesis"))
    return report


# A draft this recent, untouched and from the same synthesis, is what a second "Generate"
# (a double click, a second tab, a colleague) would make again.
SAME_DRAFT_WITHIN = timedelta(minutes=10)


def draft_event_report(event: Event, actor: Any) -> tuple[Report, bool]:
    """The event's draft from its latest synthesis, and whether it was made now: a draft
    made minutes ago from that synthesis, that nobody has edited, is returned instead of
    a second one with the same title for two people to edit apart."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        run = latest_run_for_event(event)
        # Anything done to a draft since it was generated makes it someone's work.
        recent = _untouched_recent_drafts(kind=ReportKind.EVENT, event=event, synthesis=run).first()
        if recent is not None:
            return recent, False
        return generate_event_report(event, actor, run), True


def _untouched_recent_drafts(**match: Any):
    return Report.objects.filter(
        status=ReportStatus.DRAFT,
        published_doc__isnull=True,
        created_at__gte=timezone.now() - SAME_DRAFT_WITHIN,
        **match,
    ).exclude(pk__in=Revision.objects.exclude(action="generate").values("report_id"))


def draft_briefing(
    events: list[Event], actor: Any, title: str = "", consultation_ids: list[int] | None = None
) -> tuple[Report, bool]:
    """A briefing, and whether it was made now: the same one asked for again minutes
    later (same events, consultations and title, nobody has touched it) is returned."""
    wanted = (title or str(BRIEFING_TITLE), {e.pk for e in events}, set(consultation_ids or []))
    with transaction.atomic():
        recent = _untouched_recent_drafts(kind=ReportKind.BRIEFING).prefetch_related(
            "events", "consultations"
        )
        for candidate in recent:
            seen = (
                candidate.title,
                {e.pk for e in candidate.events.all()},
                {c.pk for c in candidate.consultations.all()},
            )
            if seen == wanted:
                return candidate, False
        return generate_briefing(events, actor, title, consultation_ids=consultation_ids), True


BRIEFING_TITLE = _lazy("What we have learned: a briefing for funders and policy makers")


@transaction.atomic
def generate_briefing(
    events: list[Event], actor: Any, title: str = "", consultation_ids: list[int] | None = None
) -> Report:
    consultation_ids = sorted(set(consultation_ids or []))
    if not events and not consultation_ids:
        raise ReportError(_("Choose at least one event or consultation for the briefing."))
    consultations = list(Consultation.objects.filter(pk__in=consultation_ids))
    missing = sorted(set(consultation_ids) - {c.pk for c in consultations})
    if missing:
        raise ReportError(
            _("No consultation with id %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        )
    scope = briefing.briefing_scope(list(events), consultations)
    if not scope.sources:
        raise ReportError(
            _("None of the chosen events has happened yet: a briefing draws on what was heard.")
        )
    report = Report.objects.create(
        kind=ReportKind.BRIEFING,
        title=title or str(BRIEFING_TITLE),
        created_by=_user(actor),
    )
    report.events.set(events)
    report.consultations.set(consultations)
    for position, draft in enumerate(briefing.briefing_drafts(list(events), consultations)):
        _save_draft(report, draft, position)
    _revise(
        report,
        actor,
        "generate",
        _("Briefing generated from %(scope)s") % {"scope": scope.phrase()},
    )
    return report


@transaction.atomic
def edit_section(section: Section, actor: Any, *, heading: str, body: str) -> Section:
    heading = " ".join((heading or "").split())[:200]
    if not heading:
        raise ReportError(_("A section needs a heading."))
    body = (body or "").replace("\r\n", "\n").strip()
    if heading == section.heading and body == section.body:
        return section
    before = f"{section.heading}\n\n{section.body}"
    section.heading = heading
    # Sentences left as they were keep their sources; new words have none.
    section.paragraphs = paragraphs.from_text(body, section.paragraphs)
    section.edited = True
    section.save(update_fields=["heading", "paragraphs", "edited"])
    _revise(
        section.report,
        actor,
        "edit",
        _("Edited “%(h)s”") % {"h": heading},
        section,
        before,
        f"{heading}\n\n{body}",
    )
    return section


@transaction.atomic
def move_section(section: Section, actor: Any, direction: str) -> None:
    sections = list(section.report.sections.order_by("position", "id"))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(sections):
        return
    sections[index], sections[other] = sections[other], sections[index]
    for position, s in enumerate(sections):
        Section.objects.filter(pk=s.pk).update(position=position)
    _revise(
        section.report,
        actor,
        "reorder",
        _("Moved “%(h)s” %(d)s") % {"h": section.heading, "d": direction},
        section,
    )


@transaction.atomic
def set_section_hidden(section: Section, actor: Any, hidden: bool) -> None:
    section.hidden = hidden
    section.save(update_fields=["hidden"])
    what = _("Hid “%(h)s”") if hidden else _("Showed “%(h)s”")
    _revise(
        section.report, actor, "hide" if hidden else "show", what % {"h": section.heading}, section
    )


@transaction.atomic
def set_quote_hidden(quote: Quote, actor: Any, hidden: bool) -> None:
    quote.hidden = hidden
    quote.save(update_fields=["hidden"])
    what = _("Hid a quote in “%(h)s”") if hidden else _("Showed a quote in “%(h)s”")
    _revise(
        quote.section.report,
        actor,
        "quote",
        what % {"h": quote.section.heading},
        quote.section,
        quote.text if hidden else "",
        "" if hidden else quote.text,
    )


@transaction.atomic
def rename_theme_section(section: Section, actor: Any, label: str) -> Section:
    """Rename a theme: the section heading here and the theme in the synthesis, so a re-run keeps it."""
    label = " ".join((label or "").split())[:200]
    if not label:
        raise ReportError(_("A theme needs a name."))
    before = section.heading
    section.heading = label
    section.save(update_fields=["heading"])
    if section.theme is not None and section.theme.label != label:
        rename_theme(section.theme, label, actor)
    _revise(
        section.report,
        actor,
        "rename",
        _("Renamed theme “%(a)s” to “%(b)s”") % {"a": before, "b": label},
        section,
        before,
        label,
    )
    return section


@transaction.atomic
def set_next_steps(report: Report, actor: Any, text: str) -> Report:
    text = "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
    before = report.next_steps
    if text == before:
        return report
    report.next_steps = text
    report.save(update_fields=["next_steps", "updated_at"])
    _revise(report, actor, "next_steps", _("Updated the next steps"), None, before, text)
    return report


@transaction.atomic
def regenerate_section(section: Section, actor: Any) -> Section:
    """Generate one section again from the latest synthesis; every other section is left as edited."""
    report = section.report
    if report.kind == ReportKind.EVENT:
        run = latest_run_for_event(report.event) or report.synthesis
        draft = compose.draft_for_key(report.event, run, section.key)
    else:
        draft = next(
            (
                d
                for d in briefing.briefing_drafts(
                    list(report.events.all()), list(report.consultations.all())
                )
                if d.key == section.key
            ),
            None,
        )
    if draft is None:
        raise ReportError(
            _(
                "This section can no longer be generated: its theme is gone. Edit it by hand or hide it."
            )
        )
    before = f"{section.heading}\n\n{section.body}"
    section.heading = draft.heading
    section.paragraphs = draft.structured()
    section.charts = draft.charts
    section.edited = False
    section.theme_id = draft.theme_id
    section.save(update_fields=["heading", "paragraphs", "charts", "edited", "theme"])
    _write_quotes(section, draft)
    _revise(
        report,
        actor,
        "regenerate",
        _("Regenerated “%(h)s”") % {"h": draft.heading},
        section,
        before,
        f"{draft.heading}\n\n{draft.body}",
    )
    return section


@transaction.atomic
def approve(report: Report, actor: Any) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    report.status = ReportStatus.APPROVED
    report.approved_by = _user(actor)
    report.approved_at = timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _revise(report, actor, "approve", _("Approved for publishing"))
    return report


@transaction.atomic
def publish(report: Report, actor: Any) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise ReportError(_("A person must approve the report before it is published."))
    report.published_doc = build_document(report, public=True)
    report.status = ReportStatus.PUBLISHED
    report.published_by = _user(actor)
    report.published_at = timezone.now()
    report.save(
        update_fields=["published_doc", "status", "published_by", "published_at", "updated_at"]
    )
    _revise(report, actor, "publish", _("Published"))
    # The public downloads are rendered by a worker now, not by the first visitor's request.
    transaction.on_commit(lambda: files.prepare_public_files(report))
    return report


@transaction.atomic
def unpublish(report: Report, actor: Any) -> Report:
    report.published_doc = None
    report.status = ReportStatus.DRAFT
    report.save(update_fields=["published_doc", "status", "updated_at"])
    _revise(report, actor, "unpublish", _("Taken down from the public site"))
    transaction.on_commit(lambda: files.forget_public_files(report))
    return report


SEND_RUNNER = "cairn.reports.sending.send_report_job"


def start_send(report: Report, actor: Any, audience: str) -> Job:
    """Queue the sending of a published report to an audience, as a background job.

    A send of this report to that audience still waiting or running is the one returned:
    a double click or a second tab would otherwise queue a second job, and everyone would
    get the report twice. The report row is locked while looking, so two requests at once
    see each other.
    """
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()
        active = Job.objects.filter(
            runner=SEND_RUNNER,
            status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
            params__report_id=report.pk,
            params__audience=audience,
        ).first()
        if active is not None:
            return active
        return start_job(
            actor,
            _("Send the report “%(title)s”") % {"title": report.title},
            SEND_RUNNER,
            {
                "report_id": report.pk,
                "audience": audience,
                "user_id": getattr(actor, "pk", None),
                "since": timezone.now().isoformat(),
            },
            next_url=report.get_absolute_url(),
        )


# What a coordinator may ask to have rendered: the draft with its sources, the public
# version of the draft, or the version on the public site.
FILE_VERSIONS = ("draft", "public", "published")


def file_document(report: Report, version: str) -> dict[str, Any] | None:
    """The document a download of `version` renders (None: nothing published)."""
    if version == "published":
        return report.published_doc
    return build_document(report, public=version == "public")


def prepare_file(
    report: Report, actor: Any, *, fmt: str, large_print: bool, version: str
) -> RenderedFile:
    """Queue a report's PDF or DOCX for the worker (the Prepare and Try again buttons).

    Ready or already queued files are left as they are, so a second click queues nothing.
    """
    if fmt not in files.STORED_FORMATS or version not in FILE_VERSIONS:
        raise ReportError(_("That file cannot be prepared."))
    doc = file_document(report, version)
    if doc is None:
        raise ReportError(_("The report is not published."))
    rendered = files.queue_file(report, doc, fmt, large_print)
    audit.record(
        actor,
        "report.file_prepared",
        report,
        f"{fmt.upper()}{' large print' if large_print else ''} ({version}) asked for",
        fmt=fmt,
        large_print=large_print,
        version=version,
        file_id=rendered.pk,
    )
    return rendered
