"""Threads and posts. Every post is also a Contribution, with its channel, so it feeds synthesis."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cairn.contributions.services import record_contribution
from cairn.conversations.models import Follow, Post, PostChannel, Thread
from cairn.core import audit
from cairn.core.roles import is_coordinator
from cairn.events.models import BreakoutTheme, Event, EventStatus
from cairn.members.models import Person

MAX_POST_CHARS = 20_000


class ConversationError(ValueError):
    pass


@transaction.atomic
def start_thread(
    *,
    actor: Any,
    title: str,
    body: str,
    author: Person | None,
    event: Event | None = None,
    theme: BreakoutTheme | None = None,
    topic: str = "",
) -> Thread:
    if not title.strip():
        raise ConversationError("Give the conversation a title.")
    if theme is not None:
        event = event or theme.event
        if theme.event_id != event.pk:
            raise ConversationError("That theme belongs to a different event.")
    if event is None and not topic.strip():
        raise ConversationError("Attach the conversation to an event or name its theme.")
    if event is not None and event.status == EventStatus.DRAFT and not is_coordinator(actor):
        raise ConversationError("That event is not open yet.")
    thread = Thread.objects.create(
        title=title.strip()[:200],
        event=event,
        theme=theme,
        topic=topic.strip()[:100],
        created_by=actor,
    )
    add_post(thread, body=body, author=author, channel=PostChannel.WEB)
    audit.record(actor, "conversation.started", thread, thread.title)
    return thread


@transaction.atomic
def add_post(
    thread: Thread,
    *,
    body: str,
    author: Person | None,
    channel: str,
    entered_by: Any = None,
    parent: Post | None = None,
    author_name: str = "",
    message_id: str | None = None,
) -> Post:
    """A post or reply by any channel; its author follows the thread from then on."""
    body = (body or "").strip()
    if not body:
        raise ConversationError("Write something before posting.")
    if len(body) > MAX_POST_CHARS:
        raise ConversationError(
            f"This message is {len(body):,} characters; please keep it under {MAX_POST_CHARS:,}."
        )
    if channel not in PostChannel.values:
        raise ConversationError(f"Unknown channel {channel!r}.")
    if parent is not None and parent.thread_id != thread.pk:
        raise ConversationError("That reply belongs to another conversation.")
    try:
        with transaction.atomic():
            post = Post.objects.create(
                thread=thread,
                parent=parent,
                author=author,
                author_name="" if author else author_name.strip()[:200],
                body=body,
                channel=channel,
                entered_by=entered_by if getattr(entered_by, "is_authenticated", False) else None,
                message_id=message_id or None,
            )
    except IntegrityError as exc:
        raise ConversationError("This email reply was already received.") from exc
    consented = (
        author is not None and author.consents.filter(purpose="quote", granted=True).exists()
    )
    post.contribution = record_contribution(
        text=body,
        channel=PostChannel(channel).contribution_channel,
        event=thread.event,
        theme=thread.theme,
        author=author,
        author_name=post.author_name,
        entered_by=post.entered_by,
        consent_to_quote=consented,
        source=f"Conversation: {thread.title}"[:200],
        source_ref=f"post {post.pk}",
    )
    post.save(update_fields=["contribution"])
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    if author is not None:
        Follow.objects.get_or_create(
            thread=thread, person=author, defaults={"digest_sent_until": post.created_at}
        )
    return post


def enter_post(
    thread: Thread,
    *,
    actor: Any,
    author: Person | None,
    body: str,
    channel: str,
    author_name: str = "",
) -> Post:
    """Staff type in a reply that came by letter or phone call."""
    if channel not in (PostChannel.LETTER, PostChannel.PHONE):
        raise ConversationError("Staff entry is for replies by letter or phone.")
    post = add_post(
        thread, body=body, author=author, channel=channel, entered_by=actor, author_name=author_name
    )
    audit.record(
        actor,
        "conversation.reply_entered",
        thread,
        f"{post.get_channel_display()} from {post.display_author}",
    )
    return post


@transaction.atomic
def set_following(thread: Thread, person: Person, *, follow: bool) -> bool:
    if follow:
        Follow.objects.get_or_create(
            thread=thread, person=person, defaults={"digest_sent_until": timezone.now()}
        )
    else:
        Follow.objects.filter(thread=thread, person=person).delete()
    return follow
