"""Helpers for the small forms that a button posts (move, hide, confirm)."""

from django import forms
from django.utils.translation import gettext_lazy as _


def first_error(form: forms.Form) -> str:
    """The first problem of a form whose page is not drawn again (it goes in a message)."""
    for errors in form.errors.values():
        return str(errors[0])
    return ""


def flag(*, default: bool) -> forms.TypedChoiceField:
    """A hidden on/off value ("1" or "0") that a button posts, e.g. hide or show again.

    Missing means `default`; anything else than 1 or 0 is an error, not a guess."""
    return forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        required=False,
        empty_value=default,
        error_messages={"invalid_choice": _("That button sent an odd value; reload the page.")},
    )


def direction() -> forms.ChoiceField:
    """Up or down, posted by the arrows that move an item in a list."""
    return forms.ChoiceField(
        choices=[("up", "up"), ("down", "down")],
        error_messages={
            "required": _("Choose to move it up or down."),
            "invalid_choice": _("Choose to move it up or down."),
        },
    )
