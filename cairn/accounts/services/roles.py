"""Roles, held as the login's groups; the network always keeps an active coordinator."""

from typing import Any

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cairn.accounts.services.errors import AccountError
from cairn.core import audit
from cairn.core.roles import Role
from cairn.members.models import Person
from cairn.members.services import PersonError


def _role_group(role: Role) -> Group:
    group, _ = Group.objects.get_or_create(name=role.group_name)
    return group


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


def refuse_erasing_last_coordinator(person: Person) -> None:
    """Erasing a record closes its login: refuse it (`PersonError`, which the erasure
    answers with a message) when that login is the network's last active coordinator.

    Called inside the erasure's transaction, through members' `person_erasing` signal.
    """
    if person.user_id is None:
        return
    _lock_coordinators()
    user = User.objects.get(pk=person.user_id)
    if not user.is_active:
        return
    if (user.is_superuser or role_in_groups(user) == Role.COORDINATOR) and not (
        active_coordinators().exclude(pk=user.pk).exists()
    ):
        raise PersonError(
            _("This is the network's last coordinator: make someone else a coordinator first.")
        )
