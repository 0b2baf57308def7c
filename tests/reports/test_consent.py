import pytest
from django.utils import timezone

from cairn.contributions.models import Contribution
from cairn.members.models import Consent, ConsentMethod, ConsentPurpose
from cairn.reports.document import build_document
from cairn.reports.services import generate_event_report

pytestmark = pytest.mark.django_db


def public_text(report) -> str:
    doc = build_document(report, public=True)
    parts = []
    for s in doc["sections"]:
        for b in s["blocks"]:
            runs = b.get("runs") or [r for item in b.get("items", []) for r in item]
            parts += [r["text"] for r in runs]
        parts += [q["text"] + " " + q["by"] for q in s["quotes"]]
    return "\n".join(parts)


def test_words_without_consent_to_quote_never_appear_in_public(seed_run, alice):
    paperweight = Contribution.objects.get(text__contains="paperweight")
    paperweight.consent_to_quote = False
    paperweight.save()
    report = generate_event_report(seed_run.event, alice, seed_run)
    assert "paperweight" not in public_text(report)


def test_withdrawing_consent_after_the_draft_removes_the_words_from_public(report):
    quoted = report.sections.get(heading="Technology").quotes.first() or next(
        q for s in report.sections.all() for q in s.quotes.all()
    )
    person = quoted.contribution.author
    if person is None:
        quoted.contribution.consent_to_quote = False
        quoted.contribution.save()
    else:
        Consent.objects.update_or_create(
            person=person,
            purpose=ConsentPurpose.QUOTE,
            defaults={
                "granted": False,
                "method": ConsentMethod.EMAIL,
                "recorded_at": timezone.now(),
            },
        )
    assert quoted.text[:40] not in public_text(report)
    internal = build_document(report, public=False)
    flagged = [q for s in internal["sections"] for q in s["quotes"] if q["text"] == quoted.text]
    assert flagged and not flagged[0]["consent"]


def test_names_appear_only_when_the_person_agreed(report):
    text = public_text(report)
    assert "Lucy Fraser" not in text
    quote = next(
        q for s in report.sections.all() for q in s.quotes.all() if q.contribution.author_id
    )
    Contribution.objects.filter(pk=quote.contribution_id).update(consent_to_name=True)
    assert quote.contribution.author.full_name in public_text(report)


def test_an_anonymous_quote_says_how_it_reached_us_and_from_which_sector(report):
    doc = build_document(report, public=True)
    bys = [q["by"] for s in doc["sections"] for q in s["quotes"]]
    assert bys and all(by.startswith(("A ", "An ")) for by in bys)
    assert any(by.endswith("in a breakout group") for by in bys)
