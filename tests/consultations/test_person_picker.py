"""The phone-entry page's "Who is answering" with hundreds of members: a list that filters
as you type (name, organisation, last digits of the phone), and a typed name or phone
number that is not a list entry is searched for, so the volunteer can always find them."""

import re

import pytest

from cairn.consultations.models import Response
from cairn.members.models import Channel, Organisation, Person
from tests.consultations.conftest import raw_for


@pytest.fixture
def members(db) -> list[Person]:
    org = Organisation.objects.create(name="Riverside Men's Shed")
    people = [
        Person(
            first_name=f"Member{n:03d}",
            last_name="Smith",
            phone=f"01632 96{n:04d}",
            preferred_channel=Channel.PHONE if n % 2 else Channel.EMAIL,
            organisation=org if n % 3 == 0 else None,
        )
        for n in range(240)
    ]
    people.append(
        Person(
            first_name="Jean",
            last_name="Millar",
            phone="07700 900123",
            preferred_channel=Channel.EMAIL,  # she prefers email, but rang in
        )
    )
    return Person.objects.bulk_create(people)


def _post(client, consultation, who):
    q = list(consultation.questions.all())
    answers = {f"q{pk}": values[0] for pk, values in raw_for(consultation).items()}
    assert len(answers) == len(q)
    return client.post(
        f"/consultations/{consultation.pk}/enter/", {"channel": "phone", "person": who, **answers}
    )


def test_every_member_is_in_the_list_phone_first_in_a_few_queries(
    consultation, bob, members, client, django_assert_max_num_queries
):
    Person.objects.filter(first_name="Member000").update(anonymised_at="2025-01-01T00:00Z")
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        page = client.get(f"/consultations/{consultation.pk}/enter/?channel=phone")
    html = page.content.decode()
    options = re.findall(
        r'<option value="([^"]+)">', html.split('id="people-list"')[1].split("</datalist>")[0]
    )
    # 241 members (and the logins' own records), but not the one erased.
    assert len(options) == Person.objects.filter(anonymised_at__isnull=True).count() >= 240
    assert 'list="people-list"' in html
    jean = next(o for o in options if o.startswith("Jean Millar"))
    assert jean.endswith(f"phone …0123 · #{members[-1].pk}")
    assert "07700 900123" not in html  # the last digits only
    assert all(not o.startswith("Member000") for o in options)
    assert options[0].startswith("Member001")  # those who prefer phone come first


@pytest.mark.parametrize("typed", ["07700900123", "07700 900 123", "jean mil", "MILLAR"])
def test_a_typed_name_or_phone_number_finds_the_one_person(
    consultation, bob, members, client, typed
):
    client.force_login(bob)
    assert _post(client, consultation, typed).status_code == 302
    assert Response.objects.get().person == members[-1]


def test_the_picked_list_entry_is_the_person_it_names(consultation, bob, members, client):
    client.force_login(bob)
    member = members[7]
    assert _post(client, consultation, f"Member007 Smith · #{member.pk}").status_code == 302
    assert Response.objects.get().person == member


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("smith", "240 people match “smith”: choose one from the list"),
        ("Nobody Here", "Nobody on file matches “Nobody Here”"),
    ],
)
def test_a_name_that_matches_several_or_nobody_is_explained_and_nothing_lost(
    consultation, bob, members, client, typed, message
):
    client.force_login(bob)
    page = _post(client, consultation, typed)
    html = page.content.decode()
    assert page.status_code == 200 and message in html
    assert "The phone tree." in html  # the typed answers are still there
    assert not Response.objects.exists()
