"""Invitations: a one-time code sent by email, text or letter that lets a person on
the register make their login (or set a new password).
"""

import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cairn.accounts.models import Invite, InviteChannel
from cairn.accounts.services.errors import AccountError
from cairn.core import audit
from cairn.core.network import network
from cairn.core.roles import Role
from cairn.members.models import Channel, Person
from cairn.outreach.services import OutreachError, queue_service_message

# No 0/O, 1/I/L: the code is read aloud on the phone and typed from a letter.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes, tried at most 10 a minute per address


@dataclass(frozen=True)
class IssuedInvite:
    invite: Invite
    code: str  # shown once: only its hash is stored

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def link(self) -> str:
        return settings.SITE_URL + reverse("accounts:accept", args=[self.code])


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return salted_hmac(
        "cairn.accounts.invite", normalise_code(code), algorithm="sha256"
    ).hexdigest()


def entry_url() -> str:
    """Where people with a code from a letter or a call type it in."""
    return settings.SITE_URL + reverse("accounts:redeem")


def find_invite(code: str) -> Invite | None:
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    return Invite.objects.select_related("person").filter(code_hash=_hash(code)).first()


def invite_problem(person: Person, channel: str) -> str:
    """Why this person cannot be invited this way, or "" when they can."""
    if person.anonymised_at is not None:
        return _("This person's details were erased.")
    if getattr(person, "archived_at", None) is not None:
        return _("This person is archived; restore them first.")
    if person.user_id is not None and not person.user.is_active:
        return _("This login is deactivated; turn it back on first.")
    if channel == InviteChannel.EMAIL and not person.email:
        return _("There is no email address on file for this person.")
    if channel == InviteChannel.POST and not person.address.strip():
        return _("There is no postal address on file for this person.")
    if channel == InviteChannel.PHONE and not person.phone.strip():
        return _("There is no phone number on file for this person.")
    return ""


def _invite_text(person: Person, issued: IssuedInvite, channel: str) -> tuple[str, str]:
    name = network().name
    context = {
        "person": person,
        "network_name": name,
        "link": issued.link,
        "code": issued.display_code,
        "entry_url": entry_url(),
        "expires": date_format(timezone.localtime(issued.invite.expires_at), "j F Y"),
        "channel": channel,
        "reset": person.user_id is not None,
        "username": person.user.get_username() if person.user_id else "",
    }
    if person.user_id is not None:
        subject = _("A new password for %(network)s") % {"network": name}
    else:
        subject = _("Your login to %(network)s") % {"network": name}
    return subject, render_to_string("accounts/invite_message.txt", context).strip()


@transaction.atomic
def create_invite(
    person: Person, channel: str, actor: Any, role: Role = Role.MEMBER
) -> IssuedInvite:
    """Invite a person on file to log in: email a link now, or queue a letter or a call.

    The login made from it gets `role`. Earlier open invitations of the person stop
    working. If the email cannot be sent nothing is kept, and the error says why.
    """
    role = Role(role)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if channel not in InviteChannel.values:
        raise AccountError(_("Choose how to send the invitation."))
    if problem := invite_problem(person, channel):
        raise AccountError(problem)
    now = timezone.now()
    person.invites.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invite = Invite.objects.create(
        person=person,
        channel=channel,
        code_hash=_hash(code),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=now + timedelta(days=settings.CAIRN_INVITE_DAYS),
        role=role.value,
    )
    issued = IssuedInvite(invite, code)
    subject, body = _invite_text(person, issued, channel)
    if channel == InviteChannel.EMAIL:
        try:
            mail.EmailMessage(
                subject=subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[person.email],
            ).send()
        except (OSError, smtplib.SMTPException) as error:
            raise AccountError(
                _("The invitation email could not be sent (%(error)s). Nothing was changed.")
                % {"error": str(error)[:200]}
            ) from error
    else:
        try:
            queue_service_message(
                person,
                channel=Channel.POST if channel == InviteChannel.POST else Channel.PHONE,
                subject=subject,
                body=body,
                sender=actor,
            )
        except OutreachError as error:
            raise AccountError(str(error)) from error
    detail = {"channel": channel}
    if person.user_id is not None:
        summary = _("Sent a way to set a new password: %(how)s")
    else:
        summary = _("Invited to log in as %(role)s: %(how)s")
        detail["role"] = role.name.lower()
    audit.record(
        actor,
        "account.invited",
        person,
        summary % {"how": InviteChannel(channel).label, "role": role.name.title()},
        **detail,
    )
    return issued


@transaction.atomic
def withdraw_invites(person: Person, actor: Any) -> int:
    n = person.invites.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if n:
        audit.record(actor, "account.invite_withdrawn", person, _("Invitation withdrawn"))
    return n
