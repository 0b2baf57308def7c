"""What conversations hold about a person: their posts and the threads they follow."""

from django.utils.translation import gettext_lazy as _

from cairn.conversations.models import Follow, HeldReply, HeldStatus, Post
from cairn.core.datarights import STAFF, PersonData, Rows, register
from cairn.members.models import Person

posts = Rows(Post, "author", [("thread", "thread.title"), "body", "channel", "created_at"])

register(
    PersonData(
        key="conversation_posts",
        title=_("Conversation posts"),
        rows=posts,
        # Like contributions: what they said stays in the thread, without their name.
        erase=posts.anonymise(author=None, author_name=""),
        kept={
            "conversations.Post.entered_by": STAFF,
            "conversations.Thread.created_by": STAFF,
        },
        order=70,
    )
)


follows = Rows(Follow, "person", [("thread", "thread.title"), "created_at"])

register(
    PersonData(
        key="conversation_follows",
        title=_("Conversations you follow"),
        rows=follows,
        erase=follows.delete,
        order=71,
    )
)


held_replies = Rows(
    HeldReply,
    "person",
    [("thread", "thread.title"), ("from", "sender"), "body", "status", "created_at"],
)


def _erase_held_replies(person: Person) -> int:
    # A reply still held was never posted: it goes. A decided one keeps its decision
    # (who let it through or not) but not the address or the words.
    held = held_replies.query(person)
    deleted, _counts = held.filter(status=HeldStatus.HELD).delete()
    return deleted + held.update(person=None, sender="", body="")


register(
    PersonData(
        key="conversation_held_replies",
        title=_("Emailed replies held for a check"),
        rows=held_replies,
        erase=_erase_held_replies,
        kept={"conversations.HeldReply.decided_by": STAFF},
        order=72,
    )
)
