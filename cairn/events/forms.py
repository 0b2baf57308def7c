import itertools
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cairn.events.models import (
    BreakoutGroup,
    BreakoutRole,
    Event,
    FeedbackChannel,
    RegistrationChannel,
    RegistrationStatus,
)
from cairn.lib.safety import MAX_ID, SingleLineFields
from cairn.members.models import Channel, Organisation, Person, one_caller
from cairn.members.services import likely_duplicates

MAX_RANKS = 3
RANK_LABELS = [_("First choice"), _("Second choice"), _("Third choice")]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc"))
    return [(z, z.replace("_", " ")) for z in zones]


class EventForm(SingleLineFields, forms.ModelForm):
    """Times are typed as wall-clock times in the event's own time zone."""

    timezone = forms.ChoiceField(label=_("Time zone"), choices=_zone_choices)
    tell_registered = forms.BooleanField(
        label=_("Tell everyone registered or waiting if the time, link, dial-in or venue changes"),
        help_text=_("Each by their own channel, with the calendar entry replaced."),
        required=False,
        initial=True,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "summary",
            "description",
            "starts_at",
            "ends_at",
            "timezone",
            "format",
            "video_link",
            "dial_in",
            "venue",
            "capacity",
            "status",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "dial_in": forms.Textarea(attrs={"rows": 2}),
            "venue": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.timezone if self.instance.pk else "Europe/London"
        if not self.instance.pk:
            del self.fields["tell_registered"]  # nobody to tell yet
        self.fields["timezone"].initial = zone
        self.fields["status"].choices = [
            c for c in self.fields["status"].choices if c[0] != "cancelled"
        ]
        for name in ("starts_at", "ends_at"):
            value = getattr(self.instance, name, None)
            if value:
                self.initial[name] = timezone.localtime(value, ZoneInfo(zone)).strftime(
                    "%Y-%m-%dT%H:%M"
                )

    def clean(self):
        data = super().clean()
        zone = data.get("timezone") or "Europe/London"
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if isinstance(value, datetime):
                # The field made it aware in the server's zone; re-read the wall time in the event's.
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = timezone.make_aware(naive, ZoneInfo(zone))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts."))
        if data.get("format") in ("online", "hybrid") and not data.get("video_link"):
            self.add_error("video_link", _("Online and hybrid events need a video link."))
        if data.get("format") in ("in_person", "hybrid") and not data.get("venue"):
            self.add_error("venue", _("In-person and hybrid events need a venue."))
        return data


class Speakers:
    """The people a speaker is picked from, read once for the whole agenda (one query,
    however many rows): the picker's list and what each row's choice is read back from.

    Archived and erased people are left out, except the speakers already chosen (`keep`),
    so editing an event never drops one. Ordered by organisation (A to Z), then those with
    none, as a speaker is usually looked for by where they work."""

    def __init__(self, keep: Iterable[int] = ()) -> None:
        people = (
            Person.objects.filter(anonymised_at__isnull=True)
            .filter(Q(archived_at__isnull=True) | Q(pk__in=list(keep)))
            .select_related("organisation")
        )
        self.people: dict[int, Person] = {
            p.pk: p
            for p in sorted(
                people,
                key=lambda p: (
                    p.organisation_id is None,
                    p.organisation.name.casefold() if p.organisation_id else "",
                    p.first_name.casefold(),
                    p.last_name.casefold(),
                    p.pk,
                ),
            )
        }

    @staticmethod
    def label(person: Person) -> str:
        """How a person reads in the list: name and organisation, so typing either finds
        them, and their record's number (#42) last, which is how the choice is read back."""
        where = person.organisation.name if person.organisation_id else ""
        return " · ".join(part for part in (person.full_name, where, f"#{person.pk}") if part)

    def labels(self) -> list[str]:
        return [self.label(p) for p in self.people.values()]


class SpeakerField(forms.CharField):
    """A speaker typed and picked from a list that filters as you type (a datalist: name
    or organisation), usable with hundreds of members and without JavaScript. Typed text
    that is not a list entry is searched for: one match is taken, several or none are
    explained."""

    default_error_messages = {
        "none": _("Nobody on file matches “%(q)s”. Choose a speaker from the list."),
        "several": _(
            "%(n)d people match “%(q)s”: choose one from the list, which shows their organisation."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=300, required=False, strip=True, **kwargs)
        self.speakers: Speakers | None = None

    def prepare_value(self, value: Any) -> Any:
        # Initial data holds the speaker's id (or the person); the box shows their entry.
        if isinstance(value, Person):
            return Speakers.label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            person = self.speakers.people.get(int(value)) if self.speakers else None
            if person is None:
                person = Person.objects.filter(pk=int(value)).first()
            return Speakers.label(person) if person else ""
        return value

    def clean(self, value: Any) -> Person | None:
        text = super().clean(value)
        if not text:
            return None
        known = self.speakers.people if self.speakers else {}
        # A list entry ends with the record's number; a bare number is one too (as the
        # drop-down this replaced posted it).
        picked = re.search(r"#(\d+)\s*$", text) or re.fullmatch(r"(\d{1,9})", text)
        if picked:
            pk = int(picked.group(1))
            person = (
                known.get(pk) or Person.objects.filter(pk=pk, anonymised_at__isnull=True).first()
            )
            if person is not None:
                return person
        person, count = one_caller(
            Person.objects.filter(anonymised_at__isnull=True, archived_at__isnull=True), text
        )
        if person is not None:
            return person
        code = "several" if count else "none"
        raise forms.ValidationError(self.error_messages[code] % {"n": count, "q": text}, code=code)


class AgendaItemForm(forms.Form):
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    title = forms.CharField(label=_("Item"), max_length=200, required=False)
    speaker = SpeakerField(
        label=_("Speaker"),
        widget=forms.TextInput(attrs={"list": "speaker-list", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, speakers: Speakers | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Read once for the whole agenda (`Speakers`) rather than a query per row.
        self.fields["speaker"].speakers = speakers if speakers is not None else Speakers()


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=3, max_num=40)


def rank_fields(form: forms.Form, themes) -> None:
    choices = [("", _("No preference"))] + [(str(t.pk), t.name) for t in themes]
    for index in range(min(MAX_RANKS, len(themes))):
        form.fields[f"rank_{index + 1}"] = forms.ChoiceField(
            label=RANK_LABELS[index], choices=choices, required=False
        )
    if themes:
        # "First choice" alone did not say of what: a visitor met three selects unexplained.
        form.fields["rank_1"].help_text = _(
            "The event splits into small discussion groups, each on a theme. "
            "Choose the themes you would most like to join, in order."
        )


def ranked_preferences(form: forms.Form) -> list[int]:
    return [
        int(form.cleaned_data[name])
        for name in sorted(n for n in form.cleaned_data if n.startswith("rank_"))
        if form.cleaned_data.get(name)
    ]


def check_ranks(form: forms.Form) -> None:
    chosen = [v for k, v in sorted(form.cleaned_data.items()) if k.startswith("rank_") and v]
    if len(chosen) != len(set(chosen)):
        raise forms.ValidationError(_("Choose each theme only once."))


def plain_registration(data: Any) -> tuple[str, list[int]] | None:
    """What RegistrationForm would clean from this POST (access needs, ranked theme ids),
    where that can be told without the event's themes; None where only the form can tell.

    The themes are the form's choices: without them a rank can be read only when it is
    plainly written, first choice first, and then it must still be one of the event's
    themes. Callers compare the result with what a registration already holds, which
    only valid choices can be.
    """
    access_needs = str(data.get("access_needs", "")).strip()
    if len(access_needs) > RegistrationForm.base_fields["access_needs"].max_length:
        return None
    if "\x00" in access_needs:
        return None  # the form refuses null characters
    ranks = [str(data.get(f"rank_{index}", "")) for index in range(1, MAX_RANKS + 1)]
    chosen = list(itertools.takewhile(bool, ranks))
    if any(ranks[len(chosen) :]):
        return None  # a gap: the form would rank by field name, skipping the blank
    if not all(
        value.isascii() and value.isdigit() and value == str(int(value)) for value in chosen
    ):
        return None
    return access_needs, [int(value) for value in chosen]


class RegistrationForm(forms.Form):
    access_needs = forms.CharField(
        label=_("Access needs for this event"),
        help_text=_(
            "For example captions, a BSL interpreter, large-print papers, step-free access."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        rank_fields(self, list(themes))

    def clean(self):
        data = super().clean()
        check_ranks(self)
        return data


class StaffRegistrationForm(RegistrationForm):
    """Register someone on file, or someone who phoned and is not on file yet."""

    person = forms.ModelChoiceField(
        label=_("Person on file"),
        queryset=Person.objects.filter(
            anonymised_at__isnull=True, archived_at__isnull=True
        ).select_related("organisation"),
        required=False,
        help_text=_("Leave empty and fill in “Someone new” below for a person not on file."),
    )
    channel = forms.ChoiceField(
        label=_("How did they ask?"),
        choices=[c for c in RegistrationChannel.choices if c[0] != RegistrationChannel.WEB],
    )
    new_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    new_last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    new_organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(archived_at__isnull=True),
        required=False,
    )
    new_email = forms.EmailField(label=_("Email"), required=False)
    new_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    new_address = forms.CharField(
        label=_("Postal address"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    new_postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    new_preferred_channel = forms.ChoiceField(
        label=_("How they want to hear from us"), choices=Channel.choices, required=False
    )
    new_consent = forms.BooleanField(
        label=_("They agreed to hear from us about events (confirmation and reminders)"),
        required=False,
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person from the ones listed"), required=False
    )
    field_order = ["person", "channel", "access_needs"]
    NEW_FIELDS = (
        "new_first_name",
        "new_last_name",
        "new_organisation",
        "new_email",
        "new_phone",
        "new_address",
        "new_postcode",
        "new_preferred_channel",
        "new_consent",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.organisation})" if p.organisation_id else p.full_name
        )
        self.duplicates: list[Person] = []

    def new_person_fields(self):
        return [self[name] for name in self.NEW_FIELDS] + [self["not_a_duplicate"]]

    def other_fields(self):
        hidden = set(self.NEW_FIELDS) | {"not_a_duplicate"}
        return [field for field in self if field.name not in hidden]

    def clean(self):
        data = super().clean()
        person, first = data.get("person"), (data.get("new_first_name") or "").strip()
        if person and first:
            raise forms.ValidationError(
                _("Choose a person on file or fill in someone new, not both.")
            )
        if not person and not first:
            raise forms.ValidationError(
                _("Choose a person on file, or give at least the first name of someone new.")
            )
        if first:
            if not (data.get("new_email") or data.get("new_phone") or data.get("new_address")):
                self.add_error(
                    "new_phone", _("Give an email, a phone number or an address to reach them.")
                )
            self.duplicates = list(
                likely_duplicates(
                    first_name=first,
                    last_name=data.get("new_last_name", ""),
                    email=data.get("new_email", ""),
                    organisation=data.get("new_organisation"),
                )[:10]
            )
            if self.duplicates and not data.get("not_a_duplicate"):
                raise forms.ValidationError(
                    _(
                        "This may be someone already on file: %(names)s. Choose them in the "
                        "list, or tick “this is a different person”."
                    )
                    % {"names": ", ".join(p.full_name for p in self.duplicates)}
                )
        return data

    def new_person_details(self) -> dict:
        data = self.cleaned_data
        details = {
            "first_name": data["new_first_name"].strip(),
            "last_name": data["new_last_name"].strip(),
            "organisation": data["new_organisation"],
            "email": data["new_email"],
            "phone": data["new_phone"],
            "address": data["new_address"],
            "postcode": data["new_postcode"],
        }
        channel = data.get("new_preferred_channel") or {
            RegistrationChannel.EMAIL: Channel.EMAIL,
            RegistrationChannel.PHONE: Channel.PHONE,
            RegistrationChannel.POST: Channel.POST,
        }.get(data["channel"], Channel.EMAIL)
        details["preferred_channel"] = channel
        return details


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the event?"),
        choices=[(5, _("5 – very useful")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 – not useful"))],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What should we do differently next time?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    consent_to_quote = forms.BooleanField(
        label=_("You may quote my comment in reports (without my name)"), required=False
    )


class StaffFeedbackForm(FeedbackForm):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.filter(anonymised_at__isnull=True),
        required=False,
        help_text=_("Leave empty for an anonymous paper form."),
    )
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[c for c in FeedbackChannel.choices if c[0] != FeedbackChannel.WEB],
    )
    field_order = ["person", "channel", "rating", "comment", "consent_to_quote"]


class ChatImportForm(forms.Form):
    file = forms.FileField(
        label=_("Chat or transcript file"),
        help_text=_(
            "Zoom chat (.txt, saved locally or from the cloud recording), Zoom's saved "
            "transcript (.txt), a Google Meet transcript or chat (.txt), a Teams transcript "
            "(.docx or .vtt), Teams chat copied into a .txt file, or a .vtt/.srt transcript."
        ),
    )
    recorded_timezone = forms.CharField(
        label=_("Time zone the chat was saved in"),
        required=False,
        max_length=64,
        help_text=_(
            "Only for a chat saved with clock times on a computer in another time zone "
            "than the event's, for example America/New_York. Leave empty for the event's."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)
    not_started_ok = forms.BooleanField(
        label=_("Import although the event has not started yet"), required=False
    )

    def __init__(self, *args: Any, not_started: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not not_started:
            del self.fields["not_started_ok"]  # asked only of an event still to come

    def clean_recorded_timezone(self) -> str:
        value = self.cleaned_data["recorded_timezone"].strip()
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise forms.ValidationError(
                    _("Unknown time zone %(tz)s; write it like Europe/London."),
                    params={"tz": value},
                ) from exc
        return value


class ImportCheckedChatForm(forms.Form):
    """ "Import these N messages" on a check's page: only the tick an event still to come asks."""

    not_started_ok = forms.BooleanField(
        label=_("Import although the event has not started yet"), required=False
    )


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participant report (CSV)"),
        help_text=_("The participants report your video tool exports, with names and emails."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    anonymous = forms.BooleanField(label=_("Post without my name"), required=False)


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to people registered (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ThemeForm(SingleLineFields, forms.Form):
    name = forms.CharField(label=_("Theme"), max_length=100)
    description = forms.CharField(label=_("Short description"), max_length=300, required=False)
    room_capacity = forms.IntegerField(
        label=_("Room capacity"), min_value=2, max_value=500, initial=8
    )


class MoveToGroupForm(forms.Form):
    """Move a registered person into a group by hand, as a participant or its lead."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        error_messages={
            "required": _("Choose who to move."),
            "invalid_choice": _("Choose someone registered for this event."),
        },
    )
    group = forms.ModelChoiceField(
        queryset=BreakoutGroup.objects.none(),
        error_messages={
            "required": _("Choose the group to move them to."),
            "invalid_choice": _("Choose one of this event's groups."),
        },
    )
    lead = forms.ChoiceField(
        choices=BreakoutRole.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose participant, facilitator or note-taker.")},
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            registrations__event=event, registrations__status=RegistrationStatus.REGISTERED
        )
        self.fields["group"].queryset = BreakoutGroup.objects.filter(event=event)


class ReleasePersonForm(forms.Form):
    """Let a person moved by hand go to the next allocation, like everyone else."""

    person = forms.IntegerField(min_value=1, max_value=MAX_ID)


class BreakoutRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=BreakoutRole.choices,
        required=False,
        error_messages={"invalid_choice": _("Unknown breakout role.")},
    )


class CheckInForm(forms.Form):
    # "1" checks in, "0" undoes it; a form from an older page without the field checks in.
    attended = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        required=False,
        empty_value=True,
        error_messages={"invalid_choice": _("That check-in button is out of date; try again.")},
    )


class BreakoutActionForm(forms.Form):
    """Which of the breakouts page's buttons was pressed."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("add_theme", "allocate", "preview", "move", "release")],
        error_messages={
            "required": _("Choose what to do with the breakouts."),
            "invalid_choice": _("Choose what to do with the breakouts."),
        },
    )
    # Allocating again keeps the people moved by hand; starting over (asked to be
    # confirmed first) allocates everyone afresh.
    start_over = forms.BooleanField(required=False)
