"""The demo network: a fictional co-production network modelled on the seed event.

Everything here is invented: "Northshire" and its organisations and people do
not exist. The first event is the online learning event "Co-production and
Responding to Covid-19", with three speakers, 25+ registrations, four
breakout themes with their notes, and contributions that came by letter and phone.
Other apps add their part through DEMO_EXTENSIONS (dotted paths to
`load(network)` functions), run in order after the core network.
"""

import os
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from cairn.contributions.models import ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core.roles import Role
from cairn.events.models import (
    AgendaItem,
    BreakoutGroup,
    BreakoutPreference,
    BreakoutTheme,
    Event,
    EventFormat,
    EventStatus,
    Registration,
)
from cairn.members.models import (
    Channel,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Organisation,
    Person,
    Sector,
)

DEMO_LOGINS = [
    ("coordinator", "Coordinator"),
    ("facilitator", "Facilitator"),
    ("member", "Member"),
]
DEMO_EXTENSIONS: list[str] = [
    "cairn.consultations.demo.load",
    "cairn.exchange.demo.load",
    "cairn.conversations.demo.load",
    "cairn.outreach.demo.load",
    "cairn.insights.demo.load",
    "cairn.reports.demo.load",
    "cairn.events.demo.load",
]

SEED_EVENT_TITLE = "Co-production and Responding to Covid-19"


def demo_password() -> str:
    return os.environ.get("CAIRN_DEMO_PASSWORD", "cairn-demo")


@dataclass
class DemoNetwork:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    seed_event: Event | None = None
    upcoming_event: Event | None = None
    themes: dict[str, BreakoutTheme] = field(default_factory=dict)


# name, sector, region, topics, what they do, how to work with them
ORGANISATIONS = [
    (
        "Northshire Co-production Network",
        Sector.THIRD_SECTOR,
        "Northshire",
        "co-production, learning",
        "The network itself: brings members together to learn about co-production.",
        "Email the coordination team or call the office; we answer within two working days.",
    ),
    (
        "Northshire Recovery Network",
        Sector.THIRD_SECTOR,
        "Northshire",
        "mental health, recovery",
        "Supports people in recovery from mental ill health to shape the services they use.",
        "Contact our participation lead by email. We can offer peer volunteers and training.",
    ),
    (
        "Healthcare Improvement Northshire",
        Sector.HEALTH_SOCIAL_CARE,
        "Northshire",
        "health, improvement",
        "Helps health and care services improve with the people who use them.",
        "Our community engagement team takes requests by phone or email.",
    ),
    (
        "Northshire Community Safety Network",
        Sector.THIRD_SECTOR,
        "Northshire",
        "community safety",
        "Connects the groups working to make communities safer.",
        "Join our monthly members' call; everyone is welcome.",
    ),
    (
        "Eastdale Tenants' Voice",
        Sector.COMMUNITY,
        "Eastdale",
        "housing, tenants",
        "A tenants' group run by volunteers on the Eastdale estates.",
        "Write to us or leave a message on our phone line; most of our members are not online.",
    ),
    (
        "Riverside Men's Shed",
        Sector.COMMUNITY,
        "Westbrook",
        "wellbeing, isolation",
        "A place for men to meet, make things and talk.",
        "Drop in on Tuesdays and Thursdays, or phone the shed.",
    ),
    (
        "Glenmore Food Share",
        Sector.COMMUNITY,
        "Glenmore",
        "food, poverty",
        "Volunteer-run food sharing for families in Glenmore.",
        "We need volunteers with vans. Call our coordinator.",
    ),
    (
        "Carers Together Northshire",
        Sector.THIRD_SECTOR,
        "Northshire",
        "carers, social care",
        "A voice for unpaid carers across the region.",
        "Our carers' panel meets monthly and welcomes requests for views.",
    ),
    (
        "Northshire Libraries",
        Sector.PUBLIC_SERVICE,
        "Northshire",
        "digital inclusion, libraries",
        "Public libraries with free computers, Wi-Fi and digital help.",
        "Ask any branch; our digital champions can run sessions for your group.",
    ),
    (
        "Northshire Fire and Rescue Community Team",
        Sector.PUBLIC_SERVICE,
        "Northshire",
        "safety, prevention",
        "Home safety visits and community prevention work.",
        "Book a home safety visit by phone; partners can refer online.",
    ),
    (
        "Eastdale Council Communities Team",
        Sector.LOCAL_AUTHORITY,
        "Eastdale",
        "community planning, volunteering",
        "The council's team for community planning and volunteering.",
        "Contact the team by email; we run quarterly community planning meetings.",
    ),
    (
        "Westbrook Council",
        Sector.LOCAL_AUTHORITY,
        "Westbrook",
        "local government",
        "Local authority for the Westbrook area.",
        "Our engagement officer is the first point of contact.",
    ),
    (
        "Westbrook Health and Social Care Partnership",
        Sector.HEALTH_SOCIAL_CARE,
        "Westbrook",
        "social care, health",
        "Joint health and social care services for Westbrook.",
        "Our locality planning groups include community members; ask to join.",
    ),
    (
        "Brightline Telecom",
        Sector.PRIVATE,
        "Northshire",
        "connectivity, devices",
        "A regional broadband and mobile provider.",
        "Our community fund accepts applications twice a year; contact our social value lead.",
    ),
    (
        "Harbour Supermarkets",
        Sector.PRIVATE,
        "Eastdale",
        "food, retail",
        "A chain of local supermarkets.",
        "Store managers can donate surplus food; ask at the customer desk.",
    ),
    (
        "Kettle & Co. Web Design",
        Sector.PRIVATE,
        "Glenmore",
        "websites, digital",
        "A small web design business.",
        "We offer two free days a year to community groups.",
    ),
    (
        "University of Northshire Centre for Participation",
        Sector.ACADEMIC,
        "Northshire",
        "research, evaluation",
        "Research on participation and co-production.",
        "We look for community partners for research; get in touch early.",
    ),
    (
        "Northshire Community Foundation",
        Sector.FUNDER,
        "Northshire",
        "grants, funding",
        "Grants for community groups across Northshire.",
        "Talk to a grants officer before you apply; we prefer a conversation to a form.",
    ),
]

# key, first, last, organisation, job title, channel, access needs, region
PEOPLE = [
    (
        "coordinator",
        "Aileen",
        "Baird",
        "Northshire Co-production Network",
        "Network coordinator",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "facilitator",
        "Tomasz",
        "Nowak",
        "Carers Together Northshire",
        "Participation officer",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "member",
        "Grace",
        "Okafor",
        "Eastdale Council Communities Team",
        "Community planning officer",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "speaker1",
        "Morag",
        "Lennox",
        "Northshire Recovery Network",
        "Participation lead",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "speaker2",
        "Priya",
        "Shah",
        "Healthcare Improvement Northshire",
        "Engagement adviser",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "speaker3",
        "Callum",
        "Reid",
        "Northshire Community Safety Network",
        "Network manager",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "jean",
        "Jean",
        "Millar",
        "Eastdale Tenants' Voice",
        "Secretary",
        Channel.POST,
        ["large_print"],
        "Eastdale",
    ),
    (
        "bill",
        "Bill",
        "Henderson",
        "Riverside Men's Shed",
        "Volunteer",
        Channel.PHONE,
        [],
        "Westbrook",
    ),
    (
        "fatima",
        "Fatima",
        "Rahman",
        "Glenmore Food Share",
        "Coordinator",
        Channel.PHONE,
        ["other_language"],
        "Glenmore",
    ),
    (
        "rosie",
        "Rosie",
        "Campbell",
        "Northshire Libraries",
        "Digital inclusion lead",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "david",
        "David",
        "Kerr",
        "Northshire Fire and Rescue Community Team",
        "Community safety advocate",
        Channel.EMAIL,
        [],
        "",
    ),
    ("sandra", "Sandra", "McKay", "Westbrook Council", "Engagement officer", Channel.EMAIL, [], ""),
    (
        "ahmed",
        "Ahmed",
        "Hassan",
        "Westbrook Health and Social Care Partnership",
        "Locality planner",
        Channel.EMAIL,
        [],
        "",
    ),
    ("lucy", "Lucy", "Fraser", "Brightline Telecom", "Social value lead", Channel.EMAIL, [], ""),
    ("mark", "Mark", "Thomson", "Harbour Supermarkets", "Store manager", Channel.WEB, [], ""),
    ("ella", "Ella", "Kettle", "Kettle & Co. Web Design", "Director", Channel.EMAIL, [], ""),
    (
        "niamh",
        "Niamh",
        "Doyle",
        "University of Northshire Centre for Participation",
        "Research fellow",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "robert",
        "Robert",
        "Grant",
        "Northshire Community Foundation",
        "Grants officer",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "helen",
        "Helen",
        "Stewart",
        "Carers Together Northshire",
        "Carers' panel member",
        Channel.POST,
        ["large_print", "easy_read"],
        "Westbrook",
    ),
    ("joe", "Joe", "Murray", "Eastdale Tenants' Voice", "Chair", Channel.PHONE, [], "Eastdale"),
    (
        "anna",
        "Anna",
        "Wilson",
        "Northshire Recovery Network",
        "Peer volunteer",
        Channel.EMAIL,
        [],
        "",
    ),
    ("kenny", "Kenny", "Ross", "Riverside Men's Shed", "Treasurer", Channel.POST, [], "Westbrook"),
    (
        "mei",
        "Mei",
        "Chen",
        "Healthcare Improvement Northshire",
        "Improvement adviser",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "sam",
        "Sam",
        "Bell",
        "Northshire Community Safety Network",
        "Development worker",
        Channel.EMAIL,
        ["bsl"],
        "",
    ),
    (
        "olivia",
        "Olivia",
        "Brown",
        "Eastdale Council Communities Team",
        "Volunteering coordinator",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "iain",
        "Iain",
        "MacLeod",
        "Westbrook Council",
        "Community learning worker",
        Channel.EMAIL,
        [],
        "",
    ),
    ("zara", "Zara", "Ali", "Glenmore Food Share", "Volunteer", Channel.WEB, [], "Glenmore"),
    (
        "peter",
        "Peter",
        "Gallagher",
        "Brightline Telecom",
        "Community fund manager",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "ruth",
        "Ruth",
        "Sinclair",
        "Westbrook Health and Social Care Partnership",
        "Service user representative",
        Channel.PHONE,
        [],
        "Westbrook",
    ),
    (
        "chris",
        "Chris",
        "Paterson",
        "Northshire Libraries",
        "Branch librarian",
        Channel.EMAIL,
        [],
        "",
    ),
    (
        "maggie",
        "Maggie",
        "Burns",
        None,
        "Local resident",
        Channel.POST,
        ["large_print"],
        "Eastdale",
    ),
    (
        "euan",
        "Euan",
        "Scott",
        "Northshire Community Foundation",
        "Head of programmes",
        Channel.EMAIL,
        [],
        "",
    ),
]

THEMES = [
    (
        "Technology",
        "How far can we rely on online tools to bring people together, and who is left out?",
    ),
    ("Sustainability", "Keeping co-production going when budgets tighten and the emergency ends."),
    ("Positive signs", "What went well: cross-sector working and new relationships."),
    ("Private sector", "How private companies can take part, and what stops them."),
]

# theme -> (facilitator key, note-taker key, members, notes as (author key or None, text))
BREAKOUTS = {
    "Technology": (
        "facilitator",
        "rosie",
        ["lucy", "jean", "chris", "ella", "sam"],
        [
            (
                "rosie",
                "Video calls have replaced face-to-face meetings in lots of positive ways: people who could never get to the city centre for a meeting now join from home.",
            ),
            (
                "lucy",
                "Not everyone can afford the data or a device. We lent tablets but a tablet without broadband is a paperweight.",
            ),
            (
                "chris",
                "Our library computers were closed for months, which cut off exactly the people who relied on them.",
            ),
            (
                None,
                "Some of our older members went back to writing letters and phoning round, and it works for them. Old technology is still technology.",
            ),
            (
                "sam",
                "Deaf members need captions and BSL interpreters on calls; when we booked them, more people came than ever came in person.",
            ),
            (
                "ella",
                "There is no one-size-fits-all solution. Use a range of methods: online, phone, post and, when it is safe, face to face.",
            ),
            (
                None,
                "People are tired of Zoom. After a day of calls nobody wants another one in the evening.",
            ),
        ],
    ),
    "Sustainability": (
        "speaker1",
        "anna",
        ["robert", "euan", "olivia", "sandra", "helen"],
        [
            (
                "robert",
                "As funders we should move to a relationship-based approach: fewer forms, longer grants, more conversations.",
            ),
            (
                "anna",
                "Co-production takes time and resource. When budgets are cut it is the first thing to go, even though it saves money later.",
            ),
            (
                "olivia",
                "Volunteers stepped up in huge numbers, but many are now going back to work and we risk losing them.",
            ),
            (
                "euan",
                "We need to remove red tape so that small groups can get money quickly in an emergency.",
            ),
            (
                "sandra",
                "Embed co-production in the way we commission services, not as an extra project on the side.",
            ),
            (
                None,
                "Job losses are starting to hit the people we work with; the economic impact will last longer than the virus.",
            ),
        ],
    ),
    "Positive signs": (
        "speaker2",
        "mei",
        ["member", "ahmed", "david", "iain", "niamh"],
        [
            (
                "member",
                "Cross-sector working built on relationships we already had. Because we knew each other, we could act in days, not months.",
            ),
            (
                "ahmed",
                "The council and the third sector interface are using what we learned to write the route map for recovery.",
            ),
            (
                "david",
                "Community groups knew who needed help before any list told us. We should trust that knowledge.",
            ),
            (
                "iain",
                "We are asking volunteers about their experiences of the past few months so we can build forward, not just back.",
            ),
            (
                "niamh",
                "The enthusiasm for co-production is still strong; if anything the crisis proved it works.",
            ),
            (None, "Neighbours who had never spoken now check on each other every day."),
        ],
    ),
    "Private sector": (
        "speaker3",
        "facilitator",
        ["peter", "mark", "kenny", "zara"],
        [
            (
                "peter",
                "Big companies want to help but don't know who to contact or how to go about it.",
            ),
            (
                "mark",
                "Our store had surplus food every week and no idea which groups could collect it.",
            ),
            (
                "zara",
                "There is a disconnect between the big corporates and the community sector; it is not about willingness but information.",
            ),
            (
                "kenny",
                "Small local businesses helped us more than the big names, because they know us.",
            ),
            (
                None,
                "Working with private companies only makes sense if there are clear gains for communities.",
            ),
        ],
    ),
}

OFFLINE = [
    (
        "jean",
        ContributionChannel.LETTER,
        "Technology",
        "I do not use the computer so I could not join the meeting. Our tenants' group kept going by "
        "phoning each other every week and putting a newsletter through every door. Please do not forget "
        "those of us who are not online.",
    ),
    (
        "maggie",
        ContributionChannel.LETTER,
        None,
        "Thank you for sending the papers by post. The large print helped. The community bus stopped "
        "during lockdown and that is how I got to the lunch club. It should come back.",
    ),
    (
        "bill",
        ContributionChannel.PHONE,
        "Sustainability",
        "Said the Men's Shed only survived because the landlord waived the rent for six months. "
        "Worried about what happens when that ends. Wants funders to know small groups have no reserves.",
    ),
    (
        "ruth",
        ContributionChannel.PHONE,
        "Positive signs",
        "Said the weekly phone call from the partnership's volunteers was a lifeline while shielding. "
        "Would like it to continue even when things open up.",
    ),
    (
        "helen",
        ContributionChannel.PAPER_FORM,
        "Technology",
        "Carers could not get online to the carers' panel. Phone meetings worked better for us.",
    ),
    (
        "joe",
        ContributionChannel.PHONE,
        "Private sector",
        "Asked how the tenants' group could approach the supermarket about donations. Nobody knows "
        "who to speak to there.",
    ),
]


def _user(username: str, person: Person, role: Role) -> User:
    user = User.objects.create_user(
        username=username,
        password=demo_password(),
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        is_staff=role == Role.COORDINATOR,
    )
    group, _ = Group.objects.get_or_create(name=role.group_name)
    user.groups.add(group)
    person.user = user
    person.save(update_fields=["user"])
    return user


def _email_for(first: str, last: str, org: Organisation | None) -> str:
    domain = (org.name if org else "example").lower()
    domain = "".join(ch for ch in domain if ch.isalnum())[:20]
    return f"{first.lower()}.{last.lower()}@{domain}.example"


@transaction.atomic
def load_demo() -> bool:
    """Load the demo network into an empty database; return False if data is already there."""
    if Event.objects.exists() or Organisation.objects.exists():
        return False
    network = DemoNetwork()
    now = timezone.now()
    for name, sector, region, topics, description, how in ORGANISATIONS:
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
        network.organisations[name] = Organisation.objects.create(
            name=name,
            sector=sector,
            region=region,
            topics=topics,
            description=description,
            how_to_work_with_us=how,
            contact_email=f"hello@{slug}.example",
            website=f"https://{slug}.example/",
        )
    for index, (key, first, last, org_name, title, channel, needs, region) in enumerate(PEOPLE):
        org = network.organisations.get(org_name) if org_name else None
        person = Person.objects.create(
            first_name=first,
            last_name=last,
            organisation=org,
            job_title=title,
            region=region or (org.region if org else ""),
            email="" if channel == Channel.POST else _email_for(first, last, org),
            phone=f"01632 960{index:03d}",
            address=f"{10 + index} Harbour Road\n{region or 'Northshire'}"
            if channel == Channel.POST or index % 3 == 0
            else "",
            postcode=f"NS{index % 9 + 1} {index % 7 + 1}AB",
            preferred_channel=channel,
            access_needs=needs,
            visible_in_directory=index % 4 != 3,
        )
        method = {Channel.POST: ConsentMethod.POST, Channel.PHONE: ConsentMethod.PHONE}.get(
            channel, ConsentMethod.WEB
        )
        for purpose in (
            ConsentPurpose.EVENT_INVITATIONS,
            ConsentPurpose.RESEARCH,
            ConsentPurpose.QUOTE,
        ):
            Consent.objects.create(
                person=person,
                purpose=purpose,
                granted=True,
                method=method,
                recorded_at=now - timedelta(days=90),
            )
        if index % 2 == 0:
            Consent.objects.create(
                person=person,
                purpose=ConsentPurpose.NEWSLETTERS,
                granted=True,
                method=method,
                recorded_at=now - timedelta(days=90),
            )
        network.people[key] = person
    network.users["coordinator"] = _user(
        "coordinator", network.people["coordinator"], Role.COORDINATOR
    )
    network.users["facilitator"] = _user(
        "facilitator", network.people["facilitator"], Role.FACILITATOR
    )
    network.users["member"] = _user("member", network.people["member"], Role.MEMBER)

    _seed_event(network, now)
    _upcoming_event(network, now)
    for dotted in DEMO_EXTENSIONS:
        module_path, _, func = dotted.rpartition(".")
        getattr(import_module(module_path), func)(network)
    return True


def _seed_event(network: DemoNetwork, now) -> None:
    start = timezone.localtime(now - timedelta(days=42)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    people = network.people
    event = Event.objects.create(
        title=SEED_EVENT_TITLE,
        summary="An online learning event: how much has co-production been part of the response to "
        "Covid-19, and what have we learned?",
        description=(
            "Community organisations and public services have faced unprecedented challenges as they "
            "worked to respond to the covid-19 outbreak. Join network members to share examples, "
            "learning and ideas about the role of co-production in this emergency response, and in "
            "how we build back better.\n\nThree members will talk about working co-productively "
            "during the pandemic, then we will split into breakout groups by theme."
        ),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=EventFormat.ONLINE,
        video_link="https://meet.example/ncn-learning-event",
        dial_in="Call 0330 088 0000 and enter meeting code 4417 2290 #",
        capacity=40,
        status=EventStatus.CLOSED,
        organiser=network.organisations["Northshire Co-production Network"],
    )
    network.seed_event = event
    agenda = [
        (0, "Welcome and introductions", None),
        (10, "Peer support when we couldn't meet: co-production in recovery", "speaker1"),
        (25, "Improving care with people, at a distance", "speaker2"),
        (40, "Community safety networks in lockdown", "speaker3"),
        (55, "Breakout group discussions", None),
        (100, "What have we learned? Feedback from the groups and next steps", None),
    ]
    for position, (minutes, title, speaker) in enumerate(agenda):
        AgendaItem.objects.create(
            event=event,
            position=position,
            starts_at=start + timedelta(minutes=minutes),
            title=title,
            speaker=people[speaker] if speaker else None,
        )
    for position, (name, description) in enumerate(THEMES):
        network.themes[name] = BreakoutTheme.objects.create(
            event=event, name=name, description=description, room_capacity=8, position=position
        )
    coordinator = network.users["coordinator"]
    registered: set[str] = set()
    theme_names = list(network.themes)
    for room, (theme_name, (fac, taker, members, notes)) in enumerate(BREAKOUTS.items(), start=1):
        theme = network.themes[theme_name]
        group = BreakoutGroup.objects.create(
            event=event,
            theme=theme,
            name=f"Room {room}: {theme_name}",
            facilitator=people[fac],
            note_taker=people[taker],
        )
        for key in [fac, taker, *members]:
            group.members.add(people[key])
            if key not in registered:
                registered.add(key)
                offline = people[key].preferred_channel in (Channel.PHONE, Channel.POST)
                registration = Registration.objects.create(
                    event=event,
                    person=people[key],
                    channel=people[key].preferred_channel if offline else "web",
                    entered_by=coordinator if offline else None,
                    attended=True,
                    access_needs=", ".join(people[key].access_need_labels()),
                )
                ranking = [theme_name] + [t for t in theme_names if t != theme_name]
                for rank, name in enumerate(ranking[:3], start=1):
                    BreakoutPreference.objects.create(
                        registration=registration, theme=network.themes[name], rank=rank
                    )
        for author_key, text in notes:
            record_contribution(
                text=text,
                channel=ContributionChannel.BREAKOUT_NOTE,
                breakout_group=group,
                author=people[author_key] if author_key else None,
                entered_by=None,
                consent_to_quote=True,
                consent_to_name=False,
                source=f"Notes from {group.name}",
            )
    for key in [
        "speaker1",
        "speaker2",
        "speaker3",
        "coordinator",
        "helen",
        "bill",
        "ruth",
        "maggie",
    ]:
        if key not in registered:
            registered.add(key)
            person = people[key]
            offline = person.preferred_channel in (Channel.PHONE, Channel.POST)
            Registration.objects.create(
                event=event,
                person=person,
                channel=person.preferred_channel if offline else "web",
                entered_by=coordinator if offline else None,
                attended=key not in {"maggie", "helen"},
            )
    for author_key, channel, theme_name, text in OFFLINE:
        record_contribution(
            text=text,
            channel=channel,
            event=event,
            theme=network.themes[theme_name] if theme_name else None,
            author=people[author_key],
            entered_by=coordinator,
            consent_to_quote=True,
            source="Letter received by post"
            if channel == ContributionChannel.LETTER
            else (
                "Paper feedback form"
                if channel == ContributionChannel.PAPER_FORM
                else "Phone call log"
            ),
        )


def _upcoming_event(network: DemoNetwork, now) -> None:
    start = timezone.localtime(now + timedelta(days=28)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    event = Event.objects.create(
        title="Building back better: lessons for funders and policy makers",
        summary="Following up the learning event: turning what members said into shared lessons.",
        description="A hybrid session to agree the key lessons we will share with funders, policy and "
        "decision makers, and how we speak with a collective voice.",
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        format=EventFormat.HYBRID,
        video_link="https://meet.example/ncn-lessons",
        dial_in="Call 0330 088 0000 and enter meeting code 5520 1187 #",
        venue="Northshire Libraries, Central Branch, Community Room\n1 Library Square, Northshire",
        capacity=30,
        status=EventStatus.OPEN,
        organiser=network.organisations["Northshire Co-production Network"],
    )
    network.upcoming_event = event
    AgendaItem.objects.create(
        event=event,
        position=0,
        starts_at=start,
        title="What we heard",
        speaker=network.people["coordinator"],
    )
    AgendaItem.objects.create(
        event=event,
        position=1,
        starts_at=start + timedelta(minutes=30),
        title="A funder's view",
        speaker=network.people["robert"],
    )
    for position, (name, description) in enumerate(
        [
            ("Funding relationships", "Moving from forms to relationships."),
            ("Reaching everyone", "Channels that work for people who are not online."),
        ]
    ):
        BreakoutTheme.objects.create(
            event=event, name=name, description=description, position=position
        )
    for key in ["member", "robert", "euan", "jean", "anna"]:
        person = network.people[key]
        Registration.objects.create(
            event=event,
            person=person,
            channel="post" if person.preferred_channel == Channel.POST else "web",
        )
