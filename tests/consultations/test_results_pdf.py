"""The printed summary of a consultation at normal and large print: sizes, tables that fit
the page and repeat their header rows, and the ?large=1 switch reports use."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cairn.consultations.models import ConsultationStatus, QuestionKind
from cairn.consultations.services import answering, building, paper, results
from cairn.members.models import Sector
from tests.pdf_pages import PDFTOPPM, ink_in_right_margin, page_texts, text_sizes

pytestmark = pytest.mark.django_db
OPTIONS = [f"Option number {i} with a fairly long description" for i in range(1, 31)]


@pytest.fixture
def wide(alice, bob):
    """Answers from every sector and three channels to a question with 30 options: the
    widest and longest tables the summary prints."""
    consultation = building.create_consultation(
        actor=alice, title="Everything at once", allow_anonymous=True
    )
    question = building.add_question(
        consultation,
        actor=alice,
        kind=QuestionKind.MULTIPLE,
        text="Which of these did you use?",
        choices_text="\n".join(OPTIONS),
    )
    building.set_status(consultation, ConsultationStatus.OPEN, actor=alice)
    everything = [" ".join(str(i) for i in range(1, 31))]
    for sector, _label in Sector.choices:
        web = answering.start_web_response(consultation, AnonymousUser())
        answering.save_web_answers(web, {question.pk: everything}, submit=True, sector=sector)
    code = paper.issue_blank_forms(consultation, actor=alice, count=1)[0].code
    for channel, paper_code in (("phone", ""), ("paper", code)):
        answering.enter_response(
            consultation,
            {question.pk: ["1 2"]},
            channel=channel,
            actor=bob,
            sector="funder",
            paper_code=paper_code,
        )
    return consultation


def summary(client, user, consultation, large: bool) -> bytes:
    client.force_login(user)
    reply = client.get(
        f"/consultations/{consultation.pk}/results.pdf" + ("?large=1" if large else "")
    )
    assert reply.status_code == 200
    name = reply["Content-Disposition"]
    assert name.endswith('-large-print.pdf"') == large
    return reply.content


def test_large_print_summary_prints_nothing_under_16_points(client, alice, wide):
    normal, large = summary(client, alice, wide, False), summary(client, alice, wide, True)
    assert min(text_sizes(normal)) < 11  # the normal print has small text, so this means something
    assert min(text_sizes(large)) >= 16  # tables, headers, page numbers, notes


@pytest.mark.parametrize("large", [False, True])
def test_a_long_table_repeats_its_header_row_on_every_page(client, alice, wide, large):
    pages = page_texts(summary(client, alice, wide, large))
    with_rows = [p for p in pages if "Option number" in p]
    assert len(with_rows) >= 2  # the table does run on
    for page in with_rows:
        assert "answered" in page and "All" in page, page[:200]


def test_every_sector_is_counted_in_tables_split_to_fit(wide):
    r = results.consultation_results(wide)
    for large, most in ((False, 8), (True, 4)):
        tables = results.printed_tables(r, r.choice[0], large_print=large)
        assert all(len(t.headers) <= most for t in tables)
        shown = {h for t in tables for h in t.headers}
        assert {str(label) for _v, label in Sector.choices} <= shown
        assert all(t.headers[0] == "All" for t in tables)
        # Every table has every option, and the counts add up to what was chosen.
        for t in tables:
            assert [option for option, _n in t.rows] == OPTIONS
        first = {h: n for t in tables for h, n in zip(t.headers, t.rows[0][1], strict=True)}
        assert first["All"] == 11 and first["Funder"] == 3 and first["Phone"] == 1


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("large", [False, True])
def test_the_tables_fit_the_page(client, alice, wide, large, tmp_path):
    data = summary(client, alice, wide, large)
    assert ink_in_right_margin(data, tmp_path) == []
    text = "\n".join(page_texts(data))
    # Header words wrap between words, never inside one.
    assert "organisation" in text and "organi-" not in text
