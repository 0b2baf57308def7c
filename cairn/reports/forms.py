"""The report pages' forms: every action reads one, so an odd value is a message, not a 500."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.consultations.models import Consultation
from cairn.events.models import Event
from cairn.lib.forms import direction, flag
from cairn.lib.safety import SingleLineFields
from cairn.reports.sending import AUDIENCES


class EventReportForm(forms.Form):
    event = forms.ModelChoiceField(
        queryset=Event.objects.all(),
        error_messages={
            "required": _("Choose an event."),
            "invalid_choice": _("Choose an event from the list."),
        },
    )


class BriefingForm(SingleLineFields, forms.Form):
    events = forms.ModelMultipleChoiceField(
        queryset=Event.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": _("Choose the events from the list."),
            "invalid_pk_value": _("Choose the events from the list."),
        },
    )
    consultations = forms.ModelMultipleChoiceField(
        queryset=Consultation.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": _("Choose the consultations from the list."),
            "invalid_pk_value": _("Choose the consultations from the list."),
        },
    )
    # The service trims a long title; a form limit would only lose what was typed.
    title = forms.CharField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("events") and not data.get("consultations"):
            raise forms.ValidationError(
                _("Choose at least one event or consultation for the briefing.")
            )
        return data


class SectionForm(SingleLineFields, forms.Form):
    heading = forms.CharField(
        label=_("Heading"),
        max_length=200,
        error_messages={"required": _("A section needs a heading.")},
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Separate paragraphs with a blank line. Start lines with “- ” to make a list. "
            "Sentences you leave unchanged keep their links to the contributions they came from."
        ),
    )


class MoveForm(forms.Form):
    direction = direction()


class HiddenForm(forms.Form):
    # The buttons post 1 to hide and 0 to show again.
    hidden = flag(default=False)


class RenameForm(SingleLineFields, forms.Form):
    label = forms.CharField(error_messages={"required": _("A theme needs a name.")})


class NextStepsForm(forms.Form):
    next_steps = forms.CharField(required=False, strip=False)


class UnpublishForm(forms.Form):
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to confirm taking the report down.")}
    )


class SendForm(forms.Form):
    audience = forms.ChoiceField(
        choices=[(a, a) for a in AUDIENCES],
        required=False,
        error_messages={"invalid_choice": _("Choose the people registered or all members.")},
    )
    confirm = forms.BooleanField(
        required=False,
    )

    def clean_audience(self) -> str:
        return self.cleaned_data["audience"] or AUDIENCES[0]


class PrepareFileForm(forms.Form):
    """The Prepare (or Try again) button of a report's PDF or DOCX."""

    version = forms.ChoiceField(
        choices=[("draft", "draft"), ("public", "public"), ("published", "published")],
        error_messages={
            "required": _("That button sent an odd value; reload the page."),
            "invalid_choice": _("That button sent an odd value; reload the page."),
        },
    )
    large = flag(default=False)
