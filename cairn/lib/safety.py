"""Small guards for what comes from the browser: redirect targets and numbers."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# The largest id a database column holds (signed 64-bit); SQLite raises past it.
MAX_ID = 2**63 - 1


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the form asked for when it stays on this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def id_param(value: str | None) -> int | None:
    """A query-string id, or None when it is not one a database could hold."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


# Spreadsheets run a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def validate_email_is_not_a_formula(value: str) -> None:
    """`=cmd|'/Ccalc'!A0@example.org` is a valid address to Django and a command to Excel."""
    if value and (value.startswith(FORMULA_STARTS) or "|" in value):
        raise ValidationError(
            _("An email address cannot start with = + - @ or contain |."), code="formula"
        )


def validate_single_line(value: str) -> None:
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        raise ValidationError(_("This must be on one line."), code="line_break")


class SingleLineFields:
    """Form mixin: every one-line text box refuses line breaks; emails refuse formulas.

    A title with a line break in it can end up in an email header or a CSV row.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.EmailField):
                field.validators.append(validate_email_is_not_a_formula)
            if isinstance(field, forms.CharField) and type(field.widget) in (
                forms.TextInput,
                forms.EmailInput,
            ):
                field.validators.append(validate_single_line)
