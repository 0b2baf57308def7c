"""A person's login: made from an invitation, a new password from one, and the login's
email address kept on the person's.
"""

import time
from importlib import import_module
from typing import Any

from allauth.account import app_settings
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Invite, InviteChannel
from cairn.accounts.services.errors import AccountError
from cairn.accounts.services.roles import _role_group
from cairn.core import audit
from cairn.core.roles import Role
from cairn.members.models import Person
from cairn.members.services import PersonError, erase_person


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
    user.groups.add(_role_group(Role(invite.role)))
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
        _("Login %(username)s created from an invitation, as %(role)s")
        % {"username": username, "role": Role(invite.role).name.title()},
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
    lift_lockouts(user)
    audit.record(user, "account.password_set", person, _("New password set from an invitation"))
    return user


def lift_lockouts(user: User) -> None:
    """Forget the failed logins Axes counted against this login, under its username and
    every email address it logs in with."""
    # Local: axes.utils reads its settings and models when imported.
    from axes.utils import reset as reset_lockouts

    names = {user.get_username(), user.email or ""}
    names |= set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    for name in {name.strip().lower() for name in names} - {""}:
        reset_lockouts(username=name)


def password_reset_by_link(user: User) -> None:
    """A login's owner chose a new password from an emailed reset link: the lock that
    their failed attempts set no longer guards anything, so the new password works now
    (the locked-out page sends people to that link)."""
    lift_lockouts(user)
    person = Person.objects.filter(user=user).first()
    audit.record(
        user,
        "account.password_reset",
        person if person is not None else user,
        _("New password set from an emailed reset link"),
    )


def delete_own_account(user: User) -> Person:
    """The person erases their own record at their request: their name, contact details and
    login go, their contributions stay anonymously (members' `erase_person`, audited as
    their own doing). Refused with `AccountError` for the network's last coordinator."""
    person = Person.objects.filter(user=user, anonymised_at__isnull=True).first()
    if person is None:
        raise AccountError(_("There is no record of you to delete."))
    try:
        return erase_person(person, user)
    except PersonError as error:
        raise AccountError(str(error)) from error


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


# Where allauth keeps a login in progress (a code sent by email included) in the session;
# `tests/accounts` checks it is still allauth's name.
PENDING_LOGIN_KEY = "account_login"


def clear_expired_sign_in_codes(now: float | None = None) -> int:
    """Take the sign-in codes that no longer work out of the sessions that hold them.

    allauth keeps the one-time code it emails, in plain text, in the pending login of the
    session that asked for it. The code stops working after `ACCOUNT_LOGIN_BY_CODE_TIMEOUT`
    and the pending login after `ACCOUNT_LOGIN_TIMEOUT`, but both stay in the session's row
    until the session ends, weeks later. Expired sessions go (as `clearsessions` does); in
    the others an expired pending login is dropped. Returns how many sessions were cleaned.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):  # sessions in a cache or cookies expire there
        return 0
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    now = now if now is not None else time.time()
    lifetime = max(app_settings.LOGIN_TIMEOUT, app_settings.LOGIN_BY_CODE_TIMEOUT)
    cleaned = 0
    for row in Session.objects.filter(expire_date__gte=timezone.now()).iterator(chunk_size=500):
        data = store().decode(row.session_data)
        pending = data.get(PENDING_LOGIN_KEY)
        if not isinstance(pending, dict):
            continue
        if now - float(pending.get("initiated_at") or 0) <= lifetime:
            continue
        del data[PENDING_LOGIN_KEY]
        # Only if the row is as read: a request saving this session meanwhile wins.
        changed = Session.objects.filter(
            session_key=row.session_key, session_data=row.session_data
        ).update(session_data=store().encode(data))
        if changed and hasattr(store, "cache_key_prefix"):
            # Sessions read through a cache (cached_db) would still hold the code there.
            caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key_prefix + row.session_key)
        cleaned += changed
    return cleaned
