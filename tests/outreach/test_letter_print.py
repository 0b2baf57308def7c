"""Letters as they come off the printer: large print in one page where the words allow,
nothing under 16 pt, the reference never alone on a page, every address inside the window."""

import io

import pytest
from pypdf import PdfReader

from cairn.members.models import AccessNeed, Channel, ConsentPurpose, Person
from cairn.outreach.letters import address_lines, address_size, render_letters
from cairn.outreach.services import notify
from tests.pdf_pages import page_texts, text_sizes

pytestmark = pytest.mark.django_db
INVITE = ConsentPurpose.EVENT_INVITATIONS
# The demo's invitation: five paragraphs and a sign-off.
INVITATION = (
    "Dear {first_name},\n\n"
    "You are warmly invited to Building back better: lessons for funders and policy "
    "makers on Friday 25 December 2026, 10:00.\n\n"
    "Members will share what they have learned this year, and there will be time to talk "
    "in small groups. You can join online, by phone, or come along in person.\n\n"
    "If you would like to come, reply to this message, call the network office, or tell "
    "the volunteer who phones you.\n\n"
    "Best wishes,\nAileen Baird, network coordinator"
)


def letter(person_factory, body=INVITATION, large=True, **address):
    person = person_factory(
        "Jean",
        preferred_channel=Channel.POST,
        access_needs=[AccessNeed.LARGE_PRINT] if large else [],
        **({"address": "16 Harbour Road\nEastdale", "postcode": "NS7 7AB"} | address),
    )
    subject = "Invitation: Building back better: lessons for funders and policy makers"
    return render_letters([notify(person, subject=subject, body=body, purpose=INVITE)])


def test_a_one_page_letter_stays_on_one_page_in_large_print(person_factory):
    data = letter(person_factory)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    # Sender, address, date, body and the reference: nothing under 16 pt.
    assert min(text_sizes(data)) >= 16


def test_the_reference_is_never_alone_on_a_page(person_factory):
    body = INVITATION.replace("Best wishes", "More news soon.\n\n" * 3 + "Best wishes")
    pages = page_texts(letter(person_factory, body=body))
    assert len(pages) == 2
    last = pages[-1]
    assert "Reference L" in last and "Aileen Baird" in last


@pytest.mark.parametrize("large", [False, True])
def test_a_long_address_gets_smaller_type_and_stays_inside_the_window(person_factory, large):
    lines = [
        "Flat 12, The Old Sorting Office Residential Building",
        "Harbour Road",
        "Lower Eastdale",
        "Eastdale Business Park",
        "Northshire",
        "United Kingdom",
    ]
    data = letter(person_factory, large=large, address="\n".join(lines), postcode="NS7 7AB")
    printed = address_lines(Person.objects.get())
    assert len(printed) == 8
    assert address_size(printed, large) < address_size(printed[:4], large)
    page = PdfReader(io.BytesIO(data)).pages[0]
    height_mm = float(page.mediabox.height) / 72 * 25.4
    tops = {}

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        tops.setdefault(text.strip(), height_mm - y / 72 * 25.4)

    page.extract_text(visitor_text=visit)
    # Each line printed (none clipped) and its baseline inside the window, 50-85 mm down.
    for line in printed[:1] + printed[2:]:  # the long line wraps
        assert line in tops, line
        assert 50 <= tops[line] <= 85, (line, tops[line])
