"""The personal data export as a printed document: the network's name, values a person can
read (no Python notation, times to the minute), and large print for who needs it."""

import pytest

from cairn.members.models import AccessNeed, Person
from cairn.members.services import export_person
from tests.pdf_pages import page_texts, text_sizes

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(demo):
    # In the demo Bill answered a consultation, spoke at events and gave consent by phone.
    return Person.objects.get(first_name="Bill", last_name="Henderson")


def test_the_export_pdf_reads_as_text_not_as_code(bill, alice, settings):
    settings.NETWORK_NAME = "Northshire Co-production Network"
    text = "\n".join(page_texts(export_person(bill, alice, fmt="pdf")[1]))
    assert "Personal data held by Northshire" in text and "Cairn" not in text
    # A response's answers as lines, not a list of dictionaries.
    assert "{'question'" not in text and "[{" not in text
    assert "How did you keep in touch with the people you support?" in text
    # Times to the minute, not ISO with microseconds.
    assert "T15:" not in text and "+00:00" not in text


def test_the_export_pdf_is_in_large_print_for_who_needs_it(bill, alice):
    normal = export_person(bill, alice, fmt="pdf")[1]
    bill.access_needs = [AccessNeed.LARGE_PRINT]
    bill.save()
    large = export_person(bill, alice, fmt="pdf")[1]
    assert min(text_sizes(normal)) < 10
    assert min(text_sizes(large)) >= 16


def test_the_export_pdf_names_each_value_in_words_not_by_its_field(bill, alice):
    text = "\n".join(page_texts(export_person(bill, alice, fmt="pdf")[1]))
    # The person's details, a consultation response, a listing and a post: each value
    # under its field's verbose name, and yes or no rather than Python's True and False.
    for label in ["First name", "Postal address", "Name given", "May be quoted in reports"]:
        assert label in text
    for raw in ["first_name", "preferred_channel", "consent_to_quote", "created_at", "True"]:
        assert raw not in text


def test_the_export_pdf_gives_coded_values_in_words(bill, alice):
    text = " ".join(" ".join(page_texts(export_person(bill, alice, fmt="pdf")[1])).split())
    # Bill's consent by phone, his preferred channel, a response's and a post's channel.
    assert "Event invitations and reminders" in text and "event_invitations" not in text
    assert "Preferred channel Phone" in text
    data = export_person(bill, alice)[0]
    # The JSON export keeps the codes a program reads.
    assert {c["purpose"] for c in data["consents"]} >= {"event_invitations"}
