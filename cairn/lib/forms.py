"""Helpers for the small forms that a button posts (move, hide, confirm)."""

from typing import Any

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


class ColumnMappingForm(forms.Form):
    """A select per column of an uploaded file (map-0, map-1...) saying what it holds:
    the members' import and the consultations' import match their columns with it.

    ``choices`` may be grouped, as a ChoiceField takes them; "" is "ignore this column".
    The page draws the ids itself (map-0): the error summary links to them.
    """

    invalid_choice = _("Choose what the column holds from the list.")

    def __init__(self, *args: Any, headers: list[str], choices: list, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.headers = headers
        for i, header in enumerate(headers):
            self.fields[f"map-{i}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                error_messages={"invalid_choice": self.invalid_choice},
            )

    def chosen(self) -> list[str]:
        """Each column's choice, in the file's order ("" for a column ignored)."""
        return [self.cleaned_data.get(f"map-{i}", "") for i in range(len(self.headers))]
