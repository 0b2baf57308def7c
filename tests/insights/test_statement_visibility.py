"""Theme and unassigned pages list only statements the reader may see: the summary page's rule."""

from django.urls import reverse

from cairn.contributions.models import Contribution
from cairn.insights.models import Assignment


def listed(client, url: str) -> str:
    """The statements table only (the headline above it is the synthesis's own wording)."""
    body = client.get(url).content.decode()
    return body.split("<table", 1)[1] if "<table" in body else ""


def _hidden_statement(run):
    """A statement from an event the facilitator has no part in, its author not agreeing to quotes."""
    a = Assignment.objects.filter(run=run, theme__isnull=False).select_related("theme").first()
    Contribution.objects.filter(pk=a.contribution_id).update(consent_to_quote=False)
    return a


def test_a_theme_page_hides_unquotable_statements_from_a_facilitator(client, bob, seed_run):
    a = _hidden_statement(seed_run)
    client.force_login(bob)
    assert a.text[:40] not in listed(client, a.theme.get_absolute_url())


def test_a_coordinator_still_sees_every_statement(client, alice, seed_run):
    a = _hidden_statement(seed_run)
    client.force_login(alice)
    assert a.text[:40] in listed(client, a.theme.get_absolute_url())


def test_the_unassigned_page_applies_the_same_rule(client, bob, seed_run):
    a = _hidden_statement(seed_run)
    Assignment.objects.filter(pk=a.pk).update(theme=None)
    client.force_login(bob)
    url = reverse("insights:unassigned", args=[seed_run.pk])
    assert a.text[:40] not in listed(client, url)


def test_a_withdrawn_quote_consent_hides_the_statement(client, bob, seed_run):
    from cairn.members.models import Consent, ConsentPurpose

    a = (
        Assignment.objects.filter(
            run=seed_run, theme__isnull=False, contribution__author__isnull=False
        )
        .select_related("theme", "contribution")
        .first()
    )
    Contribution.objects.filter(pk=a.contribution_id).update(consent_to_quote=True)
    Consent.objects.update_or_create(
        person_id=a.contribution.author_id,
        purpose=ConsentPurpose.QUOTE,
        defaults={"granted": False, "method": "web", "recorded_at": a.contribution.created_at},
    )
    client.force_login(bob)
    assert a.text[:40] not in listed(client, a.theme.get_absolute_url())


def test_a_quotable_statement_is_listed_to_a_facilitator(client, bob, seed_run):
    a = (
        Assignment.objects.filter(
            run=seed_run, theme__isnull=False, contribution__author__isnull=True
        )
        .select_related("theme")
        .first()
    )
    Contribution.objects.filter(pk=a.contribution_id).update(consent_to_quote=True)
    client.force_login(bob)
    assert a.text[:40] in listed(client, a.theme.get_absolute_url())


def test_a_theme_headline_cut_from_a_hidden_statement_is_not_shown(client, alice, bob, seed_run):
    theme = Assignment.objects.filter(run=seed_run, theme__isnull=False).first().theme
    source = Assignment.objects.filter(run=seed_run, theme=theme).first()
    theme.headline = "Headline words " + source.text[:30]
    theme.summary = [source.statement_id]
    theme.save(update_fields=["headline", "summary"])
    Contribution.objects.filter(pk=source.contribution_id).update(consent_to_quote=False)
    client.force_login(bob)
    assert "Headline words" not in client.get(theme.get_absolute_url()).content.decode()
    client.force_login(alice)
    assert "Headline words" in client.get(theme.get_absolute_url()).content.decode()
