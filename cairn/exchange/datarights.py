"""What the exchange holds about a person: listings they are the contact for, and
requests to get in touch they sent."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cairn.core.datarights import PersonData, field_choices, field_labels, register
from cairn.exchange.models import ContactRequest, Listing
from cairn.members.models import Person

LOGIN = (
    "the login that did it; erasure closes the login and strips its name, and the listing "
    "belongs to the organisation"
)


LISTING_FIELDS = [
    "kind",
    "title",
    "organisation",
    "contact_person",
    "how_to_contact",
    "is_open",
    "created_at",
]


def _listings(person: Person) -> list[dict[str, Any]]:
    mine = Q(contact_person=person)
    if person.user_id:
        mine |= Q(created_by_id=person.user_id)
    return [
        {
            "kind": x.kind,
            "title": x.title,
            "organisation": x.organisation.name,
            "contact_person": x.contact_person_id == person.pk,
            "how_to_contact": x.how_to_contact,
            "is_open": x.is_open,
            "created_at": x.created_at.isoformat(),
        }
        for x in Listing.objects.filter(mine).select_related("organisation")
    ]


def _erase_listings(person: Person) -> int:
    """The organisation's listing stays; the person stops being its contact, and their
    own email or phone number goes from how to get in touch."""
    changed = 0
    for listing in Listing.objects.filter(contact_person=person):
        listing.contact_person = None
        for detail in (person.email, person.phone, person.full_name):
            if detail:
                listing.how_to_contact = listing.how_to_contact.replace(detail, "")
        listing.save(update_fields=["contact_person", "how_to_contact"])
        changed += 1
    return changed


register(
    PersonData(
        key="exchange_listings",
        title=_("Exchange listings you are the contact for"),
        export=_listings,
        labels=field_labels(Listing, LISTING_FIELDS),
        choices=field_choices(Listing, LISTING_FIELDS),
        erase=_erase_listings,
        relations=("exchange.Listing.contact_person",),
        kept={"exchange.Listing.created_by": LOGIN},
        order=60,
    )
)


def _contact_requests(person: Person) -> list[dict[str, Any]]:
    if not person.user_id:
        return []
    return [
        {
            "listing": r.listing.title,
            "message": r.message,
            "created_at": r.created_at.isoformat(),
        }
        for r in ContactRequest.objects.filter(requested_by_id=person.user_id).select_related(
            "listing"
        )
    ]


def _erase_contact_requests(person: Person) -> int:
    # The request stays (a match was made) but not the words the person wrote.
    if not person.user_id:
        return 0
    return ContactRequest.objects.filter(requested_by_id=person.user_id).update(message="")


register(
    PersonData(
        key="exchange_contacts",
        title=_("Requests to get in touch you sent"),
        export=_contact_requests,
        labels=field_labels(ContactRequest, ["listing", "message", "created_at"]),
        erase=_erase_contact_requests,
        relations=("exchange.ContactRequest.requested_by",),
        order=61,
    )
)
