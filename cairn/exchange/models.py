from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cairn.members.models import Organisation, Person
from cairn.outreach.models import Delivery


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class ListingCategory(models.TextChoices):
    SKILLS = "skills", _("Skills")
    VOLUNTEERS = "volunteers", _("Volunteers")
    SPACE = "space", _("Space")
    EQUIPMENT = "equipment", _("Equipment")
    FUNDING = "funding", _("Funding")
    EXPERTISE = "expertise", _("Expertise")
    OTHER = "other", _("Something else")


class Listing(models.Model):
    """An offer or a need an organisation posts, with how to get in touch."""

    kind = models.CharField(_("offer or need"), max_length=10, choices=ListingKind.choices)
    category = models.CharField(_("what kind"), max_length=20, choices=ListingCategory.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="listings",
        verbose_name=_("organisation"),
    )
    contact_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listings",
        verbose_name=_("contact person"),
        help_text=_("Told by their own channel when someone wants to get in touch"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    topics = models.CharField(
        _("topics"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. food, digital")
    )
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for anywhere in the network"),
    )
    how_to_contact = models.TextField(_("how to get in touch"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "is_open"])]
        verbose_name = _("offer or need")
        verbose_name_plural = _("offers and needs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:detail", args=[self.pk])

    @property
    def topic_list(self) -> list[str]:
        return [t.strip().lower() for t in self.topics.split(",") if t.strip()]


class ContactRequest(models.Model):
    """One side of a suggested match asked to get in touch; delivered through outreach."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="contact_requests")
    about = models.ForeignKey(
        Listing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The requester's own offer or need, when the request follows a match"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"))
    # The message that told the listing's contact person; kept for the record if it goes.
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "about", "requested_by"], name="one_request_per_match"
            )
        ]

    def __str__(self) -> str:
        return f"Contact about {self.listing}"
