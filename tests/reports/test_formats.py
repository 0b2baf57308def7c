import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from cairn.reports import render
from cairn.reports.document import build_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(report):
    return build_document(report, public=True)


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_the_pdf_has_the_headings_page_numbers_and_tags(doc):
    text, reader = pdf_text(render.pdf(doc))
    for heading in ("Introduction", "Speakers", "Technology", "Going forward", "Thank you"):
        assert heading in text
    assert 3 <= len(reader.pages) <= 12
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Northshire Co-production Network" in reader.pages[1].extract_text()
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_large_print_pdf_is_larger_and_longer(doc):
    _, normal = pdf_text(render.pdf(doc))
    text, large = pdf_text(render.pdf(doc, large_print=True))
    assert len(large.pages) > len(normal.pages)
    assert "Technology" in text


def test_the_docx_reads_back_with_headings_quotes_and_described_charts(doc):
    document = Document(io.BytesIO(render.docx(doc)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Introduction", "Speakers", "Technology"]
    assert any(p.style.name == "Quote" for p in document.paragraphs)
    # Each chart is a table described by its title and figures; its bars are decorative.
    described = [
        t._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val")) for t in document.tables
    ]
    assert described and all("Voices" in d or "Points" in d for d in described)
    pictures = [el for el in document.element.body.iter() if el.tag.endswith("}docPr")]
    assert pictures
    for pr in pictures:
        assert pr.xpath(".//*[local-name()='decorative']/@val") == ["1"]


def test_the_markdown_has_headings_lists_and_chart_figures(doc):
    text = render.markdown(doc)
    assert text.startswith("# ")
    assert "## Technology" in text
    assert "- Morag Lennox" in text
    assert "**Voices by channel**" in text


def test_the_web_page_draws_charts_as_svg_with_a_text_alternative(doc):
    html = render.html_page(doc)
    assert html.count("<svg") >= 2
    assert 'role="img"' in html and "<desc" in html
    assert "Breakout note: " in html


def test_the_markdown_shows_raw_html_in_peoples_words_as_text(doc):
    section = doc["sections"][0]
    section["heading"] = "Heading <img src=x onerror=alert(1)>"
    section["quotes"] = [{"text": "Fine <script>alert(1)</script> & more", "by": "A <b>member</b>"}]
    text = render.markdown(doc)
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
