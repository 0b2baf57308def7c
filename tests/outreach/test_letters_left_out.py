"""A letter left out of a batch (no consent or postal address any more, erased) is audited
on its own, with the reason, and the batch's page lists it with that reason."""

import pytest
from django.utils import timezone

from cairn.core.models import AuditEntry
from cairn.members.models import Channel, ChannelConsent, Consent, ConsentMethod, ConsentPurpose
from cairn.outreach.models import DeliveryStatus
from cairn.outreach.services import OutreachError, create_letter_batch, notify


def _letter(person_factory, name):
    person = person_factory(name, preferred_channel=Channel.POST, address="1 Road")
    return notify(person, subject=f"Invitation for {name}", body="B", purpose="event_invitations")


def test_each_letter_left_out_is_audited_and_listed_on_the_batch_page(
    client, alice, person_factory
):
    jean, maggie, rob, helen = (
        _letter(person_factory, n) for n in ("Jean", "Maggie", "Rob", "Helen")
    )
    ChannelConsent.objects.create(
        person=jean.person,
        channel=Channel.POST,
        granted=False,
        method=ConsentMethod.PHONE,
        recorded_at=timezone.now(),
    )
    Consent.objects.filter(person=maggie.person).update(granted=False)
    rob.person.address = ""
    rob.person.save()
    batch = create_letter_batch(alice)
    assert list(batch.letters.all()) == [helen]
    assert set(batch.left_out.all()) == {jean, maggie, rob}
    entries = AuditEntry.objects.filter(action="outreach.letter_not_printed")
    by_person = {int(e.object_id): e for e in entries}
    assert set(by_person) == {jean.person.pk, maggie.person.pk, rob.person.pk}
    assert all(e.object_type == "members.person" and e.actor == alice for e in entries)
    assert by_person[jean.person.pk].summary == ("Not printed: Asked not to be contacted by post.")
    assert "No consent for" in by_person[maggie.person.pk].summary
    assert "no postal address" in by_person[rob.person.pk].summary
    assert by_person[rob.person.pk].detail == {"delivery": rob.pk, "batch": batch.pk}
    client.force_login(alice)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Not printed: 3 letters" in page
    assert "Prefers post but no postal address is on file." in page
    assert "Asked not to be contacted by post." in page
    assert "Invitation for Helen" not in page.split("Not printed: 3 letters")[1]


def test_letters_left_out_when_none_is_printed_are_audited_without_a_batch(alice, person_factory):
    jean = _letter(person_factory, "Jean")
    Consent.objects.filter(person=jean.person, purpose=ConsentPurpose.EVENT_INVITATIONS).update(
        granted=False
    )
    with pytest.raises(OutreachError, match="the 1 letter waiting can no longer be sent"):
        create_letter_batch(alice)
    jean.refresh_from_db()
    assert jean.status == DeliveryStatus.NOT_REACHED and jean.left_out_of is None
    entry = AuditEntry.objects.get(action="outreach.letter_not_printed")
    assert entry.object_id == str(jean.person.pk) and entry.detail["batch"] is None
