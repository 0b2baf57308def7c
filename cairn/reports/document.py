"""A report as a plain document (a JSON-able dict) that every format renders from.

`public=True` is what members and funders see: no links to sources, quotes only
with consent, names only where agreed, and any sentence quoting someone who has
since withdrawn consent left out. Publishing stores this dict as the snapshot.
"""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution
from cairn.contributions.selectors import may_quote_publicly, public_attribution
from cairn.reports.compose import network_name
from cairn.reports.models import Report, ReportKind, Section


def _spans(text: str, provenance: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
    found = []
    for sentence, ids in provenance.items():
        start = text.find(sentence)
        if start >= 0 and sentence:
            found.append((start, start + len(sentence), ids))
    found.sort()
    runs: list[tuple[str, list[int]]] = []
    pos = 0
    for start, end, ids in found:
        if start < pos:
            continue  # overlaps an earlier sentence; keep the first
        if start > pos:
            runs.append((text[pos:start], []))
        runs.append((text[start:end], ids))
        pos = end
    if pos < len(text):
        runs.append((text[pos:], []))
    return runs


def _runs(
    text: str, provenance: dict[str, list[int]], public: bool, quotable: set[int]
) -> list[dict[str, Any]]:
    out = []
    for chunk, ids in _spans(text, provenance):
        if public and len(ids) == 1 and ids[0] not in quotable:
            continue  # a verbatim statement whose author has not (or no longer) agreed to be quoted
        sources = (
            []
            if public
            else [{"id": i, "url": reverse("contributions:detail", args=[i])} for i in ids]
        )
        out.append({"text": chunk, "sources": sources})
    # Tidy the gaps a removed sentence leaves behind: no doubled or dangling spaces.
    tidy: list[dict[str, Any]] = []
    for run in out:
        blank = not run["text"].strip() and not run["sources"]
        if blank and (not tidy or not tidy[-1]["text"].strip()):
            continue
        tidy.append(run)
    while tidy and not tidy[-1]["text"].strip() and not tidy[-1]["sources"]:
        tidy.pop()
    if tidy:
        tidy[0]["text"] = tidy[0]["text"].lstrip()
        tidy[-1]["text"] = tidy[-1]["text"].rstrip()
    return tidy


def _blocks(section: Section, public: bool, quotable: set[int]) -> list[dict[str, Any]]:
    blocks = []
    for para in section.body.split("\n\n"):
        lines = [line for line in para.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("- ") for line in lines):
            items = [
                _runs(line.lstrip()[2:].strip(), section.provenance, public, quotable)
                for line in lines
            ]
            items = [i for i in items if i]
            if items:
                blocks.append({"type": "ul", "items": items})
        else:
            runs = _runs(
                " ".join(line.strip() for line in lines), section.provenance, public, quotable
            )
            if runs:
                blocks.append({"type": "p", "runs": runs})
    return blocks


def _subtitle(report: Report) -> str:
    if report.kind == ReportKind.EVENT and report.event:
        return date_format(localtime(report.event.starts_at), "l j F Y")
    events = list(report.events.order_by("starts_at"))
    if not events:
        return (
            _("%(n)d consultations") % {"n": len(report.consultation_ids)}
            if report.consultation_ids
            else ""
        )
    first, last = localtime(events[0].starts_at), localtime(events[-1].starts_at)
    return _("%(n)d events, %(a)s to %(b)s") % {
        "n": len(events),
        "a": date_format(first, "F Y"),
        "b": date_format(last, "F Y"),
    }


def build_document(report: Report, *, public: bool) -> dict[str, Any]:
    sections = list(report.sections.prefetch_related("quotes__contribution__author__organisation"))
    single = {ids[0] for s in sections for ids in s.provenance.values() if len(ids) == 1}
    quotable = {
        c.pk
        for c in Contribution.objects.filter(pk__in=single).select_related("author")
        if may_quote_publicly(c)
    }
    out_sections = []
    used_anchors: set[str] = set()
    next_steps = [line for line in report.next_steps.splitlines() if line.strip()]
    for section in sections:
        if section.hidden and public:
            continue
        anchor = slugify(section.heading) or f"section-{section.pk}"
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
                    "text": q.text,
                    "by": public_attribution(q.contribution),
                    "hidden": q.hidden,
                    "consent": allowed,
                    "url": ""
                    if public
                    else reverse("contributions:detail", args=[q.contribution_id]),
                }
            )
        blocks = _blocks(section, public, quotable)
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
                "heading": section.heading,
                "hidden": section.hidden,
                "edited": section.edited,
                "blocks": blocks,
                "quotes": quotes,
                "charts": section.charts,
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
        "sections": out_sections,
    }


def document_for(report: Report, *, public: bool) -> dict[str, Any]:
    """The published snapshot for the public; the live draft for coordinators."""
    if public and report.published_doc:
        return report.published_doc
    return build_document(report, public=public)
