import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cairn.lib.safety import id_param
from cairn.members.models import Channel, ConsentPurpose, Sector
from cairn.outreach.audience import audience_sources
from cairn.outreach.merge import MERGE_FIELDS, about_fields, unknown_fields
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
    channel = forms.ChoiceField(
        label=_("Preferred channel"),
        choices=[("", _("Any channel")), *Channel.choices],
        required=False,
    )
    # This page's own key, kept through the preview: the same send twice is sent once.
    send_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["send_key"].initial = secrets.token_urlsafe(16)
        if self.is_bound and not self.data.get("send_key"):
            # A page posted without one (an old tab, a hand-made request) gets one now,
            # shown again with the preview, so its send is still made once.
            self.data = self.data.copy()
            self.data["send_key"] = self.fields["send_key"].initial
        # Links to other apps' records ("registered for event") come from their sources.
        keys = []
        for source in audience_sources():
            keys.append(source.key)
            self.fields[source.key] = forms.ModelChoiceField(
                label=source.label,
                queryset=source.choices(),
                required=False,
                empty_label=source.empty_label,
            )
        self.order_fields(["subject", "body", "purpose", "sector", "region", *keys, "channel"])

    def _known_fields_only(self, text: str) -> str:
        unknown = unknown_fields(text)
        if unknown:
            raise forms.ValidationError(
                _("Unknown merge field: %(fields)s")
                % {"fields": ", ".join("{" + f + "}" for f in unknown)}
            )
        return text

    def clean_subject(self):
        return self._known_fields_only(self.cleaned_data["subject"])

    def clean_body(self):
        return self._known_fields_only(self.cleaned_data["body"])

    def clean(self):
        data = super().clean()
        sources = audience_sources()
        if any(data.get(source.key) for source in sources):
            return data
        for name in ("body", "subject"):
            used = about_fields(data.get(name) or "")
            if used and sources:
                self.add_error(
                    name,
                    ngettext(
                        "%(fields)s is filled in from the event chosen under “%(label)s”: "
                        "choose one, or take it out.",
                        "%(fields)s are filled in from the event chosen under “%(label)s”: "
                        "choose one, or take them out.",
                        len(used),
                    )
                    % {
                        "fields": " and ".join("{" + f + "}" for f in used),
                        "label": sources[0].label,
                    },
                )
                break
        return data

    def audience_dict(self) -> dict:
        data = self.cleaned_data
        return {
            "sector": data.get("sector", ""),
            "region": data.get("region", ""),
            "channel": data.get("channel", ""),
            **{
                source.key: data[source.key].pk
                for source in audience_sources()
                if data.get(source.key)
            },
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


class _Ids(forms.Field):
    """Every id posted under one name; anything that is not an id is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [pk for pk in (id_param(str(v)) for v in values) if pk]


class MarkSeenForm(forms.Form):
    """The web messages on the inbox page that the person has now read.

    The service marks only the person's own delivered messages, so ids of anyone
    else's, or of messages already read in another tab, change nothing.
    """

    delivery = _Ids(required=False)


class ComposeActionForm(forms.Form):
    """Which button sent the compose form (preview or send), and the tick that confirms."""

    action = forms.ChoiceField(
        choices=[("preview", "preview"), ("send", "send")],
        required=False,
        error_messages={"invalid_choice": _("Choose to preview or to send the message.")},
    )
    confirm = forms.BooleanField(required=False)


class DeliveryActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("retry", "retry"), ("resolve", "resolve")],
        error_messages={
            "required": _("Choose to send it again or to mark it as dealt with."),
            "invalid_choice": _("Choose to send it again or to mark it as dealt with."),
        },
    )
    # The service trims a long note to what the reason column holds.
    note = forms.CharField(required=False)


class BatchActionForm(forms.Form):
    """A letter batch's buttons: prepare its files (again), or mark its letters posted."""

    action = forms.ChoiceField(
        choices=[("prepare", "prepare"), ("posted", "posted")],
        error_messages={
            "required": _("Choose to prepare the letters or to mark them as posted."),
            "invalid_choice": _("Choose to prepare the letters or to mark them as posted."),
        },
    )
    confirm = forms.BooleanField(required=False)
