"""The three roles and the checks every view uses.

Roles are Django groups so coordinators can manage them in the admin. A
superuser counts as a coordinator. Everyone logged in is at least a member.
"""

from collections.abc import Callable
from enum import IntEnum
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


class Role(IntEnum):
    # Ordered: a higher role may do everything a lower one may.
    MEMBER = 1
    FACILITATOR = 2
    COORDINATOR = 3

    @property
    def group_name(self) -> str:
        return {1: "Members", 2: "Facilitators", 3: "Coordinators"}[self.value]


def is_signed_in(user: Any) -> bool:
    """Logged in with an active account: everyone who has a role, at least Member."""
    return getattr(user, "is_authenticated", False) and user.is_active


def role_of(user: Any) -> Role | None:
    if not is_signed_in(user):
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    cached = getattr(user, "_cairn_role", None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = Role.MEMBER
    for candidate in (Role.COORDINATOR, Role.FACILITATOR):
        if candidate.group_name in names:
            role = candidate
            break
    user._cairn_role = role
    return role


def has_role(user: Any, role: Role) -> bool:
    if role == Role.MEMBER:
        # Everyone signed in is a member: no need to read their groups (a query) to know it.
        return is_signed_in(user)
    actual = role_of(user)
    return actual is not None and actual >= role


def is_coordinator(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def role_required(role: Role) -> Callable:
    """Decorator for views: anonymous users go to login, too-low roles get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


member_required = role_required(Role.MEMBER)
facilitator_required = role_required(Role.FACILITATOR)
coordinator_required = role_required(Role.COORDINATOR)
