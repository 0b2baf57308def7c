"""What conversations hold about a person: their posts and the threads they follow."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cairn.conversations.models import Follow, HeldReply, HeldStatus, Post
from cairn.core.datarights import STAFF, PersonData, register
from cairn.members.models import Person


def _posts(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "thread": p.thread.title,
            "body": p.body,
            "channel": p.channel,
            "created_at": p.created_at.isoformat(),
        }
        for p in Post.objects.filter(author=person).select_related("thread")
    ]


def _erase_posts(person: Person) -> int:
    # Like contributions: what they said stays in the thread, without their name.
    return Post.objects.filter(author=person).update(author=None, author_name="")


register(
    PersonData(
        key="conversation_posts",
        title=_("Conversation posts"),
        export=_posts,
        erase=_erase_posts,
        relations=("conversations.Post.author",),
        kept={
            "conversations.Post.entered_by": STAFF,
            "conversations.Thread.created_by": STAFF,
        },
        order=70,
    )
)


def _follows(person: Person) -> list[dict[str, Any]]:
    return [
        {"thread": f.thread.title, "created_at": f.created_at.isoformat()}
        for f in Follow.objects.filter(person=person).select_related("thread")
    ]


def _erase_follows(person: Person) -> int:
    deleted, _ = Follow.objects.filter(person=person).delete()
    return deleted


register(
    PersonData(
        key="conversation_follows",
        title=_("Conversations you follow"),
        export=_follows,
        erase=_erase_follows,
        relations=("conversations.Follow.person",),
        order=71,
    )
)


def _held_replies(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "thread": h.thread.title,
            "from": h.sender,
            "body": h.body,
            "status": h.status,
            "created_at": h.created_at.isoformat(),
        }
        for h in HeldReply.objects.filter(person=person).select_related("thread")
    ]


def _erase_held_replies(person: Person) -> int:
    # A reply still held was never posted: it goes. A decided one keeps its decision
    # (who let it through or not) but not the address or the words.
    held = HeldReply.objects.filter(person=person)
    deleted, _counts = held.filter(status=HeldStatus.HELD).delete()
    return deleted + held.update(person=None, sender="", body="")


register(
    PersonData(
        key="conversation_held_replies",
        title=_("Emailed replies held for a check"),
        export=_held_replies,
        erase=_erase_held_replies,
        relations=("conversations.HeldReply.person",),
        kept={"conversations.HeldReply.decided_by": STAFF},
        order=72,
    )
)
