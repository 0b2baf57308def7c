import pytest

from cairn.reports import services
from cairn.reports.services import ReportError
from tests.reports.conftest import section

pytestmark = pytest.mark.django_db


def test_a_report_cannot_be_published_before_a_person_approves_it(report, alice):
    with pytest.raises(ReportError, match="approve"):
        services.publish(report, alice)
    assert not report.is_published


def test_the_public_page_is_readable_without_logging_in_once_published(client, report, alice):
    assert client.get(report.get_public_url()).status_code == 404
    services.approve(report, alice)
    services.publish(report, alice)
    response = client.get(report.get_public_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert report.title in body
    assert "/contributions/" not in body
    assert "<svg" in body and "Voices by channel" in body


def test_later_drafting_does_not_change_what_the_public_reads(client, report, alice):
    services.approve(report, alice)
    services.publish(report, alice)
    services.edit_section(
        section(report, "Thank you"), alice, heading="Thank you", body="Secret draft words."
    )
    assert "Secret draft words." not in client.get(report.get_public_url()).content.decode()


def test_public_downloads_work_in_every_format(
    client, report, alice, django_capture_on_commit_callbacks
):
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):  # publishing queues the files
        services.publish(report, alice)
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("md", b"# ")):
        response = client.get(f"{report.get_public_url()}report.{fmt}")
        assert response.status_code == 200
        assert response.getvalue().startswith(magic)


def test_members_cannot_open_or_edit_drafts(client, charlie, report):
    client.force_login(charlie)
    assert client.get(report.get_absolute_url()).status_code == 403
    tech = section(report, "Technology")
    url = f"/reports/{report.pk}/sections/{tech.pk}/edit/"
    assert client.post(url, {"heading": "x", "body": "y"}).status_code == 403


def test_a_coordinator_edits_approves_and_publishes_with_plain_forms(client, alice, report):
    client.force_login(alice)
    tech = section(report, "Technology")
    response = client.post(
        f"/reports/{report.pk}/sections/{tech.pk}/edit/",
        {"heading": "Technology", "body": "Edited text."},
    )
    assert response.status_code == 302
    client.post(f"/reports/{report.pk}/approve/")
    client.post(f"/reports/{report.pk}/publish/")
    report.refresh_from_db()
    assert report.is_published
    assert "Edited text." in client.get(report.get_public_url()).content.decode()
    history = client.get(f"/reports/{report.pk}/history/").content.decode()
    assert "Edited “Technology”" in history and "Published" in history


def test_an_empty_heading_is_refused_with_a_clear_message_and_the_text_kept(client, alice, report):
    client.force_login(alice)
    tech = section(report, "Technology")
    response = client.post(
        f"/reports/{report.pk}/sections/{tech.pk}/edit/", {"heading": " ", "body": "Keep me"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "needs a heading" in body and "Keep me" in body


def test_published_reports_are_listed_for_everyone_and_drafts_are_not(
    client, charlie, report, alice
):
    assert report.get_public_url() not in client.get("/reports/published/").content.decode()
    services.approve(report, alice)
    services.publish(report, alice)
    assert report.get_public_url() in client.get("/reports/published/").content.decode()
    client.force_login(charlie)
    body = client.get("/reports/published/").content.decode()
    assert report.get_public_url() in body


def test_the_public_article_is_rendered_once_per_publication_not_per_reader(
    client, report, alice, monkeypatch
):
    from cairn.reports import views

    services.approve(report, alice)
    services.publish(report, alice)
    rendered = []
    real = views.renderers.with_svg
    monkeypatch.setattr(views.renderers, "with_svg", lambda doc: rendered.append(1) or real(doc))
    first = client.get(report.get_public_url()).content.decode()
    second = client.get(report.get_public_url()).content.decode()
    assert len(rendered) == 1
    assert "<svg" in second and "Voices by channel" in second and report.title in second
    assert "&lt;svg" not in second  # kept as markup, not escaped text
    assert (
        first.split("<article", 1)[1].split("</article>")[0]
        == (second.split("<article", 1)[1].split("</article>")[0])
    )


def test_publishing_again_shows_the_new_version_at_once(client, report, alice):
    services.approve(report, alice)
    services.publish(report, alice)
    assert (
        "Words of the second edition." not in client.get(report.get_public_url()).content.decode()
    )
    services.edit_section(
        section(report, "Thank you"),
        alice,
        heading="Thank you",
        body="Words of the second edition.",
    )
    services.approve(report, alice)
    services.publish(report, alice)
    assert "Words of the second edition." in client.get(report.get_public_url()).content.decode()
    services.unpublish(report, alice)
    assert client.get(report.get_public_url()).status_code == 404


def test_a_published_report_edited_afterwards_can_be_approved_and_published_again_from_its_page(
    client, alice, report
):
    """A typo found after publishing: the edit is a new draft (the public page keeps the
    version published) and the report page offers Approve, then Publish, again; without
    this the only way to publish the fix was to take the report off the public site."""
    services.approve(report, alice)
    services.publish(report, alice)
    client.force_login(alice)
    thanks = section(report, "Thank you")
    client.post(
        f"/reports/{report.pk}/sections/{thanks.pk}/edit/",
        {"heading": "Thank you", "body": "Thanks to everyone, with the typo fixed."},
    )
    report.refresh_from_db()
    assert report.status == "draft" and report.approved_by is None
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'action="/reports/{report.pk}/approve/"' in page
    assert "shows the version published" in page
    assert "typo fixed" not in client.get(report.get_public_url()).content.decode()
    client.post(f"/reports/{report.pk}/approve/")
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'action="/reports/{report.pk}/publish/"' in page
    client.post(f"/reports/{report.pk}/publish/")
    assert "typo fixed" in client.get(report.get_public_url()).content.decode()
