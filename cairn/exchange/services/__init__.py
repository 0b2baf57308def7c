"""Offers and needs: posting, closing, suggested matches and starting contact."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.core.roles import is_coordinator
from cairn.exchange import matching
from cairn.exchange.models import ContactRequest, Listing, ListingCategory, ListingKind
from cairn.members.models import Organisation, Person
from cairn.outreach.services import notify


class ExchangeError(ValueError):
    pass


@transaction.atomic
def post_listing(
    *,
    actor: Any,
    kind: str,
    category: str,
    organisation: Organisation,
    title: str,
    description: str,
    topics: str = "",
    region: str = "",
    how_to_contact: str = "",
    contact_person: Person | None = None,
) -> Listing:
    if kind not in ListingKind.values:
        raise ExchangeError("Choose offer or need.")
    if category not in ListingCategory.values:
        raise ExchangeError("Choose what kind of help this is.")
    if not title.strip() or not description.strip():
        raise ExchangeError("Give a title and a few words of description.")
    listing = Listing.objects.create(
        kind=kind,
        category=category,
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        topics=", ".join(t.strip().lower() for t in topics.split(",") if t.strip()),
        region=region.strip(),
        how_to_contact=how_to_contact.strip(),
        contact_person=contact_person,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor, f"exchange.{kind}_posted", listing, listing.title)
    return listing


@transaction.atomic
def close_listing(listing: Listing, *, actor: Any) -> Listing:
    listing.is_open = False
    listing.save(update_fields=["is_open"])
    audit.record(actor, "exchange.closed", listing, listing.title)
    return listing


def can_manage(user: Any, listing: Listing) -> bool:
    if is_coordinator(user):
        return True
    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    return person is not None and (
        listing.created_by_id == user.pk or person.organisation_id == listing.organisation_id
    )


def _item(listing: Listing) -> matching.Item:
    return matching.Item(
        id=listing.pk,
        kind=listing.kind,
        category=listing.category,
        title=listing.title,
        description=listing.description,
        topics=tuple(listing.topic_list),
        region=listing.region,
    )


def open_listings() -> QuerySet[Listing]:
    return Listing.objects.filter(is_open=True).select_related("organisation", "contact_person")


def explain(match: matching.Match) -> list[str]:
    """Why a match was suggested, in words for the page (translated; the matcher has no Django)."""
    why = []
    if match.shared_topics:
        why.append(_("Both are about %(topics)s.") % {"topics": ", ".join(match.shared_topics)})
    if match.parts["category"]:
        why.append(_("The offer is the kind of help needed."))
    if match.parts["region"] == 1.0:
        why.append(_("Both are in %(region)s.") % {"region": match.need.region})
    elif match.parts["region"]:
        why.append(_("One of them covers the whole network."))
    if match.shared_words:
        why.append(_("Similar words: %(words)s.") % {"words": ", ".join(match.shared_words)})
    return why


def suggestions_for(listing: Listing, *, top: int = 5) -> list[tuple[Listing, matching.Match]]:
    """The best matches on the other side (offers for a need, needs for an offer), with reasons."""
    pool = list(open_listings().exclude(organisation=listing.organisation))
    others = [o for o in pool if o.kind != listing.kind]
    corpus = [_item(o) for o in pool] + [_item(listing)]
    by_id = {o.pk: o for o in others}
    if listing.kind == ListingKind.NEED:
        found = matching.suggest(
            [_item(listing)], [_item(o) for o in others], top=top, corpus=corpus
        )
        return [(by_id[m.offer.id], m) for m in found[listing.pk]]
    # For an offer: how well it suits each open need, best first.
    found = matching.suggest([_item(n) for n in others], [_item(listing)], top=1, corpus=corpus)
    scored = [(by_id[need_id], ms[0]) for need_id, ms in found.items() if ms]
    scored.sort(key=lambda pair: (-pair[1].score, pair[0].pk))
    return scored[:top]


@transaction.atomic
def start_contact(
    listing: Listing, *, actor: Any, message: str, about: Listing | None = None
) -> ContactRequest:
    """Tell the listing's contact person, by their own channel, that someone wants to talk."""
    message = message.strip()
    if not message:
        raise ExchangeError("Write a short message saying who you are and what you would like.")
    if len(message) > 5000:
        raise ExchangeError("Keep the message under 5,000 characters.")
    if not listing.is_open:
        raise ExchangeError("This offer or need is closed.")
    requester = Person.objects.filter(user=actor).select_related("organisation").first()
    if requester is not None and requester.organisation_id == listing.organisation_id:
        raise ExchangeError("This is your own organisation's listing.")
    try:
        with transaction.atomic():
            request = ContactRequest.objects.create(
                listing=listing, about=about, requested_by=actor, message=message
            )
    except IntegrityError as exc:
        raise ExchangeError("You have already asked to get in touch about this.") from exc
    who = requester.full_name if requester else actor.get_username()
    org = f" ({requester.organisation})" if requester and requester.organisation_id else ""
    reply_to = (requester.email or requester.phone) if requester else ""
    if listing.contact_person_id:
        delivery = notify(
            listing.contact_person,
            subject=f"Someone would like to talk about: {listing.title}",
            body=(
                f"{who}{org} saw your {listing.get_kind_display().lower()} “{listing.title}” "
                f"on the network and would like to get in touch.\n\n{message}\n\n"
                + (f"You can reach them at: {reply_to}\n" if reply_to else "")
            ),
            purpose="newsletters",
            sender=actor,
        )
        request.delivery = delivery
        request.save(update_fields=["delivery"])
    audit.record(actor, "exchange.contact_started", listing, f"{who} asked to get in touch")
    return request


def search(
    qs: QuerySet[Listing],
    *,
    q: str = "",
    kind: str = "",
    category: str = "",
    region: str = "",
    topic: str = "",
) -> QuerySet[Listing]:
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(organisation__name__icontains=q)
        )
    if kind in ListingKind.values:
        qs = qs.filter(kind=kind)
    if category in ListingCategory.values:
        qs = qs.filter(category=category)
    if region:
        qs = qs.filter(Q(region__iexact=region) | Q(region=""))
    if topic:
        qs = qs.filter(topics__icontains=topic.lower())
    return qs
