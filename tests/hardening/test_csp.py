"""Content-Security-Policy: every page carries the policy, and no template needs it loosened."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

CAIRN = Path(__file__).resolve().parents[2] / "cairn"
# Rendered to PDF on the server (WeasyPrint), never served to a browser.
PDF_TEMPLATES = {
    "consultations/results_pdf.html",
    "consultations/paper_form.html",
    "outreach/pdf/letters.html",
    "outreach/pdf/labels.html",
    "members/export_pdf.html",
    "reports/print.html",
}


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in header.split("; ")}


@pytest.mark.django_db
def test_pages_carry_the_policy(client):
    policy = _policy(client.get(reverse("home")))
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["script-src"].startswith("'self'")
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-inline" not in policy["style-src"]


def test_the_nonce_in_the_header_is_the_one_on_the_script_tag(client, demo):
    from django.contrib.auth import get_user_model

    from cairn.events.models import BreakoutGroup

    client.force_login(get_user_model().objects.get(username="coordinator"))
    group = BreakoutGroup.objects.filter(event=demo).first()
    response = client.get(group.get_absolute_url())
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["script-src"]).group(1)
    assert f'<script nonce="{nonce}" src="' in response.content.decode()
    again = client.get(group.get_absolute_url())
    assert nonce not in again.headers["Content-Security-Policy"]


def _served_templates():
    for path in sorted(CAIRN.rglob("templates/**/*.html")):
        name = str(path).split("/templates/", 1)[1]
        if name not in PDF_TEMPLATES:
            yield name, path.read_text()


def test_no_served_template_needs_inline_script_or_style():
    found = []
    for name, text in _served_templates():
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            found.append(f"{name}: inline {match.group(0)}")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "csp_nonce" not in match.group(0):
                found.append(f"{name}: script without the nonce {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            found.append(f"{name}: event handler {match.group(0).strip()}")
        for match in re.finditer(r"\sstyle\s*=|<style\b", text):
            found.append(f"{name}: inline style {match.group(0).strip()}")
        if "javascript:" in text:
            found.append(f"{name}: javascript: URL")
    assert not found, "\n".join(found)
