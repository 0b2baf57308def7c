"""Logins and roles: invitations, accepting them, roles, deactivation, requests to join.

Every write is here, in one transaction with its audit entry on the person, so the
person's history shows who gave or took away a login or a role, and when.
"""

import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cairn.accounts.models import Invite, InviteChannel, JoinRequest, JoinStatus
from cairn.core import audit
from cairn.core.roles import Role
from cairn.members.models import Channel, ConsentMethod, Organisation, Person
from cairn.members.services import PersonError, set_consent
from cairn.outreach.services import OutreachError, queue_service_message

# No 0/O, 1/I/L: the code is read aloud on the phone and typed from a letter.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes, tried at most 10 a minute per address


class AccountError(ValueError):
    pass


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


# --- invitations -----------------------------------------------------------------------------


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
    context = {
        "person": person,
        "network_name": settings.NETWORK_NAME,
        "link": issued.link,
        "code": issued.display_code,
        "entry_url": entry_url(),
        "expires": date_format(timezone.localtime(issued.invite.expires_at), "j F Y"),
        "channel": channel,
        "reset": person.user_id is not None,
        "username": person.user.get_username() if person.user_id else "",
    }
    if person.user_id is not None:
        subject = _("A new password for %(network)s") % {"network": settings.NETWORK_NAME}
    else:
        subject = _("Your login to %(network)s") % {"network": settings.NETWORK_NAME}
    return subject, render_to_string("accounts/invite_message.txt", context).strip()


@transaction.atomic
def create_invite(person: Person, channel: str, actor: Any) -> IssuedInvite:
    """Invite a person on file to log in: email a link now, or queue a letter or a call.

    Earlier open invitations of the person stop working. If the email cannot be sent
    nothing is kept, and the error says why.
    """
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
    if person.user_id is not None:
        summary = _("Sent a way to set a new password: %(how)s")
    else:
        summary = _("Invited to log in: %(how)s")
    audit.record(
        actor,
        "account.invited",
        person,
        summary % {"how": InviteChannel(channel).label},
        channel=channel,
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


def username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def suggest_username(person: Person) -> str:
    base = (
        "".join(
            ch
            for ch in f"{person.first_name}.{person.last_name}".lower()
            if ch.isalnum() or ch == "."
        ).strip(".")
        or "member"
    )
    candidate, n = base[:140], 1
    while username_taken(candidate):
        n += 1
        candidate = f"{base[:140]}{n}"
    return candidate


def _role_group(role: Role) -> Group:
    group, _ = Group.objects.get_or_create(name=role.group_name)
    return group


@transaction.atomic
def accept_invite(invite: Invite, *, username: str, password: str | None) -> User:
    """Create the person's login from an open invitation; the invitation is then used up.

    Without a password the person logs in with a code sent to their email address.
    """
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if not invite.is_open:
        raise AccountError(_("This invitation has expired or was already used."))
    person = Person.objects.select_for_update().get(pk=invite.person_id)
    if person.user_id is not None:
        return _reset_password(invite, person, password)
    username = username.strip()
    if not username:
        raise AccountError(_("Choose a username."))
    if username_taken(username):
        raise AccountError(_("That username is taken; please choose another."))
    if not password and not person.email:
        raise AccountError(_("Choose a password: without an email address you need one."))
    # An address another login already uses stays with that login.
    shared = bool(person.email) and (
        EmailAddress.objects.filter(email__iexact=person.email).exists()
        or User.objects.filter(email__iexact=person.email).exists()
    )
    if not password and shared:
        raise AccountError(_("Choose a password: your email address is used by another login."))
    user = User(
        username=username,
        email="" if shared else person.email,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(_role_group(Role.MEMBER))
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    if person.email and not shared:
        # Opening the emailed link proves the address is theirs.
        EmailAddress.objects.create(
            user=user,
            email=person.email,
            primary=True,
            verified=invite.channel == InviteChannel.EMAIL,
        )
    _use_up(invite, person)
    audit.record(
        user,
        "account.created",
        person,
        _("Login %(username)s created from an invitation") % {"username": username},
    )
    return user


def _use_up(invite: Invite, person: Person) -> None:
    now = timezone.now()
    invite.used_at = now
    invite.save(update_fields=["used_at"])
    person.invites.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)


def _reset_password(invite: Invite, person: Person, password: str | None) -> User:
    """An invitation sent to someone who has a login sets a new password for it."""
    user = User.objects.select_for_update().get(pk=person.user_id)
    if not user.is_active:
        raise AccountError(_("This login is deactivated. Please contact the network."))
    if not password:
        raise AccountError(_("Choose a new password."))
    user.set_password(password)
    user.save(update_fields=["password"])
    if invite.channel == InviteChannel.EMAIL and person.email:
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email__iexact=person.email, defaults={"email": person.email}
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
    _use_up(invite, person)
    # A member locked out after forgetting their password can use the new one at once.
    from axes.utils import reset as reset_lockouts

    for name in {user.get_username().lower(), (user.email or "").lower()} - {""}:
        reset_lockouts(username=name)
    audit.record(user, "account.password_set", person, _("New password set from an invitation"))
    return user


# --- roles and deactivation ------------------------------------------------------------------


def role_in_groups(user: User) -> Role:
    """The role a user's groups give (superusers aside), whether or not they are active."""
    names = set(user.groups.values_list("name", flat=True))
    for role in (Role.COORDINATOR, Role.FACILITATOR):
        if role.group_name in names:
            return role
    return Role.MEMBER


def active_coordinators() -> Any:
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.COORDINATOR.group_name))
        .distinct()
    )


def _lock_coordinators() -> None:
    # Two coordinators demoting each other at once must not leave the network with none.
    Group.objects.select_for_update().filter(pk=_role_group(Role.COORDINATOR).pk).first()


def _user_of(person: Person) -> User:
    if person.user_id is None:
        raise AccountError(_("This person has no login yet: invite them first."))
    return User.objects.select_for_update().get(pk=person.user_id)


@transaction.atomic
def set_role(person: Person, role: Role, actor: Any) -> bool:
    """Give the person's login this role; False when it already had it."""
    role = Role(role)
    _lock_coordinators()
    user = _user_of(person)
    if user.is_superuser:
        raise AccountError(
            _("This login is a superuser and is always a coordinator; change it in the admin.")
        )
    old = role_in_groups(user)
    if old == role:
        return False
    if old == Role.COORDINATOR and not active_coordinators().exclude(pk=user.pk).exists():
        raise AccountError(
            _("This is the network's last coordinator: make someone else a coordinator first.")
        )
    user.groups.remove(*Group.objects.filter(name__in=[r.group_name for r in Role]))
    user.groups.add(_role_group(role))
    audit.record(
        actor,
        "account.role_changed",
        person,
        _("Role changed from %(old)s to %(new)s")
        % {"old": old.name.title(), "new": role.name.title()},
        old=old.name.lower(),
        new=role.name.lower(),
    )
    return True


@transaction.atomic
def set_active(person: Person, active: bool, actor: Any) -> bool:
    """Deactivate a login (it can no longer log in) or turn it back on; False if unchanged."""
    _lock_coordinators()
    user = _user_of(person)
    if user.is_active == active:
        return False
    if not active:
        if getattr(actor, "pk", None) == user.pk:
            raise AccountError(_("You cannot deactivate your own login."))
        if (user.is_superuser or role_in_groups(user) == Role.COORDINATOR) and not (
            active_coordinators().exclude(pk=user.pk).exists()
        ):
            raise AccountError(_("This is the network's last coordinator."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        person.invites.filter(used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    audit.record(
        actor,
        "account.reactivated" if active else "account.deactivated",
        person,
        _("Login turned back on") if active else _("Login deactivated"),
    )
    return True


# --- requests to join ------------------------------------------------------------------------


@transaction.atomic
def request_to_join(data: dict[str, Any]) -> JoinRequest:
    """A visitor's request to join; it waits, holding their details, until a coordinator acts."""
    if not (data.get("email") or data.get("phone") or data.get("address")):
        raise AccountError(_("Give an email address, a phone number or a postal address."))
    join = JoinRequest.objects.create(
        first_name=data["first_name"],
        last_name=data.get("last_name", ""),
        organisation_name=data.get("organisation_name", ""),
        sector=data["sector"],
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        address=data.get("address", ""),
        message=data.get("message", ""),
        consents=list(data.get("consents", [])),
    )
    audit.record(
        None,
        "account.join_requested",
        join,
        _("Asked to join: %(name)s") % {"name": join.full_name},
    )
    return join


def matching_person(join: JoinRequest) -> Person | None:
    """Someone already on file with the same email address, who would be joined up instead."""
    if not join.email:
        return None
    return Person.objects.filter(email__iexact=join.email, anonymised_at__isnull=True).first()


@transaction.atomic
def approve_join_request(join: JoinRequest, actor: Any) -> Person:
    """Put the visitor on file (or join them to their existing record) and invite them to log in."""
    join = JoinRequest.objects.select_for_update().get(pk=join.pk)
    if join.status != JoinStatus.PENDING:
        raise AccountError(_("This request was already dealt with."))
    person = matching_person(join)
    if person is None:
        organisation = None
        if join.organisation_name.strip():
            organisation = Organisation.objects.filter(
                name__iexact=join.organisation_name.strip()
            ).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=join.organisation_name.strip()[:200], sector=join.sector
                )
                audit.record(actor, "organisation.created", organisation, organisation.name)
        channel = Channel.EMAIL if join.email else Channel.PHONE if join.phone else Channel.POST
        person = Person.objects.create(
            first_name=join.first_name,
            last_name=join.last_name,
            organisation=organisation,
            sector=join.sector,
            email=join.email,
            phone=join.phone,
            address=join.address,
            preferred_channel=channel,
        )
        audit.record(actor, "person.created", person, _("Added from a request to join"))
    for purpose in join.consents:
        set_consent(
            person,
            purpose,
            granted=True,
            method=ConsentMethod.WEB,
            user=actor,
            note=_("Given when asking to join"),
            when=join.created_at,
        )
    join.status = JoinStatus.APPROVED
    join.person = person
    join.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    join.decided_at = timezone.now()
    join.save(update_fields=["status", "person", "decided_by", "decided_at"])
    audit.record(actor, "account.join_approved", person, _("Request to join approved"))
    if person.user_id is None:
        channel = {
            Channel.EMAIL: InviteChannel.EMAIL,
            Channel.POST: InviteChannel.POST,
            Channel.PHONE: InviteChannel.PHONE,
        }[person.preferred_channel if person.preferred_channel != Channel.WEB else Channel.EMAIL]
        if not invite_problem(person, channel):
            create_invite(person, channel, actor)
    return person


@transaction.atomic
def decline_join_request(join: JoinRequest, actor: Any) -> JoinRequest:
    """Say no; the visitor's contact details are not kept."""
    join = JoinRequest.objects.select_for_update().get(pk=join.pk)
    if join.status != JoinStatus.PENDING:
        raise AccountError(_("This request was already dealt with."))
    join.status = JoinStatus.DECLINED
    join.email = join.phone = join.address = join.message = ""
    join.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    join.decided_at = timezone.now()
    join.save()
    audit.record(actor, "account.join_declined", join, _("Request to join declined"))
    return join


# --- the login's email follows the person's ------------------------------------------------


def follow_person_email(person: Person, *, old: str, new: str, actor: Any) -> None:
    """Keep a person's login on the email address of their record (`User.email` and allauth's
    addresses), so login codes and password resets go where the person now reads mail.

    Called inside the transaction that changes the record: an address that belongs to
    another login is refused with `PersonError`, and the record keeps its old address.
    The new address is unverified until the person proves it; the audit entry names no
    address.
    """
    if person.user_id is None:
        return
    user = User.objects.select_for_update().get(pk=person.user_id)
    new = (new or "").strip()
    if new and (
        EmailAddress.objects.filter(email__iexact=new).exclude(user=user).exists()
        or User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists()
    ):
        raise PersonError(
            _("Another login already uses this email address. Use another, or ask a coordinator.")
        )
    user.email = new
    user.save(update_fields=["email"])
    stale = EmailAddress.objects.filter(user=user)
    (stale.exclude(email__iexact=new) if new else stale).delete()
    if new:
        address = EmailAddress.objects.filter(user=user, email__iexact=new).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=new, primary=True, verified=False)
        elif not address.primary:
            address.primary = True
            address.save(update_fields=["primary"])
    audit.record(actor, "account.email_changed", person, _("Login email follows the record"))
