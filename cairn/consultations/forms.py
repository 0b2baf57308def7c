import re
import secrets
from typing import Any

from django import forms
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _

from cairn.consultations.models import (
    Consultation,
    ConsultationStatus,
    Question,
    QuestionKind,
    ResponseChannel,
)
from cairn.consultations.services import columns as matching
from cairn.consultations.services import paper
from cairn.consultations.services.importing import MAX_BYTES as MAX_IMPORT_BYTES
from cairn.consultations.services.importing import too_large
from cairn.lib.forms import ColumnMappingForm, direction
from cairn.members.models import Channel, Person, Sector, one_caller


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

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused by its size before it is read into memory, with the limit named.
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(too_large(upload.size))
        return upload


def column_choices(questions: list[Question], *, new_allowed: bool) -> list:
    """What a column of a survey export may hold, grouped as the matching page shows it."""
    groups: list = [(matching.IGNORE, _("— ignore this column —"))]
    if questions:
        groups.append(
            (
                _("Questions"),
                [(matching.question_target(q), f"Q{q.number}. {q.text[:80]}") for q in questions],
            )
        )
    groups.append(
        (
            _("About the respondent"),
            [
                ("email", _("Email (links the response to a member)")),
                ("name", _("Name")),
                ("sector", _("Sector")),
                ("submitted", _("Time the response was sent")),
            ],
        )
    )
    if new_allowed:
        groups.append(
            (
                _("A new question made from this column"),
                [
                    (matching.new_target(QuestionKind.OPEN), _("New question: open text")),
                    (matching.new_target(QuestionKind.SINGLE), _("New question: one choice")),
                    (
                        matching.new_target(QuestionKind.MULTIPLE),
                        _("New question: several choices"),
                    ),
                    (matching.new_target(QuestionKind.SCALE), _("New question: a scale")),
                ],
            )
        )
    return groups


class ColumnsForm(ColumnMappingForm):
    """The matching page of a response import: what each column holds (map-0...), and
    where columns may become new questions, the wording of each (text-0...)."""

    def __init__(self, *args: Any, wordings: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, header in enumerate(self.headers if wordings is not None else []):
            self.fields[f"text-{i}"] = forms.CharField(
                label=_("Wording, if it becomes a new question"),
                max_length=Question._meta.get_field("text").max_length,
                required=False,
                initial=wordings[i] if i < len(wordings) else header,
            )

    def wordings(self) -> list[str]:
        """Each column's wording for a new question ("" where there is no field)."""
        return [self.cleaned_data.get(f"text-{i}", "") for i in range(len(self.headers))]


def _sector_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *Sector.choices]


class AnswerDetailsForm(forms.Form):
    """What the web questionnaire asks besides its questions.

    The questions themselves are checked by `answering.save_web_answers`, which knows each
    question's kind; ids are the field names, as the questions' are `q<pk>`.
    """

    sector = forms.ChoiceField(
        label=_("Which best describes you? (optional)"),
        help_text=_("Only used to count answers by sector; it does not identify you."),
        required=False,
        choices=(),
    )
    consent_to_quote = forms.BooleanField(
        label=_("You may quote my words, without my name, in reports"), required=False
    )

    def __init__(self, *args: Any, ask_sector: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="%s", **kwargs)
        if ask_sector:
            self.fields["sector"].choices = _sector_choices(str(_("Prefer not to say")))
        else:
            # A person on file has their sector on their record.
            del self.fields["sector"]


PICKER_LIST_LIMIT = 1000  # people offered as you type; the search below finds anyone


def _picker_choice(person: Person) -> str:
    """How a person reads in the picker's list: name and organisation, the last digits of
    their phone (enough to tell two Jeans apart by the caller's number, without putting
    every member's number in the page of a volunteer who may not see them), and their
    record's number (#42) last, which is how the choice is read back."""
    digits = "".join(ch for ch in person.phone if ch.isdigit())
    parts = [person.full_name, person.organisation.name if person.organisation_id else ""]
    parts += [f"phone …{digits[-4:]}" if len(digits) >= 4 else "", f"#{person.pk}"]
    return " · ".join(p for p in parts if p)


class PersonPickerField(forms.CharField):
    """Who is answering, typed and picked from a list that filters as you type (a
    datalist: name, organisation, phone or email): usable with thousands of members, and
    without JavaScript. Typed text that is not a list entry is searched for: one match is
    taken, several or none are explained."""

    default_error_messages = {
        "none": _(
            "Nobody on file matches “%(q)s”. Choose someone from the list, or leave this "
            "empty and type the name they gave below."
        ),
        "several": _(
            "%(n)d people match “%(q)s”: choose one from the list, which shows their "
            "organisation and the last digits of their phone number."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=300, required=False, strip=True, **kwargs)

    @staticmethod
    def people():
        return Person.objects.filter(anonymised_at__isnull=True).select_related("organisation")

    def clean(self, value: Any) -> Person | None:
        text = super().clean(value)
        if not text:
            return None
        picked = re.search(r"#(\d+)\s*$", text)
        if picked and (person := self.people().filter(pk=picked.group(1)).first()):
            return person
        person, count = one_caller(self.people(), text)
        if person is not None:
            return person
        code = "several" if count else "none"
        raise forms.ValidationError(self.error_messages[code] % {"n": count, "q": text}, code=code)


class EntryForm(forms.Form):
    """Who answered a phone call or a paper form, beside the answers typed for it.

    On paper the form itself says who it was for, so only the two boxes are asked.
    """

    person = PersonPickerField(
        label=_("Who is answering"),
        help_text=_(
            "Type their name, phone number or email and choose them from the list. Leave it "
            "empty for someone not on file (type the name they gave below) or anonymous."
        ),
        widget=forms.TextInput(
            attrs={"autofocus": True, "list": "people-list", "autocomplete": "off"}
        ),
    )
    respondent_name = forms.CharField(
        label=_("Name given (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    sector = forms.ChoiceField(label=_("Sector (when not in the list)"), required=False, choices=())
    consent_to_quote = forms.BooleanField(
        label=_("They agreed to be quoted without their name"), required=False
    )
    incomplete = forms.BooleanField(required=False)
    # One per filling-in of the form: sent twice, it is saved once (answering.enter_response).
    entry_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, channel: str, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="%s", **kwargs)
        self.fields["entry_key"].initial = secrets.token_urlsafe(16)
        if channel == ResponseChannel.PAPER:
            for name in ("person", "respondent_name", "sector"):
                del self.fields[name]
            self.fields["incomplete"].label = _(
                "Some required questions were left blank on the form: save what is there"
            )
        else:
            self.fields["sector"].choices = _sector_choices(str(_("Not given")))
            self.fields["incomplete"].label = _(
                "The call ended before every question was answered: save what we have"
            )

    def people_list(self) -> list[str]:
        """The picker's list: those who prefer phone first (most calls are theirs), then
        everyone else, up to PICKER_LIST_LIMIT; typing a name or number finds anyone."""
        if "person" not in self.fields:
            return []
        phone_first = Case(When(preferred_channel=Channel.PHONE, then=0), default=1)
        people = PersonPickerField.people().order_by(phone_first, "last_name", "first_name")
        return [_picker_choice(p) for p in people[:PICKER_LIST_LIMIT]]


def posted_answers(
    data: Any, consultation: Consultation, *, several: bool = True
) -> dict[int, list[str]]:
    """The answers posted under q<pk>, one list per question, as typed.

    Questions are rows, not form fields, so they are read by name here; the service
    (answering.clean_answers) checks each against its question's kind and options, and
    the page shows its errors in the error summary. `several`: every ticked option of a
    question (the web form); else the one box each question has (the entry form).
    """
    questions = consultation.questions.all()
    if several:
        return {q.pk: data.getlist(f"q{q.pk}") for q in questions}
    return {q.pk: [data.get(f"q{q.pk}", "")] for q in questions}


class MoveQuestionForm(forms.Form):
    direction = direction()


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=ConsultationStatus.choices,
        error_messages={
            "required": _("Choose a status from the list."),
            "invalid_choice": _("Choose a status from the list."),
        },
    )


class EntryChannelForm(forms.Form):
    """Which entry page (phone or paper), and the paper form's code, from the link or the
    form; an unknown channel is the phone page, as the links only ever name these two."""

    channel = forms.CharField(required=False)
    code = forms.CharField(required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("channel") not in (ResponseChannel.PHONE, ResponseChannel.PAPER):
            data["channel"] = ResponseChannel.PHONE
        return data


class PaperFormsForm(forms.Form):
    """Print blank forms (`blank`: how many), or issue one to everyone due (`confirm`)."""

    blank = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=paper.MAX_BLANK_FORMS,
        error_messages={
            "invalid": _("Print between 1 and %(max)s blank forms at a time.")
            % {"max": paper.MAX_BLANK_FORMS},
            "min_value": _("Print between 1 and %(max)s blank forms at a time.")
            % {"max": paper.MAX_BLANK_FORMS},
            "max_value": _("Print between 1 and %(max)s blank forms at a time.")
            % {"max": paper.MAX_BLANK_FORMS},
        },
    )
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The blank-forms button always posts a number; an empty box is no number.
        if "blank" in self.data and data.get("blank") is None and "blank" not in self.errors:
            self.add_error("blank", self.fields["blank"].error_messages["invalid"])
        return data
