from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cairn.members.models import Person


class ContributionChannel(models.TextChoices):
    """How the words reached the network. Every channel counts the same."""

    BREAKOUT_NOTE = "breakout_note", _("Breakout note")
    CHAT = "chat", _("Meeting chat")
    TRANSCRIPT = "transcript", _("Meeting transcript")
    WEB_FORM = "web_form", _("Web form")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    PAPER_FORM = "paper_form", _("Paper form")

    @classmethod
    def offline(cls) -> set[str]:
        return {cls.LETTER, cls.PHONE, cls.PAPER_FORM}


class Contribution(models.Model):
    """One thing someone said, by any channel, with where it came from.

    Where it came from (event, breakout theme, room) are foreign keys to events, named
    rather than imported: events records contributions through this app's services, so
    the ledger's code sits below events and never calls into it (docs/architecture.md).
    """

    text = models.TextField(_("text"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=ContributionChannel.choices, db_index=True
    )
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        verbose_name=_("event"),
    )
    theme = models.ForeignKey(
        "events.BreakoutTheme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        verbose_name=_("breakout theme"),
    )
    breakout_group = models.ForeignKey(
        "events.BreakoutGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    author = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        verbose_name=_("who said it"),
        help_text=_("Empty when anonymous or not matched to a member"),
    )
    author_name = models.CharField(
        _("name given"),
        max_length=200,
        blank=True,
        help_text=_("As written in a chat or transcript when not matched to a member"),
    )
    # Kept when the author is erased, so counts by sector stay true.
    author_sector = models.CharField(_("sector at the time"), max_length=30, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
        help_text=_("Staff or volunteer who typed it in on the person's behalf"),
    )
    consent_to_quote = models.BooleanField(_("may be quoted in reports"), default=False)
    consent_to_name = models.BooleanField(_("may be named when quoted"), default=False)
    consent_research = models.BooleanField(_("may be used for research"), default=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("File or form it came from")
    )
    source_ref = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Line, cue or paper code")
    )
    said_at = models.DateTimeField(_("said at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "channel"])]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("contributions:detail", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.author_id is None and not self.author_name

    @property
    def display_author(self) -> str:
        if self.author_id:
            return self.author.full_name
        return self.author_name or str(_("Anonymous"))

    @property
    def entered_on_behalf(self) -> bool:
        return self.entered_by_id is not None
