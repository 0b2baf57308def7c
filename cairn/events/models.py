from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cairn.members.models import Organisation, Person


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    IN_PERSON = "in_person", _("In person")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/London")
    format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.ONLINE
    )
    video_link = models.URLField(_("video link"), blank=True)
    dial_in = models.TextField(
        _("phone dial-in"), blank=True, help_text=_("Number and meeting code for joining by phone")
    )
    venue = models.TextField(_("venue"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    organiser = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # RFC 5545 SEQUENCE of the .ics: goes up with each change a calendar shows.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def zone(self) -> ZoneInfo:
        """The event's own time zone, in which its times are written everywhere."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        """Under way now (and not cancelled): its pages lead with joining and the boards."""
        now = timezone.now()
        return self.status != EventStatus.CANCELLED and self.starts_at <= now < self.ends_at

    @property
    def speakers(self) -> list[Person]:
        seen: dict[int, Person] = {}
        for item in self.agenda_items.all():
            if item.speaker_id and item.speaker_id not in seen:
                seen[item.speaker_id] = item.speaker
        return list(seen.values())


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    speaker = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("speaker"),
    )

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title


class BreakoutTheme(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="breakout_themes")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("short description"), max_length=300, blank=True)
    room_capacity = models.PositiveSmallIntegerField(_("room capacity"), default=8)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_theme_per_event")
        ]
        verbose_name = _("breakout theme")
        verbose_name_plural = _("breakout themes")

    def __str__(self) -> str:
        return self.name


class BreakoutRole(models.TextChoices):
    PARTICIPANT = "", _("Participant")
    FACILITATOR = "facilitator", _("Facilitator")
    NOTE_TAKER = "note_taker", _("Note-taker")


class RegistrationChannel(models.TextChoices):
    """How the registration reached us; anything but web was entered by staff."""

    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    POST = "post", _("Letter")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    channel = models.CharField(
        _("registered via"),
        max_length=10,
        choices=RegistrationChannel.choices,
        default="web",
        help_text=_("web, email, phone or post: how the registration reached us"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Staff member who registered this person on their behalf"),
    )
    access_needs = models.TextField(_("access needs for this event"), blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the person (re)joined: the waiting list is served in this order.
    queued_at = models.DateTimeField(_("joined"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True, blank=True)
    breakout_role = models.CharField(
        _("breakout role"), max_length=20, choices=BreakoutRole.choices, default="", blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    attendance_source = models.CharField(_("attendance recorded from"), max_length=100, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_registration_per_person")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.person} @ {self.event}"


class BreakoutPreference(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="preferences"
    )
    theme = models.ForeignKey(BreakoutTheme, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["registration", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "theme"], name="one_rank_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.theme}"


class BreakoutGroup(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="breakout_groups")
    theme = models.ForeignKey(BreakoutTheme, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("room name"), max_length=100)
    facilitator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_taker = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(Person, blank=True, related_name="breakout_groups")
    # Members a coordinator moved here by hand: allocating again keeps them in this room.
    placed_by_hand = models.ManyToManyField(Person, blank=True, related_name="+")

    class Meta:
        ordering = ["event", "theme__position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_room_per_event")
        ]
        verbose_name = _("breakout group")
        verbose_name_plural = _("breakout groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:group", args=[self.event_id, self.pk])


class FeedbackChannel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone call")
    PAPER = "paper", _("Paper form")


class Feedback(models.Model):
    """The short after-event form; its comment also becomes a contribution."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="event_feedback"
    )
    rating = models.PositiveSmallIntegerField(_("how useful was the event (1-5)"))
    comment = models.TextField(_("what should we do differently?"), blank=True)
    channel = models.CharField(
        _("received by"), max_length=10, choices=FeedbackChannel.choices, default="web"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contribution = models.OneToOneField(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(person__isnull=False),
                name="one_feedback_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.event}: {self.rating}/5"


class ChatImportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the worker")
    APPLIED = "applied", _("Imported")
    CHECKED = "checked", _("Checked, nothing written")
    REFUSED = "refused", _("Nothing imported: problems found")


class ChatImport(models.Model):
    """A chat or transcript imported by a worker: the file until it is read, then what the
    import found. Writing the messages and marking the import applied are one
    transaction, so a worker killed part way leaves nothing and a retry imports once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="chat_imports")
    filename = models.CharField(max_length=255)
    # In the storage until the file is read through (applied, checked or refused).
    file = models.FileField(upload_to="imports/chats/", max_length=300, blank=True)
    recorded_timezone = models.CharField(max_length=64, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ChatImportStatus.choices, default=ChatImportStatus.WAITING
    )
    report = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("chat import")
        verbose_name_plural = _("chat imports")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("events:import_chat_result", args=[self.event_id, self.pk])
