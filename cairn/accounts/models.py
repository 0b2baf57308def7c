from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cairn.core.roles import Role
from cairn.members.models import Person, Sector


class InviteChannel(models.TextChoices):
    EMAIL = "email", _("Email with a one-time link")
    POST = "post", _("Printed letter with a code")
    PHONE = "phone", _("Phone call with a code")


class Invite(models.Model):
    """An invitation for a person on file to create their login.

    Only a keyed hash of the code is stored: the code itself exists in the email,
    the letter or the call script, so a copy of the database cannot be used to log in.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invites")
    channel = models.CharField(_("how"), max_length=10, choices=InviteChannel.choices)
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The role the new login gets: a facilitator is invited as one, not as a member whose
    # role someone must remember to change. Not used by an invitation to a new password.
    role = models.PositiveSmallIntegerField(
        _("role"),
        choices=[(r.value, r.name.title()) for r in Role],
        default=Role.MEMBER.value,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.person} ({self.channel}, {self.created_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class JoinStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """A visitor asking to join the network; nobody is on file until a coordinator approves."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    message = models.TextField(_("why you would like to join"), blank=True)
    consents = models.JSONField(_("agreed to"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinStatus.choices,
        default=JoinStatus.PENDING,
        db_index=True,
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:join_request", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
