"""Names inside quoted and reported words: hidden in every public output unless the person
agreed to be named; sign-offs removed; coordinators still read the original."""

import io
import re

import pytest
from pypdf import PdfReader

from cairn.contributions.models import Contribution
from cairn.contributions.services import record_contribution
from cairn.events.models import BreakoutTheme
from cairn.members.models import Person
from cairn.reports import render
from cairn.reports.document import build_document
from cairn.reports.services import generate_event_report
from tests.insights.conftest import synthesised

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_report(demo, alice, fake_engine_for_reports, django_capture_on_commit_callbacks):
    """The demo report, with a breakout room whose chat named Fatima and whose email Rosie signed."""
    room = BreakoutTheme.objects.create(event=demo, name="Getting there", position=9)
    fatima = Person.objects.get(first_name="Fatima")
    rosie = Person.objects.get(first_name="Rosie")
    bill = Person.objects.get(first_name="Bill")
    record_contribution(
        text="Agree with Fatima, the bus pass is what keeps us going to the group.",
        channel="chat",
        theme=room,
        author=bill,
        consent_to_quote=True,
    )
    record_contribution(
        text="The library's tablet loans were a lifeline for us.\n\nBest wishes,\nRosie Campbell",
        channel="email",
        theme=room,
        author=rosie,
        consent_to_quote=True,
    )
    assert fatima and rosie
    run = synthesised(demo, alice, django_capture_on_commit_callbacks)
    return generate_event_report(demo, alice, run)


def _pdf_text(doc) -> str:
    reader = PdfReader(io.BytesIO(render.pdf(doc)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _named_publicly(report) -> set[int]:
    """Members who agreed to be named, and the event's speakers, named in the programme."""
    agreed = set(
        Contribution.objects.filter(consent_to_name=True).values_list("author_id", flat=True)
    )
    event = report.event
    speakers = set(event.agenda_items.values_list("speaker_id", flat=True))
    return agreed | speakers


def test_a_public_pdf_of_the_demo_report_names_no_member_who_did_not_consent(named_report):
    text = _pdf_text(build_document(named_report, public=True))
    allowed = _named_publicly(named_report)
    leaked = [
        p.full_name
        for p in Person.objects.exclude(pk__in=allowed)
        if re.search(rf"\b{re.escape(p.first_name)}\b", text)
    ]
    assert leaked == []
    assert "Agree with [a member], the bus pass" in text


def test_coordinators_still_read_the_original_words(named_report):
    internal = build_document(named_report, public=False)
    words = " ".join(
        r["text"]
        for s in internal["sections"]
        for b in s["blocks"]
        for r in (b.get("runs") or [r for item in b.get("items", []) for r in item])
    ) + " ".join(q["text"] for s in internal["sections"] for q in s["quotes"])
    assert "Agree with Fatima" in words


def test_a_sign_off_name_is_removed_from_the_quote(named_report):
    for public in (True, False):
        doc = build_document(named_report, public=public)
        texts = [
            q["text"] for s in doc["sections"] for q in s["quotes"] if "tablet loans" in q["text"]
        ] + [
            r["text"]
            for s in doc["sections"]
            for b in s["blocks"]
            for r in (b.get("runs") or [r for item in b.get("items", []) for r in item])
            if "tablet loans" in r["text"]
        ]
        assert texts
        assert not any("Rosie" in t or "Best wishes" in t for t in texts)


def test_every_public_format_hides_the_name(named_report):
    doc = build_document(named_report, public=True)
    markdown = render.markdown(doc)
    assert "Agree with [a member]" in markdown and "Fatima" not in markdown
    html = render.html_page(doc)
    assert "Fatima" not in html
    from docx import Document

    document = Document(io.BytesIO(render.docx(doc)))
    assert "Fatima" not in "\n".join(p.text for p in document.paragraphs)


def test_a_member_who_agreed_to_be_named_keeps_their_name_in_others_words(
    demo, alice, fake_engine_for_reports, django_capture_on_commit_callbacks
):
    fatima = Person.objects.get(first_name="Fatima")
    room = BreakoutTheme.objects.create(event=demo, name="Food", position=9)
    record_contribution(
        text="Fatima Rahman's food share fed forty families every week.",
        channel="chat",
        theme=room,
        author=fatima,
        consent_to_quote=True,
        consent_to_name=True,
    )
    record_contribution(
        text="Agree with Fatima, the food share is the heart of Glenmore.",
        channel="chat",
        theme=room,
        consent_to_quote=True,
    )
    run = synthesised(demo, alice, django_capture_on_commit_callbacks)
    report = generate_event_report(demo, alice, run)
    markdown = render.markdown(build_document(report, public=True))
    assert "with Fatima, the food share" in markdown
    assert "[a member]" not in markdown


def test_an_edited_copy_of_quoted_words_still_hides_the_name(named_report, alice):
    from cairn.reports.services import edit_section

    room = named_report.sections.get(heading="Getting there")
    body = room.body.replace("Agree with Fatima", "We agree with Fatima")
    assert body != room.body
    edit_section(room, alice, heading=room.heading, body=body)
    markdown = render.markdown(build_document(named_report, public=True))
    assert "We agree with [a member]" in markdown and "Fatima" not in markdown
    assert "We agree with Fatima" in render.markdown(build_document(named_report, public=False))
