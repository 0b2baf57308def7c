from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.events.models import Event
from cairn.members.models import Channel, ConsentPurpose, Sector
from cairn.outreach.merge import MERGE_FIELDS, unknown_fields
from cairn.outreach.models import CallOutcomeKind


class ComposeForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Merge fields: %(fields)s")
        % {"fields": ", ".join("{" + f + "}" for f in MERGE_FIELDS)},
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=ConsentPurpose.choices,
        help_text=_("Only people who agreed to this purpose are contacted."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    event = forms.ModelChoiceField(
        label=_("Registered for event"),
        queryset=Event.objects.all(),
        required=False,
        empty_label=_("Anyone"),
    )
    channel = forms.ChoiceField(
        label=_("Preferred channel"),
        choices=[("", _("Any channel")), *Channel.choices],
        required=False,
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = unknown_fields(body)
        if unknown:
            raise forms.ValidationError(
                _("Unknown merge field: %(fields)s")
                % {"fields": ", ".join("{" + f + "}" for f in unknown)}
            )
        return body

    def audience_dict(self) -> dict:
        data = self.cleaned_data
        return {
            "sector": data.get("sector", ""),
            "region": data.get("region", ""),
            "event": data["event"].pk if data.get("event") else None,
            "channel": data.get("channel", ""),
        }


class CallOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=CallOutcomeKind.choices, widget=forms.RadioSelect
    )
    call_back_on = forms.DateField(
        label=_("Call back on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    passed_on = forms.CharField(
        label=_("Words they want passed on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write them as they say them; they become a phone contribution."),
    )
    consent_to_quote = forms.BooleanField(
        label=_("They agree to be quoted in reports"), required=False
    )
    notes = forms.CharField(
        label=_("Notes for the team"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
