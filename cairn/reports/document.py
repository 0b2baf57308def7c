"""A report as a plain document (a JSON-able dict) that every format renders from.

`public=True` is what members and funders see: no links to sources, quotes only
with consent, names only where agreed (in attributions and inside the words
themselves: "Agree with [a member], ..."), no email sign-offs, and any sentence
quoting someone who has since withdrawn consent left out. Publishing stores this dict as the snapshot.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution
from cairn.contributions.selectors import (
    may_quote_publicly,
    public_attribution,
    public_name_filter,
    quotable_words,
)
from cairn.reports.briefing import report_scope
from cairn.reports.compose import network_name
from cairn.reports.models import Report, ReportKind, Section

Hide = Callable[[str], str]


def _as_is(text: str) -> str:
    return text


def _runs(
    sentences: list[dict[str, Any]],
    public: bool,
    quotable: set[int],
    hide: Hide,
    edited: bool = False,
) -> list[dict[str, Any]]:
    """A paragraph's sentences as runs of text, each with its sources (none in public)."""
    out: list[dict[str, Any]] = []
    for sentence in sentences:
        text, ids = sentence["text"], sentence["sources"]
        if public and len(ids) == 1 and ids[0] not in quotable:
            continue  # a verbatim statement whose author has not (or no longer) agreed to be quoted
        if public and (ids or edited):
            # Words drawn from contributions may name other people; so may an edited copy
            # of them, which no longer carries its sources.
            text = hide(text)
        if not text.strip():
            continue
        if out:
            out.append({"text": " ", "sources": []})
        sources = (
            []
            if public
            else [{"id": i, "url": reverse("contributions:detail", args=[i])} for i in ids]
        )
        out.append({"text": text.strip(), "sources": sources})
    return out


def _blocks(section: Section, public: bool, quotable: set[int], hide: Hide) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    edited = section.edited and section.key != "speakers"
    for para in section.paragraphs:
        if para["list"]:
            items = [_runs([s], public, quotable, hide, edited) for s in para["sentences"]]
            items = [i for i in items if i]
            if items:
                blocks.append({"type": "ul", "items": items})
        else:
            runs = _runs(para["sentences"], public, quotable, hide, edited)
            if runs:
                blocks.append({"type": "p", "runs": runs})
    return blocks


def _speakers(report: Report) -> set[int]:
    events = [report.event] if report.kind == ReportKind.EVENT and report.event else []
    events = events or list(report.events.all())
    return {
        pk
        for event in events
        for pk in event.agenda_items.exclude(speaker=None).values_list("speaker_id", flat=True)
    }


def _subtitle(report: Report) -> str:
    if report.kind == ReportKind.EVENT and report.event:
        return date_format(localtime(report.event.starts_at, report.event.zone), "l j F Y")
    # The same scope the briefing's summary states, so the two always agree.
    return report_scope(report).subtitle()


def build_document(report: Report, *, public: bool) -> dict[str, Any]:
    sections = list(report.sections.prefetch_related("quotes__contribution__author__organisation"))
    single = {
        sentence["sources"][0]
        for s in sections
        for para in s.paragraphs
        for sentence in para["sentences"]
        if len(sentence["sources"]) == 1
    }
    quotable = {
        c.pk
        for c in Contribution.objects.filter(pk__in=single).select_related("author")
        if may_quote_publicly(c)
    }
    # Coordinators read the words as said; the public reads them with names hidden, except
    # the speakers', whom the report names in its own right.
    hide = public_name_filter(_speakers(report)).hide if public else _as_is
    out_sections = []
    used_anchors: set[str] = set()
    next_steps = [line for line in report.next_steps.splitlines() if line.strip()]
    for section in sections:
        if section.hidden and public:
            continue
        heading = hide(section.heading)
        anchor = slugify(heading) or f"section-{section.pk}"
        while anchor in used_anchors:
            anchor += "-x"
        used_anchors.add(anchor)
        quotes = []
        for q in section.quotes.all():
            allowed = may_quote_publicly(q.contribution)
            if public and (q.hidden or not allowed):
                continue
            quotes.append(
                {
                    "id": q.pk,
                    "text": hide(quotable_words(q.text)) if public else q.text,
                    "by": public_attribution(q.contribution),
                    "hidden": q.hidden,
                    "consent": allowed,
                    "url": ""
                    if public
                    else reverse("contributions:detail", args=[q.contribution_id]),
                }
            )
        blocks = _blocks(section, public, quotable, hide)
        if section.key == "going_forward" and next_steps:
            blocks.append({"type": "h3", "text": _("Next steps")})
            blocks.append(
                {"type": "ul", "items": [[{"text": s, "sources": []}] for s in next_steps]}
            )
            next_steps = []
        out_sections.append(
            {
                "id": section.pk,
                "anchor": anchor,
                "key": section.key,
                # Theme labels are drawn from what people said, so may hold a name too.
                "heading": heading,
                "hidden": section.hidden,
                "edited": section.edited,
                "blocks": blocks,
                "quotes": quotes,
                "charts": [
                    {
                        **chart,
                        "bars": [[hide(str(label)), n] for label, n in chart["bars"]],
                        "alt": hide(chart.get("alt", "")),
                        "data": hide(chart.get("data", "")),
                    }
                    for chart in section.charts
                ]
                if public
                else section.charts,
            }
        )
    if next_steps:
        out_sections.append(
            {
                "id": None,
                "anchor": "next-steps",
                "key": "next_steps",
                "heading": _("Next steps"),
                "hidden": False,
                "edited": True,
                "blocks": [
                    {"type": "ul", "items": [[{"text": s, "sources": []}] for s in next_steps]}
                ],
                "quotes": [],
                "charts": [],
            }
        )
    return {
        "title": report.title,
        "kind": report.kind,
        "network": network_name(report.event if report.kind == ReportKind.EVENT else None),
        "subtitle": _subtitle(report),
        "status": report.get_status_display(),
        "public": public,
        "generated_at": timezone.now().isoformat(),
        # The language the report is written in (the site's): DOCX styles, the PDF's /Lang.
        "language": get_language() or settings.LANGUAGE_CODE,
        "sections": out_sections,
    }


def document_for(report: Report, *, public: bool) -> dict[str, Any]:
    """The published snapshot for the public; the live draft for coordinators."""
    if public and report.published_doc:
        return report.published_doc
    return build_document(report, public=public)
