import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.members.models import AccessNeed, Channel, ConsentPurpose
from cairn.outreach.models import CallOutcomeKind, DeliveryStatus
from cairn.outreach.services import (
    OutreachError,
    call_list,
    create_letter_batch,
    log_call,
    mark_batch_posted,
    notify,
    queued_letters,
)

pytestmark = pytest.mark.django_db
INVITE = ConsentPurpose.EVENT_INVITATIONS


def test_nobody_is_contacted_for_a_purpose_they_have_not_consented_to(mailoutbox, person_factory):
    jean = person_factory("Jean", consent=[ConsentPurpose.RESEARCH])
    delivery = notify(jean, subject="S", body="B", purpose=ConsentPurpose.NEWSLETTERS)
    assert delivery.status == DeliveryStatus.NOT_REACHED
    assert "No consent" in delivery.reason
    assert mailoutbox == []


def test_a_withdrawn_consent_counts_as_no_consent(mailoutbox, person_factory):
    jean = person_factory("Jean")
    jean.consents.update(granted=False)
    assert notify(jean, subject="S", body="B", purpose=INVITE).status == "not_reached"
    assert mailoutbox == []


def test_an_unknown_purpose_is_an_error(person_factory):
    with pytest.raises(OutreachError):
        notify(person_factory(), subject="S", body="B", purpose="marketing")


def test_a_person_who_prefers_post_is_queued_for_the_letter_batch_in_large_print(
    mailoutbox, person_factory
):
    jean = person_factory(
        "Jean",
        preferred_channel=Channel.POST,
        address="12 Harbour Road\nEastdale",
        postcode="NS1 1AB",
        access_needs=[AccessNeed.LARGE_PRINT],
    )
    delivery = notify(jean, subject="S", body="B", purpose=INVITE)
    assert (delivery.channel, delivery.status, delivery.large_print) == ("post", "queued", True)
    assert list(queued_letters()) == [delivery]
    assert mailoutbox == []
    batch = create_letter_batch(None)
    assert list(batch.letters.all()) == [delivery]
    assert not queued_letters().exists()
    assert mark_batch_posted(batch, None) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_an_empty_letter_batch_is_refused(db):
    with pytest.raises(OutreachError, match="no letters"):
        create_letter_batch(None)


@pytest.mark.parametrize(
    ("channel", "fields", "reason"),
    [
        (Channel.EMAIL, {"email": ""}, "no email address"),
        (Channel.POST, {"address": ""}, "no postal address"),
        (Channel.PHONE, {"phone": ""}, "no phone number"),
        (Channel.WEB, {}, "no Cairn login"),
    ],
)
def test_no_usable_address_is_not_reached_with_the_reason(person_factory, channel, fields, reason):
    person = person_factory("Pat", preferred_channel=channel, **fields)
    delivery = notify(person, subject="S", body="B", purpose=INVITE)
    assert delivery.status == DeliveryStatus.NOT_REACHED
    assert reason in delivery.reason


def test_a_web_only_person_finds_the_message_on_their_cairn_page(client, person_factory):
    user = User.objects.create_user("zara", password="pw")
    zara = person_factory("Zara", preferred_channel=Channel.WEB, user=user)
    delivery = notify(zara, subject="Your invitation", body="Come along", purpose=INVITE)
    assert delivery.status == DeliveryStatus.DELIVERED
    client.force_login(user)
    response = client.get("/outreach/inbox/")
    assert b"Your invitation" in response.content
    delivery.refresh_from_db()
    assert delivery.seen_at is None  # opening the page changes nothing


def test_marking_messages_read_is_a_post_of_ones_own_messages(client, person_factory):
    from cairn.core.models import AuditEntry

    user = User.objects.create_user("zara", password="pw")
    zara = person_factory("Zara", preferred_channel=Channel.WEB, user=user)
    yusuf = person_factory("Yusuf", preferred_channel=Channel.WEB)
    mine = notify(zara, subject="Your invitation", body="Come along", purpose=INVITE)
    theirs = notify(yusuf, subject="Not yours", body="No", purpose=INVITE)
    client.force_login(user)
    assert "Mark as read" in client.get("/outreach/inbox/").content.decode()
    response = client.post(
        "/outreach/inbox/", {"delivery": [mine.pk, theirs.pk, "x", "99999999999999999999"]}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.seen_at is not None and theirs.seen_at is None
    assert AuditEntry.objects.filter(action="outreach.messages_seen").count() == 1
    assert "Mark as read" not in client.get("/outreach/inbox/").content.decode()


def test_a_person_who_prefers_phone_joins_the_call_list(person_factory):
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(bill, subject="S", body="B", purpose=INVITE)
    assert list(call_list()) == [delivery]


def test_words_passed_on_in_a_call_become_a_phone_contribution(alice, person_factory):
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(bill, subject="S", body="B", purpose=INVITE)
    call = log_call(
        delivery,
        outcome=CallOutcomeKind.REACHED,
        user=alice,
        passed_on="Tell them the shed needs a ramp.",
        consent_to_quote=True,
    )
    contribution = Contribution.objects.get()
    assert call.contribution == contribution
    assert contribution.channel == ContributionChannel.PHONE
    assert contribution.author == bill
    assert contribution.entered_by == alice
    assert contribution.consent_to_quote
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert not call_list().exists()


def test_a_wrong_number_moves_the_call_to_the_not_reached_list(alice, person_factory):
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(bill, subject="S", body="B", purpose=INVITE)
    log_call(delivery, outcome=CallOutcomeKind.WRONG_NUMBER, user=alice)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.NOT_REACHED
    assert "Wrong number" in delivery.reason


def test_no_answer_and_call_back_keep_the_call_on_the_list(alice, person_factory):
    import datetime

    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(bill, subject="S", body="B", purpose=INVITE)
    log_call(delivery, outcome=CallOutcomeKind.NO_ANSWER, user=alice)
    with pytest.raises(OutreachError, match="date"):
        log_call(delivery, outcome=CallOutcomeKind.CALL_BACK, user=alice)
    log_call(
        delivery,
        outcome=CallOutcomeKind.CALL_BACK,
        user=alice,
        call_back_on=datetime.date(2030, 1, 5),
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.attempts == 2
    assert "05 Jan 2030" in delivery.reason
    with pytest.raises(OutreachError, match="reached"):
        log_call(delivery, outcome=CallOutcomeKind.NO_ANSWER, user=alice, passed_on="words")
    assert not Contribution.objects.exists()


def test_a_reached_call_logged_twice_passes_the_words_on_once(client, bob, person_factory):
    # The volunteer's Save sent twice (a double click, a resent POST on a poor line).
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(bill, subject="S", body="B", purpose=INVITE)
    client.force_login(bob)
    form = {"outcome": CallOutcomeKind.REACHED, "passed_on": "The shed needs a ramp."}
    assert client.post(f"/outreach/calls/{delivery.pk}/", form).status_code == 302
    again = client.post(f"/outreach/calls/{delivery.pk}/", form)
    assert "already logged" in again.content.decode()
    assert Contribution.objects.count() == 1 and delivery.calls.count() == 1
    with pytest.raises(OutreachError, match="already logged"):
        log_call(delivery, outcome=CallOutcomeKind.WRONG_NUMBER, user=bob)


def test_a_voicemail_can_be_followed_by_the_call_back_that_reaches_them(alice, person_factory):
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(bill, subject="S", body="B", purpose=INVITE)
    log_call(delivery, outcome=CallOutcomeKind.VOICEMAIL, user=alice)
    log_call(delivery, outcome=CallOutcomeKind.REACHED, user=alice, passed_on="Count me in.")
    assert Contribution.objects.get().text == "Count me in."


def test_letters_waiting_for_the_batch_are_not_printed_for_someone_who_said_stop(
    alice, person_factory
):
    from cairn.members.models import ChannelConsent, Consent, ConsentMethod
    from cairn.outreach.services import create_letter_batch

    def letter(name):
        person = person_factory(name, preferred_channel=Channel.POST, address="1 Road")
        return notify(person, subject="S", body="B", purpose=INVITE)

    jean, maggie, helen = letter("Jean"), letter("Maggie"), letter("Helen")
    # Days may pass before the batch is printed: Jean phones to ask for no more letters
    # (the letter's own footer says to), Maggie withdraws her consent.
    ChannelConsent.objects.create(
        person=jean.person,
        channel=Channel.POST,
        granted=False,
        method=ConsentMethod.PHONE,
        recorded_at=timezone.now(),
    )
    Consent.objects.filter(person=maggie.person).update(granted=False)
    batch = create_letter_batch(alice)
    assert list(batch.letters.all()) == [helen]
    for skipped in (jean, maggie):
        skipped.refresh_from_db()
        assert skipped.status == DeliveryStatus.NOT_REACHED and skipped.batch is None
    assert "Not printed: Asked not to be contacted by post" in jean.reason
    assert "Not printed: No consent for" in maggie.reason
    # With nobody left to print for, the batch is refused and the reasons still kept.
    Consent.objects.filter(person=helen.person).update(granted=False)
    batch.letters.update(batch=None)
    with pytest.raises(OutreachError, match="the 1 letter waiting can no longer be sent"):
        create_letter_batch(alice)
    helen.refresh_from_db()
    assert helen.status == DeliveryStatus.NOT_REACHED


def test_the_call_list_leaves_out_people_who_asked_not_to_be_phoned_since(alice, person_factory):
    from cairn.members.models import ChannelConsent, Consent, ConsentMethod
    from cairn.outreach.services import queue_service_message

    def call(name):
        person = person_factory(name, preferred_channel=Channel.PHONE, phone="01632 960001")
        return notify(person, subject="S", body="B", purpose=INVITE)

    bill, joe, ruth = call("Bill"), call("Joe"), call("Ruth")
    invitation = queue_service_message(
        ruth.person, channel=Channel.PHONE, subject="Your login code", body="Code"
    )
    assert set(call_list()) == {bill, joe, ruth, invitation}
    ChannelConsent.objects.create(
        person=bill.person,
        channel=Channel.PHONE,
        granted=False,
        method=ConsentMethod.POST,
        recorded_at=timezone.now(),
    )
    Consent.objects.filter(person=ruth.person).update(granted=False)
    # Ruth still gets the call she asked for (no consent purpose); Joe his invitation.
    assert set(call_list()) == {joe, invitation}
    # Said yes again, Bill is back on the list: nothing was lost meanwhile.
    ChannelConsent.objects.filter(person=bill.person).delete()
    assert set(call_list()) == {bill, joe, invitation}
