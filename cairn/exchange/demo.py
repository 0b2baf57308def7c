"""Demo offers and needs, many echoing the seed event's private-sector breakout."""

from cairn.exchange.services import post_listing

# key of the contact person, kind, category, title, description, topics, region ("" = anywhere)
LISTINGS = [
    (
        "mark",
        "offer",
        "equipment",
        "Surplus fresh food every evening",
        "Our Eastdale store has surplus fresh food every evening that a community group could collect.",
        "food, surplus",
        "Eastdale",
    ),
    (
        "lucy",
        "offer",
        "equipment",
        "Mobile data SIM cards for people without broadband",
        "Free SIM cards with six months of data, and refurbished tablets, for people who are not online.",
        "digital inclusion, connectivity",
        "",
    ),
    (
        "ella",
        "offer",
        "skills",
        "Two free website days a year",
        "We will build or refresh a simple website for a community group in one day.",
        "websites, digital",
        "Glenmore",
    ),
    (
        "rosie",
        "offer",
        "skills",
        "Digital champions for your group",
        "Library digital champions run free sessions on phones, tablets and video calls for any group.",
        "digital inclusion, training",
        "",
    ),
    (
        "robert",
        "offer",
        "funding",
        "Small grants for volunteer-led groups",
        "Grants up to £2,000 towards rent, running costs and small equipment. Talk to us before you apply.",
        "grants, funding",
        "",
    ),
    (
        "speaker1",
        "offer",
        "expertise",
        "Peer support training",
        "We train peer supporters and help groups start their own peer support circle.",
        "mental health, peer support",
        "",
    ),
    (
        "fatima",
        "need",
        "volunteers",
        "Drivers with vans to collect food",
        "We collect donated food twice a week and need volunteer drivers with vans.",
        "food, transport",
        "Glenmore",
    ),
    (
        "joe",
        "need",
        "equipment",
        "Fresh food for the tenants' lunch club",
        "Our lunch club restarts next month and we need a regular supply of fresh food to cook with.",
        "food",
        "Eastdale",
    ),
    (
        "bill",
        "need",
        "funding",
        "Help with the shed's rent",
        "The landlord's rent holiday ends soon and the men's shed has no reserves.",
        "funding, rent",
        "Westbrook",
    ),
    (
        "jean",
        "need",
        "skills",
        "Getting our members online",
        "Many of our tenants have never used the internet; we need devices, data and patient teaching.",
        "digital inclusion, older people",
        "Eastdale",
    ),
]


def load(network) -> None:
    people = network.people
    for key, kind, category, title, description, topics, region in LISTINGS:
        person = people[key]
        post_listing(
            actor=network.users["coordinator"],
            kind=kind,
            category=category,
            organisation=person.organisation,
            title=title,
            description=description,
            topics=topics,
            region=region,
            how_to_contact=person.organisation.how_to_work_with_us,
            contact_person=person,
        )
