"""What events holds about a person: registrations, breakout rooms, talks and feedback."""

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cairn.core.datarights import STAFF, PersonData, Rows, register
from cairn.core.retention import scrub_reports
from cairn.events.models import AgendaItem, BreakoutGroup, ChatImport, Feedback, Registration
from cairn.events.services.chat_import import let_go_of_old_checks
from cairn.members.models import Person

registrations = Rows(
    Registration,
    "person",
    [
        ("event", "event.title"),
        "status",
        ("registered_via", "channel"),
        "access_needs",
        "attended",
        "created_at",
    ],
)


def _erase_registrations(person: Person) -> int:
    # Registrations stay with the erased record so attendance counts stay true; what the
    # person told us about their needs goes.
    return registrations.query(person).exclude(access_needs="").update(access_needs="")


register(
    PersonData(
        key="registrations",
        title=_("Event registrations"),
        rows=registrations,
        erase=_erase_registrations,
        kept={"events.Registration.entered_by": STAFF},
        order=20,
    )
)


def _roles(person: Person) -> list[dict[str, Any]]:
    rows = []
    for item in AgendaItem.objects.filter(speaker=person).select_related("event"):
        rows.append({"event": item.event.title, "role": "speaker", "item": item.title})
    groups = (
        BreakoutGroup.objects.filter(
            Q(facilitator=person) | Q(note_taker=person) | Q(members=person)
        )
        .select_related("event")
        .distinct()
    )
    for group in groups:
        if group.facilitator_id == person.pk:
            role = "facilitator"
        elif group.note_taker_id == person.pk:
            role = "note taker"
        else:
            role = "participant"
        rows.append({"event": group.event.title, "role": role, "item": group.name})
    return rows


register(
    PersonData(
        key="event_roles",
        title=_("Talks and breakout rooms"),
        export=_roles,
        # Kept with the erased record (no name left on it) so rooms and agendas still add up.
        kept={
            "events.AgendaItem.speaker": "points at the erased record, which no longer names anyone",
            "events.BreakoutGroup.facilitator": "points at the erased record",
            "events.BreakoutGroup.note_taker": "points at the erased record",
            "events.BreakoutGroup.members": "points at the erased record",
            # Says only that a coordinator moved them into that room, which `members` shows.
            "events.BreakoutGroup.placed_by_hand": "points at the erased record",
        },
        order=25,
    )
)


feedback = Rows(
    Feedback, "person", [("event", "event.title"), "rating", "comment", "channel", "created_at"]
)

register(
    PersonData(
        key="event_feedback",
        title=_("Event feedback"),
        rows=feedback,
        # The rating and comment stay, unlinked, like the contribution the comment became.
        erase=feedback.anonymise(person=None),
        kept={
            "events.Feedback.entered_by": STAFF,
            "events.ChatImport.created_by": STAFF,
        },
        order=26,
    )
)


def _erase_from_chat_imports(person: Person) -> int:
    # A check keeps its file (for a day) to be imported without choosing it again; the
    # person's words may be in it, so every kept check lets its file go now.
    let_go_of_old_checks(timedelta(0))
    return scrub_reports(ChatImport.objects.all(), [person.full_name, person.email])


register(
    PersonData(
        key="chat_import_reports",
        title=_("Chat imports"),
        # A chat import's report lists the speakers who matched nobody by the name the
        # chat showed; the person may be one of them.
        erase=_erase_from_chat_imports,
        order=27,
    )
)
