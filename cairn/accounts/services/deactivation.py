"""Deactivating and reactivating a login; the last active coordinator cannot be."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.services.errors import AccountError
from cairn.accounts.services.roles import (
    _lock_coordinators,
    _user_of,
    active_coordinators,
    role_in_groups,
)
from cairn.core import audit
from cairn.core.roles import Role
from cairn.members.models import Person


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
