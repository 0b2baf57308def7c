"""How a field's label is written, the same on every form (includes/field.html and the
error summary). A label stands above its field, so it needs no colon; labels that come
from elsewhere (a column heading in an imported file, a question's text, a model's verbose
name) may bring one, and it is dropped here rather than in each form or template."""

from typing import Any

from django import template
from django.utils.text import capfirst

register = template.Library()


@register.filter
def label_text(label: Any) -> str:
    """The label without a trailing colon, with a capital first letter."""
    return capfirst(str(label).rstrip().rstrip(":").rstrip())


@register.filter
def label_lead(label: Any) -> str:
    """The label leading an error in the summary ("Email: Enter an email address."): a
    colon after it, unless it ends as a question or a sentence does."""
    text = label_text(label)
    return text if text.endswith(("?", "!", ".")) else f"{text}:"
