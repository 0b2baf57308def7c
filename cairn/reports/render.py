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


def with_svg(doc: dict[str, Any], *, large_print: bool = False) -> dict[str, Any]:
    """Attach each chart's SVG for templates (not stored: snapshots keep only the data)."""
    for section in doc["sections"]:
        for chart in section.get("charts", []):
            chart["svg"] = mark_safe(charts.svg(chart, large_print=large_print))  # noqa: S308 - built from escaped text
    return doc


def html_page(doc: dict[str, Any], *, large_print: bool = False) -> str:
    """A standalone HTML page: the print version, also the source of the PDF."""
    # The running header is a CSS string: escape it for CSS, not for HTML or JavaScript.
    header = doc["network"].replace("\\", " ").replace('"', "'").replace("<", " ")
    return render_to_string(
        "reports/print.html",
        {
            "doc": with_svg(doc, large_print=large_print),
            "large_print": large_print,
            "css_header": mark_safe(header),  # noqa: S308
            "lang": language_tag(doc),
        },
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
            if chart.get("note"):
                lines += [f"*{_md(chart['note'])}*", ""]
        for quote in section["quotes"]:
            lines += [f"> “{_md(quote['text'])}”", f"> — {_md(quote['by'])}", ""]
    return "\n".join(lines).rstrip() + "\n"


def language_tag(doc: dict[str, Any]) -> str:
    """The document's language as a BCP 47 tag ("en-GB"), from the report or the site."""
    from django.conf import settings

    code = doc.get("language") or settings.LANGUAGE_CODE or "en"
    lang, _sep, region = code.replace("_", "-").partition("-")
    return f"{lang.lower()}-{region.upper()}" if region else lang.lower()


def _fld_char(paragraph: Any, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        el.set(qn("w:dirty"), "true")  # stale on opening: the word processor recomputes it
    paragraph.add_run()._r.append(el)


def _instruction(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES) in its runs: begin, instruction, separate, the text
    shown until the word processor updates it, end."""
    _fld_char(paragraph, "begin")
    _instruction(paragraph, instruction)
    _fld_char(paragraph, "separate")
    paragraph.add_run(placeholder)
    _fld_char(paragraph, "end")


def _toc_styles(document: Any, body_pt: int) -> list[Any]:
    """Word's built-in "toc 1" and "toc 2" styles (the template lacks them), so the
    contents looks the same before and after the word processor rebuilds it."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    styles = []
    for level in (1, 2):
        style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.styleId = f"TOC{level}"
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(body_pt)
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        styles.append(style)
    return styles


def _contents(document: Any, headings: list[tuple[int, str]], body_pt: int) -> None:
    """A TOC field over Heading 1-3. Until a word processor updates it (Word offers to on
    opening; LibreOffice: Tools > Update), it shows the headings without page numbers
    and says how to add them."""
    styles = _toc_styles(document, body_pt)
    document.add_paragraph(_("Contents"), style="TOC Heading")
    paragraphs = [
        document.add_paragraph(text, style=styles[min(level, 2) - 1]) for level, text in headings
    ]
    note = document.add_paragraph(
        _("Right-click the contents and choose Update Field to add page numbers.")
    )
    note.runs[0].italic = True
    first = paragraphs[0] if paragraphs else note
    # The field's start goes before the first entry's text: begin, instruction, separate.
    text_runs = list(first._p)[1:] if first._p.pPr is not None else list(first._p)
    for el in text_runs:
        first._p.remove(el)
    _fld_char(first, "begin")
    _instruction(first, 'TOC \\o "1-3" \\h \\z \\u')
    _fld_char(first, "separate")
    for el in text_runs:
        first._p.append(el)
    _fld_char(note, "end")


def _set_language(document: Any, tag: str) -> None:
    """w:lang on the document defaults and on every style that sets its own, so spelling,
    hyphenation and screen readers use the report's language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    r_pr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    targets = [r_pr_default] if r_pr_default is not None else []
    targets += [
        style.get_or_add_rPr()
        for style in styles.findall(qn("w:style"))
        if style.get(qn("w:type")) in ("paragraph", "character")
    ]
    for r_pr in targets:
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), tag)
    document.core_properties.language = tag


# A chart in the DOCX is a table, a row per bar: label, bar, figure. A picture of the
# whole chart cannot split, so when it did not fit it moved to the next page with its
# caption and left the page before it a third blank; rows break like lines of text, the
# labels and figures are real text at the document's size (large print too), and a
# screen reader reads a table. Short charts stay whole; a long one keeps its first and
# last two rows together, so the caption never stands alone.
KEEP_WHOLE_ROWS = 8


def _bar_png() -> bytes:
    """One pixel of the chart colour, stretched to each bar's length."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1), charts.ACCENT).save(out, format="PNG")
    return out.getvalue()


def _decorative(doc_pr: Any) -> None:
    """Mark a picture as decorative (Word's "Mark as decorative"), so screen readers skip
    it and accessibility checkers do not ask for its alt text: a bar's figure is beside it."""
    from lxml import etree

    doc_pr.set("descr", "")
    ext_lst = etree.SubElement(doc_pr, f"{{{DRAWINGML}}}extLst")
    ext = etree.SubElement(ext_lst, f"{{{DRAWINGML}}}ext", uri=DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS}).set(
        "val", "1"
    )


DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def _chart_table(document: Any, chart: dict[str, Any], *, large_print: bool) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    caption = document.add_paragraph(chart["title"], style="Caption")
    caption.paragraph_format.keep_with_next = True
    bars = [(str(label), int(n)) for label, n in chart["bars"]]
    peak = max((n for _l, n in bars), default=1) or 1
    # Label, bar, figure. The longest bar leaves its cell's margins (0.19 cm a side) free.
    widths_cm = (6.4, 7.8, 2.4) if large_print else (5.2, 9.8, 1.6)
    bar_room = widths_cm[1] - 0.5
    table = document.add_table(rows=len(bars), cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", chart["title"]), ("w:tblDescription", chart["alt"])):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        tbl_pr.append(el)
    widths = [Cm(w) for w in widths_cm]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    bar = _bar_png()
    keep = set(range(len(bars) - 1))
    if len(bars) > KEEP_WHOLE_ROWS:
        keep = {0, 1, len(bars) - 3, len(bars) - 2}
    for i, (row, (label, n)) in enumerate(zip(table.rows, bars, strict=True)):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        name, drawn, figure = (cell.paragraphs[0] for cell in row.cells)
        name.text = label
        name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if n > 0:
            picture = drawn.add_run().add_picture(
                io.BytesIO(bar),
                width=Cm(max(0.1, bar_room * n / peak)),
                height=Pt(12 if large_print else 8),
            )
            _decorative(picture._inline.docPr)
        figure.text = str(n)
        for paragraph in (name, drawn, figure):
            paragraph.paragraph_format.space_after = Pt(1)
            paragraph.paragraph_format.keep_with_next = i in keep
    if chart.get("note"):
        document.add_paragraph(chart["note"], style="Caption")
    # Space after the chart, as a paragraph would have.
    document.add_paragraph().paragraph_format.space_after = Pt(0)


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
    body = 16 if large_print else 11
    base = document.styles["Normal"]
    base.font.name = "Arial"
    base.font.size = Pt(body)
    for level, size in ((0, 26), (1, 20), (2, 16)):
        style = document.styles["Title" if level == 0 else f"Heading {level}"]
        style.font.size = Pt(size + (6 if large_print else 0))
    # The template's small styles (captions 9 pt, the footer, contents entries) follow the
    # body size, so large print enlarges everything, not only the paragraphs.
    for name in ("Caption", "Quote", "Footer"):
        document.styles[name].font.size = Pt(body)
    document.styles["TOC Heading"].font.size = Pt(body + 4)
    document.core_properties.title = doc["title"]
    document.core_properties.author = doc["network"]
    _set_language(document, language_tag(doc))
    # Word asks to refresh the fields (the contents, page counts) when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)

    # "Page N of M" in the footer, as PAGE and NUMPAGES fields the word processor fills in.
    footer = section0.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Page") + " ")
    _field(footer, "PAGE", "1")
    footer.add_run(" " + _("of") + " ")
    _field(footer, "NUMPAGES", "1")

    document.add_heading(doc["title"], level=0)
    if doc.get("subtitle"):
        document.add_paragraph(f"{doc['network']} · {doc['subtitle']}")
    # A real contents field built from the Heading styles below.
    headings = []
    for section in doc["sections"]:
        headings.append((1, section["heading"]))
        headings += [(2, b["text"]) for b in section["blocks"] if b["type"] == "h3"]
    _contents(document, headings, body)
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
            _chart_table(document, chart, large_print=large_print)
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
