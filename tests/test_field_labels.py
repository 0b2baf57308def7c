"""Labels are written one way on every form: no colon after a label, whether the form,
a model, an imported file's column heading or a template wrote it."""

import re
from pathlib import Path

from django import forms
from django.template.loader import render_to_string

TEMPLATES = Path(__file__).resolve().parent.parent / "cairn"


class Survey(forms.Form):
    # As a column heading in someone's spreadsheet would name a field.
    email = forms.EmailField(label="Email:")
    useful = forms.IntegerField(label="How useful was the event?")
    agree = forms.BooleanField(label="I agree : ")
    where = forms.ChoiceField(
        label="where:", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_label_written_with_a_colon_is_drawn_without_one():
    form = Survey()
    labels = [
        _text(m)
        for m in re.findall(
            r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>",
            render_to_string("includes/fields.html", {"form": form}),
            re.S,
        )
    ]
    assert labels == ["Email", "How useful was the event?", "I agree", "Where", "A", "B"]


def test_the_error_summary_leads_each_error_with_its_label_and_one_colon():
    form = Survey(data={"email": "no", "useful": ""})
    summary = _text(render_to_string("includes/error_summary.html", {"form": form}))
    assert "Email: Enter a valid email address." in summary
    assert "How useful was the event? This field is required." in summary
    assert "Where: This field is required." in summary
    assert "::" not in summary and "?:" not in summary


def test_no_template_writes_a_label_or_legend_ending_in_a_colon():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in re.findall(
            r"<(?:label|legend)\b[^>]*>(.*?)</(?:label|legend)>", path.read_text(), re.S
        ):
            words = re.sub(r"\{%[^%]*%\}|\{\{[^}]*\}\}|<[^>]+>", lambda m: _words(m[0]), tag)
            if words.rstrip().endswith(":"):
                found.append(f"{path.relative_to(TEMPLATES)}: {tag.strip()[:60]}")
    assert not found, found


def _words(piece: str) -> str:
    # A translated string stands for its words; other tags and variables stand for nothing.
    match = re.match(r'\{% (?:translate|trans) "([^"]*)"', piece)
    return match[1] if match else ""
