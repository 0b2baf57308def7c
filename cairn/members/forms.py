from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.lib.safety import SingleLineFields
from cairn.members.import_fields import FIELDS
from cairn.members.models import AccessNeed, ConsentMethod, ConsentPurpose, Organisation, Person
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
