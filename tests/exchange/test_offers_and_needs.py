import pytest
from django.utils import timezone

from cairn.exchange import services
from cairn.exchange.models import ContactRequest, Listing
from cairn.members.models import Channel, Consent, Organisation, Person, Sector
from cairn.outreach.models import Delivery


@pytest.fixture
def shop(db):
    return Organisation.objects.create(
        name="Harbour Stores", sector=Sector.PRIVATE, region="Eastdale"
    )


@pytest.fixture
def food_share(charlie, org):
    person = charlie.person
    person.organisation = org
    person.save()
    return org


def _post(
    org, kind, title, description, topics, region="Eastdale", category="equipment", contact=None
):
    return services.post_listing(
        actor=None,
        kind=kind,
        category=category,
        organisation=org,
        title=title,
        description=description,
        topics=topics,
        region=region,
        contact_person=contact,
    )


def test_a_need_is_shown_the_offers_that_fit_it_and_why(shop, food_share):
    mark = Person.objects.create(first_name="Mark", organisation=shop, email="mark@shop.example")
    offer = _post(
        shop,
        "offer",
        "Surplus fresh food",
        "Fresh food every evening for a group to collect.",
        "food, surplus",
        contact=mark,
    )
    _post(shop, "offer", "Office desks", "Desks with Wi-Fi.", "office space", category="space")
    need = _post(
        food_share, "need", "Fresh food for families", "We need a supply of fresh food.", "food"
    )
    suggestions = services.suggestions_for(need)
    assert [s[0] for s in suggestions] == [offer]
    assert "Both are about food." in services.explain(suggestions[0][1])
    back = services.suggestions_for(offer)
    assert [s[0] for s in back] == [need]


def test_starting_contact_reaches_the_other_side_by_their_channel(shop, food_share, charlie):
    jean = Person.objects.create(
        first_name="Jean", organisation=shop, preferred_channel=Channel.POST, address="1 Road"
    )
    Consent.objects.create(
        person=jean, purpose="newsletters", method="post", recorded_at=timezone.now()
    )
    offer = _post(shop, "offer", "Surplus food", "Fresh food.", "food", contact=jean)
    request = services.start_contact(offer, actor=charlie, message="We could collect on Fridays.")
    delivery = Delivery.objects.get(pk=request.delivery_id)
    assert delivery.channel == "post" and delivery.person == jean
    assert "We could collect on Fridays." in delivery.body and "Charlie" in delivery.body


def test_the_same_match_cannot_start_contact_twice(shop, food_share, charlie):
    offer = _post(shop, "offer", "Surplus food", "Fresh food.", "food")
    need = _post(food_share, "need", "Food", "Food for families.", "food")
    services.start_contact(offer, actor=charlie, message="Hello", about=need)
    with pytest.raises(services.ExchangeError, match="already asked"):
        services.start_contact(offer, actor=charlie, message="Hello again", about=need)
    assert ContactRequest.objects.count() == 1


def test_an_empty_message_or_ones_own_listing_is_refused(food_share, charlie):
    need = _post(food_share, "need", "Fresh food", "Food.", "food")
    with pytest.raises(services.ExchangeError, match="own organisation"):
        services.start_contact(need, actor=charlie, message="Hello")
    with pytest.raises(services.ExchangeError, match="short message"):
        services.start_contact(need, actor=charlie, message="   ")
    assert not ContactRequest.objects.exists()


def test_a_member_posts_for_their_own_organisation_only(food_share, shop, charlie, client):
    client.force_login(charlie)
    reply = client.post(
        "/exchange/new/",
        {
            "kind": "need",
            "category": "volunteers",
            "organisation": shop.pk,
            "title": "T",
            "description": "D",
        },
    )
    assert reply.status_code == 200 and "Select a valid choice" in reply.content.decode()
    reply = client.post(
        "/exchange/new/",
        {
            "kind": "need",
            "category": "volunteers",
            "organisation": food_share.pk,
            "title": "Drivers",
            "description": "Vans",
            "topics": "Food, Transport",
            "region": "Eastdale",
        },
    )
    listing = Listing.objects.get()
    assert reply.status_code == 302 and listing.contact_person == charlie.person
    assert listing.topics == "food, transport"


def test_only_the_owner_or_a_coordinator_may_close_a_listing(shop, food_share, bob, alice, client):
    offer = _post(shop, "offer", "Food", "Food.", "food")
    client.force_login(bob)
    assert client.post(f"/exchange/{offer.pk}/close/").status_code == 403
    client.force_login(alice)
    assert client.get(f"/exchange/{offer.pk}/close/").status_code == 200
    client.post(f"/exchange/{offer.pk}/close/")
    offer.refresh_from_db()
    assert not offer.is_open


def test_the_guide_shows_who_works_on_what_near_a_company_and_how_to_approach_them(demo, client):
    from django.contrib.auth.models import User

    lucy = Person.objects.get(first_name="Lucy", last_name="Fraser")
    user = User.objects.create_user("lucy")
    lucy.user = user
    lucy.save()
    client.force_login(user)
    moved = client.get("/exchange/start-here/?region=Eastdale")
    assert moved.url == "/visit/start-here/?region=Eastdale"
    client.logout()  # Start here is public
    page = client.get(moved.url).content.decode()
    assert "Eastdale Tenants&#x27; Voice" in page
    assert "Write to us or leave a message on our phone line" in page
    assert "Start with a conversation" in page
    assert "Fresh food for the tenants&#x27; lunch club" in page
