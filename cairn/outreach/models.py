from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cairn.lib import storage
from cairn.members.models import Channel, ConsentPurpose, Person


def _about_type() -> models.ForeignKey:
    return models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


# What a message is about (an event, a consultation, a report) is passed in by the app
# that sends it, as any record: outreach itself knows none of those apps.


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # letter to print, call to make
    SENT = "sent", _("Sent")  # email accepted by the server, letter posted, voicemail left
    DELIVERED = "delivered", _("Delivered")  # call answered, shown on their Cairn page
    FAILED = "failed", _("Failed, will retry")
    NOT_REACHED = "not_reached", _("Not reached")
    RESOLVED = "resolved", _("Resolved")  # a not-reached case the coordinator dealt with
    # Email being handed to the mail server; recorded (and committed) before it is tried.
    SENDING = "sending", _("Being sent")
    # A worker stopped while sending: the server may have taken it; a person checks.
    UNKNOWN = "unknown", _("Unknown, check")


class CallOutcomeKind(models.TextChoices):
    REACHED = "reached", _("Reached")
    VOICEMAIL = "voicemail", _("Left voicemail")
    NO_ANSWER = "no_answer", _("No answer")
    CALL_BACK = "call_back", _("Call back on a date")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class Message(models.Model):
    """One message a coordinator sends to an audience; each person gets a Delivery."""

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    about_type = _about_type()
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    audience_label = models.CharField(_("audience"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The compose page's send, as a digest of its form's key and the message: the same
    # send arriving twice (a double click, a resent POST) makes one message.
    send_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("outreach:message", args=[self.pk])


class LetterBatch(models.Model):
    """Letters printed together: the PDF mail merge and its label sheet."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    # The latest background job preparing its files, which the batch's page follows.
    prepare_job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")

    def __str__(self) -> str:
        return f"Letter batch {self.pk} ({self.created_at:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("outreach:batch", args=[self.pk])


class LetterFileKind(models.TextChoices):
    LETTERS = "letters", _("Letters")
    LABELS = "labels", _("Address labels")


class LetterFile(models.Model):
    """A batch's letters or labels as a PDF, rendered by a worker and kept in the storage.

    One row per batch and kind, written only once the file is stored. `key` is a hash of
    what was printed (each letter's text, name and address): when a letter or an address
    changes the file is out of date and is not served. It names people, so erasing one
    deletes the files of every batch that has a letter to them.
    """

    batch = models.ForeignKey(LetterBatch, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=LetterFileKind.choices)
    key = models.CharField(max_length=64)
    file = models.FileField(upload_to="outreach/", max_length=300)
    letters = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "kind"], name="outreach_one_file_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}.{self.kind}"


class Delivery(models.Model):
    """One message to one person by one channel, with what happened to it."""

    person = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML text"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    address = models.CharField(
        _("sent to"), max_length=300, blank=True, help_text=_("Email, phone or postcode used")
    )
    large_print = models.BooleanField(_("large print"), default=False)
    about_type = _about_type()
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    batch = models.ForeignKey(
        LetterBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    # A letter that was waiting when the batch was made but was not printed (no consent or
    # address any more): the batch's page lists it with its reason.
    left_out_of = models.ForeignKey(
        LetterBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="left_out"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    # The email's Message-ID, the same on every attempt, so a mail server's log can say
    # whether an interrupted send went out, and mail programs show a repeat once.
    email_message_id = models.CharField(max_length=200, blank=True)
    seen_at = models.DateTimeField(_("seen"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["channel", "status"]),
            models.Index(fields=["about_type", "about_id"]),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.subject} → {self.person} ({self.channel}, {self.status})"

    def get_absolute_url(self) -> str:
        return reverse("outreach:delivery", args=[self.pk])


class DeliveryAttachment(models.Model):
    """Kept with the delivery so a retried email or a printed letter carries it too.

    The bytes are in the file storage, once per content: a report sent to 300 people is
    one stored PDF that 300 rows point at (`sha256`), not 300 copies in the database."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    file = models.FileField(upload_to="attachments/", max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    mimetype = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.filename

    def read(self) -> bytes:
        return storage.read(self.file.name)


class CallOutcome(models.Model):
    """A volunteer's record of one phone call for a delivery."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="calls")
    outcome = models.CharField(_("outcome"), max_length=15, choices=CallOutcomeKind.choices)
    call_back_on = models.DateField(_("call back on"), null=True, blank=True)
    notes = models.TextField(_("notes for the team"), blank=True)
    contribution = models.ForeignKey(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    logged_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-logged_at", "-id"]
        verbose_name = _("call outcome")
        verbose_name_plural = _("call outcomes")

    def __str__(self) -> str:
        return f"{self.delivery.person}: {self.get_outcome_display()}"
