from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.lib.forms import ColumnMappingForm, flag
from cairn.lib.safety import SingleLineFields, id_param
from cairn.members.import_fields import FIELDS
from cairn.members.models import (
    AccessNeed,
    Channel,
    ConsentMethod,
    ConsentPurpose,
    Organisation,
    Person,
)
from cairn.members.services import PERSON_DETAIL_FIELDS

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class PersonForm(SingleLineFields, forms.ModelForm):
    access_needs = forms.MultipleChoiceField(
        label=_("Access needs"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = PERSON_DETAIL_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "access_notes": forms.Textarea(attrs={"rows": 2}),
        }


class NewPersonForm(PersonForm):
    """Adding a person: their details and the consents they gave, with when and how."""

    consents = forms.MultipleChoiceField(
        label=_("They agreed to"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentMethod.choices, required=False
    )
    consent_date = forms.DateField(
        label=_("Date consent was given"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person, add them anyway"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(archived_at__isnull=True)

    def clean(self):
        data = super().clean()
        if data.get("consents") and not data.get("consent_method"):
            self.add_error("consent_method", _("Say how the consent was given."))
        return data


class OwnLoginOnFileForm(SingleLineFields, forms.Form):
    """A login with no person on file names itself; the rest waits on "My details"."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("For login codes, password resets and the network's messages to you."),
    )


class MyDetailsForm(PersonForm):
    consent = forms.MultipleChoiceField(
        label=_("I agree to"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(PersonForm.Meta):
        fields = [
            "job_title",
            "email",
            "phone",
            "address",
            "postcode",
            "preferred_channel",
            "access_needs",
            "access_notes",
            "language",
            "visible_in_directory",
            "listed_publicly",
            "show_email",
            "show_phone",
        ]

    # The contact detail each channel needs, and what to say when it is missing.
    NEEDS = {
        Channel.EMAIL: (
            "email",
            _("You chose to hear from us by email: add your email address, or choose another way."),
        ),
        Channel.PHONE: (
            "phone",
            _("You chose to hear from us by phone: add your phone number, or choose another way."),
        ),
        Channel.POST: (
            "address",
            _("You chose to hear from us by post: add your postal address, or choose another way."),
        ),
    }

    def clean(self) -> dict:
        data = super().clean()
        need = self.NEEDS.get(data.get("preferred_channel"))
        if need is not None:
            field, message = need
            # A field with its own error (an email that is not one) already says enough.
            if field not in self.errors and not (data.get(field) or "").strip():
                self.add_error(field, message)
        return data


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("Agreed"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class OrganisationForm(SingleLineFields, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "region",
            "topics",
            "description",
            "how_to_work_with_us",
            "contact_email",
            "contact_phone",
            "website",
            "listed_publicly",
        ]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_("CSV (any delimiter, UTF-8 or Windows-1252) or Excel .xlsx"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 50 MB; split it or use the command line.")
            )
        return upload


def mapping_choices():
    return [("", _("— ignore this column —")), *FIELDS.items()]


class ArchiveForm(forms.Form):
    # The archive button posts nothing (or 1); "Bring back from the archive" posts 0.
    archive = flag(default=True)


class MergeForm(forms.Form):
    """The record to merge into the kept one, and the tick that says go."""

    other = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the record to merge."),
            "invalid_choice": _("That record cannot be merged: choose another one."),
        },
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, kept: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Person.objects.filter(anonymised_at__isnull=True).exclude(
            pk=kept.pk
        )


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Type the person's full name exactly to confirm.")},
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["confirm_name"].label = _("Type “%(name)s” to confirm") % {
            "name": person.full_name
        }

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"].strip()
        if typed != self.person.full_name:
            raise forms.ValidationError(_("Type the person's full name exactly to confirm."))
        return typed


DECISIONS = ("merge", "keep")


class ImportPreviewForm(ColumnMappingForm):
    """The preview page: a field for each column, a decision for each likely duplicate
    (dup-<line>), what else to do with the people, and the tick that applies it."""

    invalid_choice = _("Choose a Cairn field from the list.")

    action = forms.ChoiceField(
        choices=[("remap", "remap"), ("apply", "apply")],
        required=False,
        error_messages={"invalid_choice": _("Choose to update the preview or to import.")},
    )
    followup = forms.CharField(required=False, max_length=200)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, headers=headers, choices=mapping_choices(), **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["mapping"] = dict(zip(self.headers, self.chosen(), strict=True))
        # The duplicates are known only once the file is read with the mapping, so their
        # decisions are read by name rather than declared as fields.
        decisions: dict[int, str] = {}
        for key, value in self.data.items():
            if not key.startswith("dup-"):
                continue
            line = id_param(key[4:])
            if line is None or value not in DECISIONS:
                raise forms.ValidationError(
                    _("Choose merge or keep both for each likely duplicate.")
                )
            decisions[line] = value
        data["decisions"] = decisions
        if data.get("action") == "apply" and not data.get("confirm"):
            self.add_error("confirm", _("Tick the box to confirm the import."))
        return data
