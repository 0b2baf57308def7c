"""The synthesis pages' small forms: each action reads one, and a bad value is a message."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.insights.models import RunMode, SynthesisRun, Theme
from cairn.lib.safety import id_param


class _Strings(forms.Field):
    """Every value posted under one name (ticked checkboxes), as text."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]


class StartSynthesisForm(forms.Form):
    # "e<pk>" for an event (a bare pk from older pages), or another app's scope.
    scope = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": _("Choose an event or a consultation to synthesise.")},
    )
    event = forms.CharField(required=False, max_length=100)
    mode = forms.ChoiceField(
        choices=RunMode.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose how to run the synthesis from the list.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["scope"] = data.get("scope") or data.get("event") or ""
        data["mode"] = data.get("mode") or RunMode.GUIDED
        return data


class RenameThemeForm(forms.Form):
    # No max_length: the service trims a long name to 200 characters.
    label = forms.CharField(error_messages={"required": _("A theme needs a name.")})


class MergeThemeForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        error_messages={
            "required": _("Choose the theme to merge into this one."),
            "invalid_choice": _("Choose the theme to merge into this one."),
        },
    )

    # A merge drops the other theme and its name: asked for once more, as person merges are.
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick “Yes, merge” to merge the two themes.")}
    )

    def __init__(self, *args: Any, run: SynthesisRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Theme.objects.filter(run=run)


class StatementsForm(forms.Form):
    """Move ticked statements to a theme ("none": to no theme), or split them off."""

    statement = _Strings(required=False)
    action = forms.ChoiceField(
        choices=[("move", "move"), ("split", "split")],
        required=False,
        error_messages={"invalid_choice": _("Choose to move the statements or to split them.")},
    )
    to = forms.CharField(required=False)
    label = forms.CharField(required=False)

    def __init__(self, *args: Any, run: SynthesisRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run = run

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["action"] = data.get("action") or "move"
        if data["action"] == "move":
            target = data.get("to") or ""
            data["to_theme"] = None
            if target != "none":
                pk = id_param(target)
                theme = Theme.objects.filter(pk=pk, run=self.run).first() if pk else None
                if theme is None:
                    raise forms.ValidationError(_("Choose where to move the statements."))
                data["to_theme"] = theme
            if not data.get("statement"):
                raise forms.ValidationError(_("Tick at least one statement to move."))
        return data
