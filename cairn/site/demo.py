"""The demo network: a fictional co-production network modelled on the seed event.

Everything is invented: "Northshire" and its organisations and people do not exist. The
data lives in `fixtures/demo/*.yaml` (organisations, people, the seed event and the next
one); this module only turns it into records. The seed event is the online learning
event "Co-production and Responding to Covid-19", with three speakers, 25+ registrations,
four breakout themes with their notes, and contributions that came by letter and phone.
Other apps add their part through DEMO_EXTENSIONS (dotted paths to `load(network)`
functions), run in order after the network and its two events.
"""

import os
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core.network import update_network
from cairn.core.roles import Role
from cairn.events.models import (
    AgendaItem,
    BreakoutGroup,
    BreakoutPreference,
    BreakoutTheme,
    Event,
    Registration,
)
from cairn.members.models import (
    Channel,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Organisation,
    Person,
)

DATA = Path(__file__).resolve().parent / "fixtures" / "demo"

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
OFFLINE_CHANNELS = (Channel.PHONE, Channel.POST)


def demo_password() -> str:
    return os.environ.get("CAIRN_DEMO_PASSWORD", "cairn-demo")


def read(name: str) -> Any:
    """One of the demo's data files, e.g. read("people")."""
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass
class DemoNetwork:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    seed_event: Event | None = None
    upcoming_event: Event | None = None
    themes: dict[str, BreakoutTheme] = field(default_factory=dict)


@transaction.atomic
def load_demo() -> bool:
    """Load the demo network into an empty database; return False if data is already there."""
    if Event.objects.exists() or Organisation.objects.exists():
        return False
    update_network(None, **read("network"))
    network = DemoNetwork()
    now = timezone.now()
    office = read("network")
    for index, row in enumerate(read("organisations")):
        slug = _domain(row["name"])
        network.organisations[row["name"]] = Organisation.objects.create(
            **row,
            contact_email=f"hello@{slug}.example",
            website=f"https://{slug}.example/",
            # Their "how to work with us" says to call: the directory gives the number.
            # Ofcom's drama range, 0113 496 0000-0999; the network's own office its own.
            contact_phone=office["phone"]
            if row["name"] == office["name"]
            else f"0113 496 0{100 + index:03d}",
        )
    for index, row in enumerate(read("people")):
        network.people[row["key"]] = _person(network, index, row, now)
    for username, role in [
        ("coordinator", Role.COORDINATOR),
        ("facilitator", Role.FACILITATOR),
        ("member", Role.MEMBER),
    ]:
        network.users[username] = _user(username, network.people[username], role)

    network.seed_event = _event(network, read("seed_event"), now)
    _seed_event_rooms_and_words(network, read("seed_event"))
    upcoming = read("upcoming_event")
    network.upcoming_event = event = _event(network, upcoming, now, keep_themes=False)
    for key in upcoming["registered"]:
        person = network.people[key]
        Registration.objects.create(
            event=event,
            person=person,
            channel="post" if person.preferred_channel == Channel.POST else "web",
        )
    for dotted in DEMO_EXTENSIONS:
        module_path, _, func = dotted.rpartition(".")
        getattr(import_module(module_path), func)(network)
    return True


def _person(network: DemoNetwork, index: int, row: dict, now: datetime) -> Person:
    """A person with made-up contact details and the consents a member would have given."""
    first, last, channel = row["first_name"], row["last_name"], row["preferred_channel"]
    org = network.organisations.get(row.get("organisation", ""))
    region = row.get("region", "")
    person = Person.objects.create(
        first_name=first,
        last_name=last,
        organisation=org,
        job_title=row["job_title"],
        region=region or (org.region if org else ""),
        email="" if channel == Channel.POST else _email_for(first, last, org),
        # Ofcom's ranges kept for drama: a work landline, or a mobile for those who want a
        # call (the number they answer wherever they are).
        phone=f"07700 900{index:03d}" if channel == Channel.PHONE else f"01632 960{index:03d}",
        address=f"{10 + index} Harbour Road\n{region or 'Northshire'}"
        if channel == Channel.POST or index % 3 == 0
        else "",
        postcode=f"NS{index % 9 + 1} {index % 7 + 1}AB",
        preferred_channel=channel,
        access_needs=row.get("access_needs", []),
        visible_in_directory=index % 4 != 3,
    )
    method = {Channel.POST: ConsentMethod.POST, Channel.PHONE: ConsentMethod.PHONE}.get(
        channel, ConsentMethod.WEB
    )
    purposes = [ConsentPurpose.EVENT_INVITATIONS, ConsentPurpose.RESEARCH, ConsentPurpose.QUOTE]
    if index % 2 == 0:
        purposes.append(ConsentPurpose.NEWSLETTERS)
    for purpose in purposes:
        Consent.objects.create(
            person=person,
            purpose=purpose,
            granted=True,
            method=method,
            recorded_at=now - timedelta(days=90),
        )
    return person


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


def _domain(name: str) -> str:
    # The whole name: cut at 20 characters it read "northshirecoproducti.example" on
    # every page that shows an address. 63 is the longest label a domain may have.
    return "".join(ch for ch in name.lower() if ch.isalnum())[:63]


def _email_for(first: str, last: str, org: Organisation | None) -> str:
    return f"{first.lower()}.{last.lower()}@{_domain(org.name if org else 'example')}.example"


def _event(network: DemoNetwork, data: dict, now: datetime, keep_themes: bool = True) -> Event:
    """An event, its agenda and its breakout themes, placed `days_from_now` from today."""
    day = timezone.localtime(now + timedelta(days=data["days_from_now"]))
    at = time.fromisoformat(data["starts_at"])
    start = day.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    event = Event.objects.create(
        title=data["title"],
        summary=data["summary"],
        description=data["description"],
        starts_at=start,
        ends_at=start + timedelta(minutes=data["minutes"]),
        format=data["format"],
        video_link=data["video_link"],
        dial_in=data["dial_in"],
        venue=data.get("venue", ""),
        capacity=data["capacity"],
        status=data["status"],
        organiser=network.organisations[data["organiser"]],
    )
    for position, item in enumerate(data["agenda"]):
        speaker = item.get("speaker")
        AgendaItem.objects.create(
            event=event,
            position=position,
            starts_at=start + timedelta(minutes=item["minutes"]),
            title=item["title"],
            speaker=network.people[speaker] if speaker else None,
        )
    for position, theme in enumerate(data["themes"]):
        created = BreakoutTheme.objects.create(event=event, position=position, **theme)
        if keep_themes:
            network.themes[theme["name"]] = created
    return event


def _breakout_time(event: Event) -> tuple[datetime, datetime]:
    """When the event's rooms met: its agenda's breakout item until the item after it (the
    whole event if the agenda has none)."""
    items = list(event.agenda_items.order_by("position"))
    for item, following in zip(items, [*items[1:], None], strict=True):
        if "breakout" in item.title.lower() and item.starts_at:
            return item.starts_at, following.starts_at if following else event.ends_at
    return event.starts_at, event.ends_at


def _note_times(start: datetime, end: datetime, count: int) -> list[datetime]:
    """A room's notes, in their order, spread over the time the rooms met."""
    step = (end - start) / (count + 1)
    return [(start + step * (i + 1)).replace(second=0, microsecond=0) for i in range(count)]


def _seed_event_rooms_and_words(network: DemoNetwork, data: dict) -> None:
    """The seed event's breakout rooms with their notes, who came, and what came offline."""
    event, people, themes = network.seed_event, network.people, network.themes
    coordinator = network.users["coordinator"]
    registered: set[str] = set()
    theme_names = list(themes)

    def register(key: str, attended: bool = True, access_needs: str = "") -> Registration | None:
        if key in registered:
            return None
        registered.add(key)
        person = people[key]
        offline = person.preferred_channel in OFFLINE_CHANNELS
        return Registration.objects.create(
            event=event,
            person=person,
            channel=person.preferred_channel if offline else "web",
            entered_by=coordinator if offline else None,
            attended=attended,
            access_needs=access_needs,
        )

    start, end = _breakout_time(event)
    for room, breakout in enumerate(data["breakouts"], start=1):
        theme_name = breakout["theme"]
        group = BreakoutGroup.objects.create(
            event=event,
            theme=themes[theme_name],
            name=f"Room {room}: {theme_name}",
            facilitator=people[breakout["facilitator"]],
            note_taker=people[breakout["note_taker"]],
        )
        for key in [breakout["facilitator"], breakout["note_taker"], *breakout["members"]]:
            group.members.add(people[key])
            registration = register(key, access_needs=", ".join(people[key].access_need_labels()))
            if registration is None:
                continue
            ranking = [theme_name] + [t for t in theme_names if t != theme_name]
            for rank, name in enumerate(ranking[:3], start=1):
                BreakoutPreference.objects.create(
                    registration=registration, theme=themes[name], rank=rank
                )
        for at, note in zip(
            _note_times(start, end, len(breakout["notes"])), breakout["notes"], strict=True
        ):
            author = note.get("author")
            contribution = record_contribution(
                text=note["text"],
                channel=ContributionChannel.BREAKOUT_NOTE,
                breakout_group=group,
                author=people[author] if author else None,
                entered_by=None,
                consent_to_quote=True,
                consent_to_name=False,
                source=f"Notes from {group.name}",
                said_at=at,
            )
            # Taken down live, so recorded when said: the board shows when each note came.
            Contribution.objects.filter(pk=contribution.pk).update(created_at=at)
    for row in data["also_registered"]:
        register(row["person"], attended=row.get("attended", True))
    for row in data["offline"]:
        theme = row.get("theme")
        record_contribution(
            text=row["text"],
            channel=row["channel"],
            event=event,
            theme=themes[theme] if theme else None,
            author=people[row["author"]],
            entered_by=coordinator,
            consent_to_quote=True,
            source=row["source"],
        )
