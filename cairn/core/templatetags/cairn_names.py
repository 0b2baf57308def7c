"""People are shown by their name, never by their login name."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """The person's name for a login: their member record, else the account's name."""
    if user is None or not getattr(user, "pk", None):
        return ""
    person = getattr(user, "person", None)
    if person is not None and person.full_name:
        return person.full_name
    return user.get_full_name() or user.get_username()
