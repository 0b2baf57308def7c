import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.events.models import BreakoutTheme, Event
from cairn.members.models import Person


def new_reply_key() -> str:
    return secrets.token_hex(6)


class Thread(models.Model):
    """A conversation that carries on after a meeting, attached to an event or a theme."""

    title = models.CharField(_("title"), max_length=200)
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
        verbose_name=_("event"),
    )
    theme = models.ForeignKey(
        BreakoutTheme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
        verbose_name=_("breakout theme"),
    )
    topic = models.CharField(
        _("theme"),
        max_length=100,
        blank=True,
        help_text=_("For a conversation not tied to an event"),
    )
    # Part of the reply-by-email address, so a guessed thread number alone cannot post.
    reply_key = models.CharField(max_length=20, default=new_reply_key, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conversations:detail", args=[self.pk])

    @property
    def about(self) -> str:
        parts = [str(p) for p in (self.event, self.theme) if p] or [self.topic]
        return " · ".join(p for p in parts if p)


class PostChannel(models.TextChoices):
    WEB = "web", _("Web")
    EMAIL = "email", _("Email reply")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")

    @property
    def contribution_channel(self) -> str:
        return {
            "web": ContributionChannel.WEB_FORM,
            "email": ContributionChannel.EMAIL,
            "letter": ContributionChannel.LETTER,
            "phone": ContributionChannel.PHONE,
        }[self.value]


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("name given"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    channel = models.CharField(_("channel"), max_length=10, choices=PostChannel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contribution = models.OneToOneField(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An email's Message-ID: the same reply delivered twice is stored once.
    message_id = models.CharField(max_length=300, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["thread", "created_at", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def display_author(self) -> str:
        if self.author_id:
            return self.author.full_name
        return self.author_name or str(_("Anonymous"))


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)
    digest_sent_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "person"], name="one_follow_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} follows {self.thread}"


class HeldStatus(models.TextChoices):
    HELD = "held", _("Waiting for a coordinator")
    APPROVED = "approved", _("Approved and posted")
    REJECTED = "rejected", _("Rejected")


class HeldReply(models.Model):
    """An emailed reply that could be forged: posted only when a coordinator approves it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="held_replies")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = models.CharField(_("From"), max_length=320)
    body = models.TextField(_("message"))
    message_id = models.CharField(max_length=300, blank=True)
    reason = models.CharField(_("why it was held"), max_length=500)
    status = models.CharField(max_length=10, choices=HeldStatus.choices, default=HeldStatus.HELD)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    post = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("held email reply")
        verbose_name_plural = _("held email replies")

    def __str__(self) -> str:
        return f"{self.sender}: {self.body[:40]}"
