"""Render a report document as HTML, PDF (WeasyPrint, A4, tagged), DOCX (python-docx) or Markdown."""

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cairn.reports import charts

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


def with_svg(doc: dict[str, Any]) -> dict[str, Any]:
    """Attach each chart's SVG for templates (not stored: snapshots keep only the data)."""
    for section in doc["sections"]:
        for chart in section.get("charts", []):
            chart["svg"] = mark_safe(charts.svg(chart))  # noqa: S308 - built from escaped text
    return doc


def html_page(doc: dict[str, Any], *, large_print: bool = False) -> str:
    """A standalone HTML page: the print version, also the source of the PDF."""
    # The running header is a CSS string: escape it for CSS, not for HTML or JavaScript.
    header = doc["network"].replace("\\", " ").replace('"', "'").replace("<", " ")
    return render_to_string(
        "reports/print.html",
        {"doc": with_svg(doc), "large_print": large_print, "css_header": mark_safe(header)},  # noqa: S308
    )


def pdf(doc: dict[str, Any], *, large_print: bool = False) -> bytes:
    from weasyprint import HTML

    html = html_page(doc, large_print=large_print)
    return HTML(string=html, base_url=".").write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")


def _text(runs: list[dict[str, Any]]) -> str:
    return "".join(r["text"] for r in runs)


def _md(text: Any) -> str:
    """People's words as Markdown text, never as markup: a Markdown viewer renders raw
    HTML, so a quote holding `<script>` or `<img onerror=…>` would run in it."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown(doc: dict[str, Any], *, large_print: bool = False) -> str:
    lines = [f"# {_md(doc['title'])}", ""]
    if doc.get("subtitle"):
        lines += [f"*{_md(doc['network'])} · {_md(doc['subtitle'])}*", ""]
    for section in doc["sections"]:
        lines += [f"## {_md(section['heading'])}", ""]
        for block in section["blocks"]:
            if block["type"] == "p":
                text = _md(_text(block["runs"]))
                if not doc["public"]:
                    refs = sorted({s["id"] for r in block["runs"] for s in r["sources"]})
                    if refs:
                        text += " " + _("[sources: %(ids)s]") % {
                            "ids": ", ".join(f"#{i}" for i in refs[:12])
                        }
                lines += [text, ""]
            elif block["type"] == "h3":
                lines += [f"### {_md(block['text'])}", ""]
            else:
                lines += [f"- {_md(_text(item))}" for item in block["items"]] + [""]
        for chart in section.get("charts", []):
            lines += [f"**{_md(chart['title'])}**", ""]
            lines += [f"- {_md(label)}: {n}" for label, n in chart["bars"]] + [""]
        for quote in section["quotes"]:
            lines += [f"> “{_md(quote['text'])}”", f"> — {_md(quote['by'])}", ""]
    return "\n".join(lines).rstrip() + "\n"


def docx(doc: dict[str, Any], *, large_print: bool = False) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section0 = document.sections[0]
    section0.page_height, section0.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section0, side, Cm(2.2))
    base = document.styles["Normal"]
    base.font.name = "Arial"
    base.font.size = Pt(16 if large_print else 11)
    for level, size in ((0, 26), (1, 20), (2, 16)):
        style = document.styles["Title" if level == 0 else f"Heading {level}"]
        style.font.size = Pt(size + (6 if large_print else 0))
    document.core_properties.title = doc["title"]
    document.core_properties.author = doc["network"]
    document.core_properties.language = "en-GB"

    # Page numbers in the footer, as a PAGE field word processors update themselves.
    footer = section0.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Page") + " ")
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)

    document.add_heading(doc["title"], level=0)
    if doc.get("subtitle"):
        document.add_paragraph(f"{doc['network']} · {doc['subtitle']}")
    for section in doc["sections"]:
        document.add_heading(section["heading"], level=1)
        for block in section["blocks"]:
            if block["type"] == "p":
                document.add_paragraph(_text(block["runs"]))
            elif block["type"] == "h3":
                document.add_heading(block["text"], level=2)
            else:
                for item in block["items"]:
                    document.add_paragraph(_text(item), style="List Bullet")
        for chart in section.get("charts", []):
            document.add_paragraph(chart["title"], style="Caption")
            picture = document.add_picture(io.BytesIO(charts.png(chart)), width=Cm(15))
            picture._inline.docPr.set("descr", chart["alt"])
            picture._inline.docPr.set("title", chart["title"])
        for quote in section["quotes"]:
            document.add_paragraph(f"“{quote['text']}” — {quote['by']}", style="Quote")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(doc: dict[str, Any], fmt: str, *, large_print: bool = False) -> bytes:
    if fmt == "html":
        return html_page(doc, large_print=large_print).encode()
    if fmt == "pdf":
        return pdf(doc, large_print=large_print)
    if fmt == "docx":
        return docx(doc, large_print=large_print)
    if fmt == "md":
        return markdown(doc, large_print=large_print).encode()
    raise ValueError(_("Unknown format %(f)s: use html, pdf, docx or md.") % {"f": fmt})
