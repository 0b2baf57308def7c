"""Odd values posted to the synthesis actions give a message on the page, never a 500."""

from django.urls import reverse


def test_merging_with_a_theme_that_is_not_a_number_is_a_message(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.first()
    response = client.post(
        reverse("insights:merge", args=[seed_run.pk, theme.pk]), {"other": "abc"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose the theme to merge into this one" in response.content.decode()
    assert seed_run.themes.filter(pk=theme.pk).exists()


def test_moving_to_a_theme_that_is_not_a_number_is_a_message(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    sid = theme.assignments.first().statement_id
    for to in ("abc", "99999999999999999999999", ""):
        response = client.post(
            reverse("insights:statements", args=[seed_run.pk, theme.pk]),
            {"statement": [sid], "to": to, "action": "move"},
            follow=True,
        )
        assert "Choose where to move the statements" in response.content.decode()
    assert theme.assignments.filter(statement_id=sid).exists()


def test_an_unknown_action_or_no_statement_is_a_message(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    other = seed_run.themes.exclude(pk=theme.pk).first()
    response = client.post(
        reverse("insights:statements", args=[seed_run.pk, theme.pk]),
        {"to": other.pk, "action": "sideways"},
        follow=True,
    )
    assert "Choose to move the statements or to split them" in response.content.decode()
    response = client.post(
        reverse("insights:statements", args=[seed_run.pk, theme.pk]),
        {"to": other.pk, "action": "move"},
        follow=True,
    )
    assert "Tick at least one statement to move" in response.content.decode()


def test_starting_with_an_odd_scope_or_mode_is_a_message(client, alice, seed_run):
    client.force_login(alice)
    for data in ({"scope": "e99999999999999999999999"}, {"scope": "x"}, {"scope": ""}):
        response = client.post(reverse("insights:start"), data, follow=True)
        assert response.status_code == 200
        assert "Choose an event or a consultation" in response.content.decode()
    response = client.post(
        reverse("insights:start"), {"scope": f"e{seed_run.event_id}", "mode": "bogus"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose how to run the synthesis from the list" in response.content.decode()


def test_a_merge_is_confirmed_before_a_theme_is_dropped(client, alice, seed_run):
    client.force_login(alice)
    tech = seed_run.themes.get(label="Technology")
    offline = seed_run.themes.get(label="Phone calls and letters")
    url = reverse("insights:merge", args=[seed_run.pk, tech.pk])
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert f'id="merge-confirm-{tech.pk}" name="confirm"' in page
    unconfirmed = client.post(url, {"other": offline.pk}, follow=True).content.decode()
    assert "Tick “Yes, merge” to merge the two themes." in unconfirmed
    assert seed_run.themes.filter(pk=offline.pk).exists()
    client.post(url, {"other": offline.pk, "confirm": "1"})
    assert not seed_run.themes.filter(pk=offline.pk).exists()
