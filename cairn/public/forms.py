from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.events.forms import check_ranks, rank_fields
from cairn.lib.safety import SingleLineFields
from cairn.members.models import AccessNeed, Sector


class PublicRegistrationForm(SingleLineFields, forms.Form):
    """Registering for an event without an account."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("We send the joining details and a calendar file here."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("No email? Give a phone number and we will call you with the details."),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=200, required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector (optional)"), choices=[("", "—"), *Sector.choices], required=False
    )
    needs = forms.MultipleChoiceField(
        label=_("What would help you take part?"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_needs = forms.CharField(
        label=_("Anything else we should know (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    consent_event = forms.BooleanField(
        label=_("Contact me about this event: confirmation, joining details and a reminder"),
        required=True,
        error_messages={"required": _("We need this to send you the joining details.")},
    )
    consent_quote = forms.BooleanField(
        label=_("You may quote what I say in reports, without my name"), required=False
    )
    # Left empty by people; bots fill every field they find (includes/field.html hides it).
    honeypot = "website"
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        rank_fields(self, list(themes))
        ranks = [name for name in self.fields if name.startswith("rank_")]
        self.order_fields(
            ["first_name", "last_name", "email", "phone", "organisation", "sector", *ranks]
        )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not (data.get("phone") or "").strip():
            # On the email field, so the error summary links to a box to type in and the
            # box is marked; a form-wide error pointed at nothing.
            self.add_error("email", _("Give an email address or a phone number."))
        check_ranks(self)
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class CancelMyPlaceForm(forms.Form):
    """The one button on a person's own registration page: nothing else is posted."""
