"""A digest of new posts to each follower, by their own channel (email, or a printed letter)."""

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cairn.conversations.models import Follow, Post
from cairn.conversations.services.email_replies import reply_address
from cairn.core import audit
from cairn.members.models import Channel
from cairn.outreach.models import Delivery, DeliveryStatus
from cairn.outreach.services import notify_many, send_pending_emails

SUBJECT = "New in the conversations you follow"


def _digest_body(person, items: list[tuple[Any, list[Post]]]) -> str:
    lines = [
        f"Dear {person.first_name},",
        "",
        "Here is what is new in the conversations you follow.",
        "",
    ]
    for thread, posts in items:
        lines += [f"== {thread.title} ({thread.about})", ""]
        for post in posts:
            when = timezone.localtime(post.created_at).strftime("%d %b %Y")
            lines += [f"{post.display_author}, {when}:", post.body, ""]
        lines += [
            f"Read and reply: {settings.SITE_URL}{thread.get_absolute_url()}",
            f"Or reply by email to: {reply_address(thread, person)}",
            "",
        ]
    lines += [
        "If you do not use email, you can reply by letter or phone: the network will type your words in.",
    ]
    return "\n".join(lines)


def _send_queued_digests() -> None:
    """Email the digests recorded but not tried yet (also those of a run killed between
    recording one and sending it)."""
    send_pending_emails(
        Delivery.objects.filter(
            subject=SUBJECT,
            purpose="newsletters",
            message__isnull=True,
            channel=Channel.EMAIL,
            status=DeliveryStatus.QUEUED,
            attempts=0,
        )
    )


def send_digests(*, now: Any = None, actor: Any = None) -> int:
    """One digest per follower with new posts by others since their last digest; returns how many."""
    now = now or timezone.now()
    _send_queued_digests()
    pending: dict[int, list[Follow]] = defaultdict(list)
    for follow in Follow.objects.select_related("person", "thread").filter(
        person__anonymised_at__isnull=True
    ):
        pending[follow.person_id].append(follow)
    sent = 0
    for follows in pending.values():
        person = follows[0].person
        items = []
        for follow in follows:
            since = follow.digest_sent_until or follow.created_at
            posts = list(
                follow.thread.posts.filter(created_at__gt=since, created_at__lte=now)
                .exclude(author=person)
                .select_related("author")
            )
            if posts:
                items.append((follow.thread, posts))
        if not items:
            continue
        with transaction.atomic():
            notify_many(
                [person],
                subject=SUBJECT,
                body=_digest_body(person, items),
                purpose="newsletters",
                sender=actor,
                send_emails=False,
            )
            Follow.objects.filter(pk__in=[f.pk for f in follows]).update(digest_sent_until=now)
        # The email goes out after the commit, so its "being sent" claim is committed before
        # the mail server sees it: a worker killed mid-send leaves it for a coordinator to
        # check, and the task's re-run finds nothing new, never sending the digest twice.
        _send_queued_digests()
        sent += 1
    audit.record(actor, "conversation.digests_sent", None, f"{sent} digests")
    return sent
