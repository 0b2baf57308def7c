"""Report documents as people get them: the DOCX's contents, page numbers and language
(read back with python-docx, and opened in LibreOffice), the PDF's pages, and large print."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from cairn.reports import charts, render
from cairn.reports.document import build_document
from tests.pdf_pages import page_bottoms, page_texts, text_sizes

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice")


@pytest.fixture
def doc(report):
    return build_document(report, public=True)


def fields(element) -> list[tuple[str, str]]:
    """Each complete field in document order: (instruction, the text shown until updated)."""
    out, state, instr, shown = [], None, "", ""
    for el in element.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if el.tag == qn("w:fldChar"):
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                state, instr, shown = "instr", "", ""
            elif kind == "separate":
                state = "shown"
            elif kind == "end":
                out.append((instr.strip(), shown))
                state = None
        elif el.tag == qn("w:instrText") and state == "instr":
            instr += el.text or ""
        elif el.tag == qn("w:t") and state == "shown":
            shown += (el.text or "") + "\n"
    return out


def test_the_docx_has_a_contents_field_over_the_heading_styles(doc):
    document = Document(io.BytesIO(render.docx(doc)))
    body = fields(document.element.body)
    tocs = [(i, shown) for i, shown in body if i.startswith("TOC")]
    assert [i for i, _s in tocs] == ['TOC \\o "1-3" \\h \\z \\u']
    shown = tocs[0][1]
    # Until updated it lists the sections and says how to add the page numbers.
    assert "Introduction" in shown and "Thank you" in shown and "Update Field" in shown
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Introduction", "Speakers"]
    assert document.styles["toc 1"].style_id == "TOC1"  # Word's own style, so it refills alike
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_the_docx_footer_says_page_n_of_m(doc):
    document = Document(io.BytesIO(render.docx(doc)))
    footer = document.sections[0].footer.paragraphs[0]
    assert [i for i, _s in fields(footer._p)] == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Page ") and " of " in footer.text


def test_the_docx_carries_the_reports_language_on_its_styles(doc):
    document = Document(io.BytesIO(render.docx({**doc, "language": "de-de"})))
    styles = document.styles.element
    default = styles.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert default.get(qn("w:val")) == "de-DE"
    normal = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:val")) == "de-DE"
    assert document.core_properties.language == "de-DE"
    # A snapshot published before the language was stored falls back on the site's.
    older = {k: v for k, v in doc.items() if k != "language"}
    assert Document(io.BytesIO(render.docx(older))).core_properties.language == "en-GB"


def test_large_print_docx_enlarges_captions_quotes_contents_footer_and_charts(doc):
    document = Document(io.BytesIO(render.docx(doc, large_print=True)))
    for name in ("Normal", "Caption", "Quote", "Footer", "toc 1", "toc 2"):
        assert document.styles[name].font.size.pt >= 16, name
    chart = next(c for s in doc["sections"] for c in s["charts"])
    assert charts.layout(chart, large_print=True)["size"] > charts.layout(chart)["size"]


def libreoffice_pdf(data: bytes, tmp_path) -> bytes:
    """The DOCX as LibreOffice lays it out and prints it."""
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    profile = tmp_path / "lo-profile"  # its own profile: tests may run beside a LibreOffice
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / "report.pdf").read_bytes()


needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)


@needs_soffice
@pytest.mark.any_database  # LibreOffice lays out the same DOCX on either database
def test_the_docx_opens_in_libreoffice_with_its_contents_and_page_numbers(doc, tmp_path):
    reader = PdfReader(io.BytesIO(libreoffice_pdf(render.docx(doc), tmp_path)))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    text = "\n".join(pages)
    for heading in ("Contents", "Introduction", "Speakers", "Going forward", "Thank you"):
        assert heading in text
    # The contents lists every section before the first one starts.
    first = pages[0]
    assert first.index("Thank you") < first.rindex("Introduction")
    assert f"Page 1 of {len(pages)}" in first
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_large_print_pdf_has_no_text_under_16_points(doc):
    normal, large = text_sizes(render.pdf(doc)), text_sizes(render.pdf(doc, large_print=True))
    assert min(normal) < 10  # the normal print has small text, so the check below means something
    # Running header and footer, contents, chart labels, captions, attributions: all enlarged.
    assert min(large) >= 16


def test_large_print_charts_draw_their_labels_larger(doc):
    html = render.html_page(doc, large_print=True)
    assert f'font-size="{charts.FONT_LARGE}"' in html
    assert f'font-size="{charts.FONT_NORMAL}"' not in html
    assert f'font-size="{charts.FONT_NORMAL}"' in render.html_page(doc)


def test_a_long_chart_label_wraps_rather_than_running_into_its_bar():
    chart = charts.chart_data(
        "sector",
        "Voices by sector",
        [("Individual / no organisation or group at all", 3)],
        "people",
    )
    box = charts.layout(chart, large_print=True)
    lines = box["rows"][0]["lines"]
    assert len(lines) == 2
    for line in lines:
        assert charts._measure(line, box["size"]) <= box["label_w"]


@pytest.mark.parametrize("large_print", [False, True])
def test_no_page_but_the_last_is_left_mostly_blank(doc, large_print):
    data = render.pdf(doc, large_print=large_print)
    bottoms = page_bottoms(data)
    assert all(b > 0.6 for b in bottoms[:-1]), bottoms


@pytest.mark.parametrize("large_print", [False, True])
def test_each_chart_is_on_the_same_page_as_its_title(doc, large_print):
    reader = PdfReader(io.BytesIO(render.pdf(doc, large_print=large_print)))
    pages = [page.extract_text().splitlines() for page in reader.pages]
    drawn = [c for s in doc["sections"] for c in s["charts"]]
    assert drawn
    for chart in drawn:
        on = [i for i, lines in enumerate(pages) if chart["title"] in lines]
        assert len(on) == 1, chart["title"]
        first_label = str(chart["bars"][0][0])
        assert any(line.startswith(first_label) for line in pages[on[0]]), chart["title"]


def test_docx_charts_are_tables_of_label_bar_and_figure_with_their_caption(doc):
    document = Document(io.BytesIO(render.docx(doc)))
    drawn = [c for s in doc["sections"] for c in s["charts"]]
    assert len(document.tables) == len(drawn)
    for table, chart in zip(document.tables, drawn, strict=True):
        pr = table._tbl.tblPr
        assert pr.find(qn("w:tblCaption")).get(qn("w:val")) == chart["title"]
        assert pr.find(qn("w:tblDescription")).get(qn("w:val")) == chart["alt"]
        rows = [[c.text for c in row.cells] for row in table.rows]
        assert [(r[0], r[2]) for r in rows] == [(str(lb), str(n)) for lb, n in chart["bars"]]
        # Rows break between pages like lines, never inside one.
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        caption = table._tbl.getprevious()
        assert caption.xpath("string(.)") == chart["title"]
        assert caption.pPr.find(qn("w:keepNext")) is not None


@needs_soffice
@pytest.mark.any_database  # LibreOffice lays out the same DOCX on either database
@pytest.mark.parametrize("large_print", [False, True])
def test_no_page_of_the_docx_but_the_last_is_left_mostly_blank_in_libreoffice(
    doc, tmp_path, large_print
):
    data = libreoffice_pdf(render.docx(doc, large_print=large_print), tmp_path)
    bottoms = page_bottoms(data)
    # A chart drawn as one picture moved whole to page 2 with its caption and left page 1
    # ending at 69 % of its height; rows of a table fill the page.
    assert all(b > 0.75 for b in bottoms[:-1]), bottoms
    text = "\n".join(page_texts(data))
    for chart in (c for s in doc["sections"] for c in s["charts"]):
        assert chart["title"] in text


def test_the_report_is_dated_on_the_events_own_day(report):
    """An evening event in New York falls on the next day on a London server's clock."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cairn.reports.document import build_document

    event = report.event
    new_york = ZoneInfo("America/New_York")
    event.timezone = "America/New_York"
    event.starts_at = datetime(2030, 3, 20, 21, 30, tzinfo=new_york)
    event.ends_at = datetime(2030, 3, 20, 23, 0, tzinfo=new_york)
    event.save()
    assert build_document(report, public=True)["subtitle"] == "Wednesday 20 March 2030"
