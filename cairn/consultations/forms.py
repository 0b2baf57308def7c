from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.consultations.models import Consultation, Question, QuestionKind


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "asked_by",
            "introduction",
            "privacy_notice",
            "return_address",
            "allow_anonymous",
            "closes_on",
        ]
        widgets = {
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "privacy_notice": forms.Textarea(attrs={"rows": 4}),
            "return_address": forms.Textarea(attrs={"rows": 4}),
        }


class QuestionForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)

    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "help_text",
            "choices_text",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
            "required",
        ]
        widgets = {"choices_text": forms.Textarea(attrs={"rows": 4})}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file exported from the other survey tool"),
        help_text=_(
            "Google Forms, Microsoft Forms, SurveyMonkey (both header rows), Typeform, or any "
            "sheet with one row per response and the questions as column headings."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)
