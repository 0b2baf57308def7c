import io
from unittest import mock

import pytest
from pypdf import PdfReader

from cairn.contributions.models import Contribution
from cairn.lib import storage
from cairn.members.models import AccessNeed, Channel, ConsentPurpose, Sector
from cairn.outreach.letters import render_labels, render_letters
from cairn.outreach.models import Delivery, DeliveryStatus, LetterBatch, Message
from cairn.outreach.services import notify, notify_many

pytestmark = pytest.mark.django_db
INVITE = ConsentPurpose.EVENT_INVITATIONS


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def audience(person_factory, org):
    org.sector = Sector.COMMUNITY
    org.save()
    return {
        "email": person_factory("Emma", organisation=org),
        "post": person_factory(
            "Jean",
            preferred_channel=Channel.POST,
            address="12 Harbour Road\nEastdale",
            postcode="ns1 1ab",
            access_needs=[AccessNeed.LARGE_PRINT],
            organisation=org,
        ),
        "phone": person_factory(
            "Bill", preferred_channel=Channel.PHONE, phone="01632 960001", organisation=org
        ),
        "none": person_factory("Nora", consent=[], organisation=org),
    }


def test_outreach_pages_are_for_coordinators_only(client, charlie, bob):
    client.force_login(charlie)
    for url in ("/outreach/", "/outreach/compose/", "/outreach/letters/", "/outreach/not-reached/"):
        assert client.get(url).status_code == 403
    assert client.get("/outreach/calls/").status_code == 403
    client.force_login(bob)
    assert client.get("/outreach/calls/").status_code == 200
    assert client.get("/outreach/").status_code == 403


def test_a_coordinator_previews_per_channel_then_sends_to_the_audience(
    client, alice, audience, mailoutbox
):
    client.force_login(alice)
    form = {
        "subject": "Invitation, {first_name}",
        "body": "Dear {first_name},\n\nCome to our learning event.\n\nBest wishes",
        "purpose": INVITE,
        "sector": Sector.COMMUNITY,
    }
    page = client.post("/outreach/compose/", form | {"action": "preview"}).content.decode()
    assert "4 people in the audience" in page
    assert "Invitation, Emma" in page and "Invitation, Jean" in page
    assert "calling from" in page  # the phone script
    assert not Message.objects.exists()
    response = client.post("/outreach/compose/", form | {"action": "send", "confirm": "1"})
    message = Message.objects.get()
    assert response["Location"] == message.get_absolute_url()
    statuses = dict(message.deliveries.values_list("person__first_name", "status"))
    assert statuses == {
        "Emma": DeliveryStatus.SENT,
        "Jean": DeliveryStatus.QUEUED,
        "Bill": DeliveryStatus.QUEUED,
        "Nora": DeliveryStatus.NOT_REACHED,
    }
    assert [m.subject for m in mailoutbox] == ["Invitation, Emma"]
    detail = client.get(message.get_absolute_url()).content.decode()
    assert "No consent for" in detail


def test_an_unknown_merge_field_is_caught_before_sending(client, alice):
    client.force_login(alice)
    page = client.post(
        "/outreach/compose/",
        {"subject": "S", "body": "Hi {nickname}", "purpose": INVITE, "action": "preview"},
    ).content.decode()
    assert "Unknown merge field: {nickname}" in page


def test_letters_are_a_print_ready_pdf_with_the_address_in_the_envelope_window(audience):
    jean = audience["post"]
    delivery = notify(
        jean, subject="Invitation", body="Dear {first_name},\n\nCome along.", purpose=INVITE
    )
    data = render_letters([delivery])
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    height_mm = float(page.mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (210, 297)
    positions = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            # Text position in page space: the text matrix through the current transform.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            positions.setdefault(text.strip(), (x, y))

    page.extract_text(visitor_text=visit)
    x, y = positions["Jean Millar"]
    x_mm, top_mm = x / 72 * 25.4, height_mm - y / 72 * 25.4
    # DL window: 20 mm from the left, between 50 and 85 mm from the top.
    assert 19 <= x_mm <= 22
    assert 50 <= top_mm <= 85
    text = pdf_text(data)
    assert "12 Harbour Road" in text and "NS1 1AB" in text
    assert "Dear Jean," in text and "Come along." in text


def test_large_print_letters_use_bigger_type(person_factory):
    people = [
        person_factory(name, preferred_channel=Channel.POST, address="1 Road", access_needs=needs)
        for name, needs in (("Small", []), ("Large", [AccessNeed.LARGE_PRINT]))
    ]
    sizes = {}
    for person in people:
        delivery = notify(person, subject="S", body="Body text here.", purpose=INVITE)
        page = PdfReader(io.BytesIO(render_letters([delivery]))).pages[0]

        def visit(text, cm, tm, font, size, name=person.first_name):
            if "Body text" in text:
                sizes[name] = size * tm[0] * cm[0]

        page.extract_text(visitor_text=visit)
    assert sizes["Large"] >= 17.5 and sizes["Small"] < 13


def test_pdf_enclosures_follow_their_letter(person_factory):
    enclosure = render_letters([])  # any one-page PDF
    person = person_factory(
        "Jean", preferred_channel=Channel.POST, address="1 Road", postcode="NS1 1AB"
    )
    delivery = notify(
        person,
        subject="Your paper form",
        body="Please fill in the form.",
        purpose=INVITE,
        attachments=[("form.pdf", enclosure, "application/pdf")],
    )
    reader = PdfReader(io.BytesIO(render_letters([delivery])))
    assert len(reader.pages) == 2
    assert "No letters." in reader.pages[1].extract_text()


def test_a_batch_reads_an_enclosure_it_shares_once(person_factory):
    enclosure = render_letters([])  # any one-page PDF
    people = [
        person_factory(f"P{i}", preferred_channel=Channel.POST, address="1 Road", postcode="NS1")
        for i in range(3)
    ]
    letters = notify_many(
        people,
        subject="Our report",
        body="Enclosed.",
        purpose=INVITE,
        attachments=[("report.pdf", enclosure, "application/pdf")],
    )
    with mock.patch.object(storage, "read", wraps=storage.read) as read:
        reader = PdfReader(io.BytesIO(render_letters(letters)))
    assert read.call_count == 1
    assert len(reader.pages) == 6


def test_the_label_sheet_holds_21_addresses_a_page(person_factory):
    deliveries = [
        notify(
            person_factory(f"P{i}", preferred_channel=Channel.POST, address=f"{i} Road"),
            subject="S",
            body="B",
            purpose=INVITE,
        )
        for i in range(22)
    ]
    reader = PdfReader(io.BytesIO(render_labels(deliveries)))
    assert len(reader.pages) == 2
    assert "P20 Millar" in reader.pages[0].extract_text()
    assert "P21 Millar" in reader.pages[1].extract_text()


def test_a_coordinator_batches_downloads_and_posts_letters(client, alice, audience):
    notify(audience["post"], subject="Invitation", body="Come.", purpose=INVITE)
    client.force_login(alice)
    response = client.post("/outreach/letters/")
    batch = LetterBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    letters = client.get(f"/outreach/letters/{batch.pk}/letters.pdf")
    assert "Jean Millar" in pdf_text(b"".join(letters.streaming_content))
    labels = client.get(f"/outreach/letters/{batch.pk}/labels.pdf")
    assert "12 Harbour Road" in pdf_text(b"".join(labels.streaming_content))
    client.post(batch.get_absolute_url(), {"action": "posted"})
    assert Delivery.objects.get().status == DeliveryStatus.QUEUED  # not confirmed
    client.post(batch.get_absolute_url(), {"action": "posted", "confirm": "1"})
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    response = client.post("/outreach/letters/", follow=True)
    assert b"no letters waiting" in response.content


def test_a_volunteer_logs_a_call_and_the_words_become_a_phone_contribution(client, bob, audience):
    delivery = notify(audience["phone"], subject="Invitation", body="Come.", purpose=INVITE)
    client.force_login(bob)
    page = client.get("/outreach/calls/").content.decode()
    assert "01632 960001" in page
    page = client.get(f"/outreach/calls/{delivery.pk}/").content.decode()
    assert "Hello, may I speak to Bill?" in page
    response = client.post(
        f"/outreach/calls/{delivery.pk}/",
        {"outcome": "reached", "passed_on": "The shed needs a ramp.", "consent_to_quote": "on"},
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.author, contribution.entered_by) == (
        "phone",
        audience["phone"],
        bob,
    )
    assert "01632 960001" not in client.get("/outreach/calls/").content.decode()


def test_a_call_back_without_a_date_is_sent_back_with_a_message(client, bob, audience):
    delivery = notify(audience["phone"], subject="Invitation", body="Come.", purpose=INVITE)
    client.force_login(bob)
    response = client.post(f"/outreach/calls/{delivery.pk}/", {"outcome": "call_back"})
    assert b"Give the date to call back on." in response.content


def test_the_coordinator_fixes_a_not_reached_person_and_sends_again(
    client, alice, person_factory, mailoutbox
):
    pat = person_factory("Pat", email="")
    delivery = notify(pat, subject="Invitation", body="Come.", purpose=INVITE)
    client.force_login(alice)
    page = client.get("/outreach/not-reached/").content.decode()
    assert "no email address" in page
    pat.email = "pat@example.org"
    pat.save()
    client.post(f"/outreach/deliveries/{delivery.pk}/act/", {"action": "retry"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RESOLVED
    assert [m.to for m in mailoutbox] == [["pat@example.org"]]
    assert "Everyone was reached" in client.get("/outreach/not-reached/").content.decode()


def test_a_not_reached_case_can_be_marked_as_dealt_with(client, alice, person_factory):
    delivery = notify(person_factory("Pat", consent=[]), subject="S", body="B", purpose=INVITE)
    client.force_login(alice)
    client.post(f"/outreach/deliveries/{delivery.pk}/act/", {"action": "resolve"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RESOLVED


def test_the_dashboard_counts_deliveries_by_channel(client, alice, audience):
    for person in audience.values():
        notify(person, subject="S", body="B", purpose=INVITE)
    client.force_login(alice)
    page = client.get("/outreach/").content.decode()
    assert "letters to print or post" in page and "calls to make" in page


def test_letters_carry_the_networks_name_and_postal_address(settings, person_factory):
    settings.NETWORK_NAME = "Northshire Network"
    settings.NETWORK_POSTAL_ADDRESS = "1 Quay Street\nPortshire NS1 9ZZ"
    person = person_factory("Jean", preferred_channel=Channel.POST, address="1 Road")
    text = pdf_text(render_letters([notify(person, subject="S", body="B", purpose=INVITE)]))
    assert "Northshire Network" in text and "1 Quay Street" in text


def test_the_letters_page_says_when_the_return_address_or_network_name_is_missing(
    client, alice, settings
):
    client.force_login(alice)
    settings.NETWORK_POSTAL_ADDRESS = ""
    settings.NETWORK_NAME = "Cairn"
    page = client.get("/outreach/letters/").content.decode()
    assert "without a return address" in page and "signed “Cairn”" in page
    assert "/settings/network/" in page
    settings.NETWORK_POSTAL_ADDRESS = "Eastdale Network\n1 High St\nEA1 1AA"
    settings.NETWORK_NAME = "Eastdale Network"
    page = client.get("/outreach/letters/").content.decode()
    assert "without a return address" not in page and "signed “Cairn”" not in page


def test_a_batch_page_warns_before_printing_letters_without_a_return_address(
    client, alice, audience, settings
):
    notify(audience["post"], subject="Invitation", body="Come.", purpose=INVITE)
    client.force_login(alice)
    settings.NETWORK_POSTAL_ADDRESS = ""
    settings.NETWORK_NAME = "Eastdale Network"
    client.post("/outreach/letters/")
    batch = LetterBatch.objects.get()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "without a return address" in page and "/settings/network/" in page
    assert "signed “Cairn”" not in page
    settings.NETWORK_POSTAL_ADDRESS = "1 High St\nEA1 1AA"
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "without a return address" not in page
