"""One rule decides who a message reaches: the compose page's count (`reachable`), the call
list (`call_list`) and a waiting letter or email (`delivery_problem`, one person at a time)
must agree for any mix of consents, channels, missing details and erased people."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.members.models import Channel, ChannelConsent, Consent, ConsentMethod, Person
from cairn.members.models import ConsentPurpose as Purpose
from cairn.outreach.models import Delivery, DeliveryStatus
from cairn.outreach.services import call_list, reachable
from cairn.outreach.services.consent import delivery_problem

PURPOSES = [Purpose.EVENT_INVITATIONS, Purpose.NEWSLETTERS]

member = st.fixed_dictionaries(
    {
        "channel": st.sampled_from(Channel.values),
        "email": st.sampled_from(["", "someone@example.org"]),
        "phone": st.sampled_from(["", "  ", "\t", "07700 900123"]),
        "address": st.sampled_from(["", " \n ", "1 High Street\nWestport"]),
        "login": st.booleans(),
        "erased": st.booleans(),
        # Per purpose: never asked (None), agreed (True) or withdrew (False).
        "consents": st.fixed_dictionaries(
            {p: st.sampled_from([None, True, False]) for p in PURPOSES}
        ),
        # Per channel: nothing said (None), refused (False), or said yes (True).
        "channels": st.fixed_dictionaries(
            {c: st.sampled_from([None, True, False]) for c in Channel.values}
        ),
        # Queued calls: each with a purpose or none (a call they asked for).
        "calls": st.lists(st.sampled_from(["", *PURPOSES]), max_size=2),
    }
)


def _make(n: int, spec: dict) -> Person:
    now = timezone.now()
    person = Person.objects.create(
        first_name=f"P{n}",
        preferred_channel=spec["channel"],
        email=spec["email"],
        phone=spec["phone"],
        address=spec["address"],
        user=User.objects.create_user(f"user{n}") if spec["login"] else None,
        anonymised_at=now if spec["erased"] else None,
    )
    for purpose, granted in spec["consents"].items():
        if granted is not None:
            Consent.objects.create(
                person=person,
                purpose=purpose,
                granted=granted,
                method=ConsentMethod.WEB,
                recorded_at=now,
            )
    for channel, granted in spec["channels"].items():
        if granted is not None:
            ChannelConsent.objects.create(
                person=person,
                channel=channel,
                granted=granted,
                method=ConsentMethod.WEB,
                recorded_at=now,
            )
    for purpose in spec["calls"]:
        Delivery.objects.create(
            person=person,
            channel=Channel.PHONE,
            purpose=purpose,
            subject="Call",
            body="",
            status=DeliveryStatus.QUEUED,
        )
    return person


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(members=st.lists(member, min_size=1, max_size=6), gone=st.booleans())
def test_reachable_and_the_call_list_follow_the_one_rule(db, members, gone):
    with transaction.atomic():
        people = [_make(n, spec) for n, spec in enumerate(members)]
        if gone:
            # A call whose person was deleted outright: the delivery keeps no person.
            Delivery.objects.filter(person=people[0]).update(person=None)
        for purpose in PURPOSES:
            expected = {
                p.pk for p in people if not delivery_problem(p, purpose, p.preferred_channel)
            }
            assert set(reachable(Person.objects.all(), purpose).values_list("pk", flat=True)) == (
                expected
            )
        queued = Delivery.objects.filter(channel=Channel.PHONE).select_related("person")
        expected_calls = {
            d.pk for d in queued if not delivery_problem(d.person, d.purpose, Channel.PHONE)
        }
        assert set(call_list().values_list("pk", flat=True)) == expected_calls
        transaction.set_rollback(True)


def test_a_call_to_someone_erased_or_without_a_phone_is_left_off_but_kept(db):
    person = _make(
        1,
        {
            "channel": Channel.PHONE,
            "email": "",
            "phone": "07700 900123",
            "address": "",
            "login": False,
            "erased": False,
            "consents": {Purpose.NEWSLETTERS: True},
            "channels": {},
            "calls": [Purpose.NEWSLETTERS],
        },
    )
    assert call_list().count() == 1
    Person.objects.filter(pk=person.pk).update(phone="")
    assert call_list().count() == 0
    assert Delivery.objects.get().status == DeliveryStatus.QUEUED
