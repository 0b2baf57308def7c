"""The login, invitation and role controls for a person's page, as one include."""

from typing import Any

from django import template

from cairn.accounts import services
from cairn.accounts.forms import RoleForm
from cairn.accounts.models import InviteChannel
from cairn.core.roles import Role
from cairn.members.models import Person

register = template.Library()


@register.inclusion_tag("accounts/_person_access.html", takes_context=True)
def person_access(context: Any, person: Person) -> dict:
    user = person.user
    role = None
    if user is not None:
        role = Role.COORDINATOR if user.is_superuser else services.role_in_groups(user)
    open_invite = next((i for i in person.invites.all()[:5] if i.is_open), None)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "p": person,
        "login": user,
        "role": role,
        "role_form": RoleForm(initial={"role": role.value}) if role else None,
        "open_invite": open_invite,
        "can_invite": any(not services.invite_problem(person, c) for c in InviteChannel.values),
        "is_self": user is not None
        and context.get("user") is not None
        and context["user"].pk == user.pk,
    }
