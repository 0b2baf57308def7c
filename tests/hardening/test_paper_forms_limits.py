"""Blank paper forms: bounded, and never issued by following a link (GET)."""

from django.urls import reverse

from cairn.consultations.models import PaperForm
from tests.consultations.conftest import consultation, jean  # noqa: F401


def test_a_get_with_blank_creates_no_forms(client, alice, consultation):  # noqa: F811
    client.force_login(alice)
    url = reverse("consultations:paper_forms", args=[consultation.pk])
    response = client.get(url, {"blank": "10"})
    assert response.status_code == 302
    assert PaperForm.objects.count() == 0


def test_zero_or_thousands_of_blank_forms_get_a_clear_message(client, alice, consultation):  # noqa: F811
    client.force_login(alice)
    url = reverse("consultations:paper_forms", args=[consultation.pk])
    for count in ("0", "5000", "1" * 30, "ten"):
        response = client.post(url, {"blank": count}, follow=True)
        assert "between 1 and 100" in response.content.decode(), count
    assert PaperForm.objects.count() == 0


def test_a_few_blank_forms_are_printed_from_the_button(client, alice, consultation):  # noqa: F811
    client.force_login(alice)
    url = reverse("consultations:paper_forms", args=[consultation.pk])
    response = client.post(url, {"blank": "2"})
    assert response["Content-Type"] == "application/pdf"
    assert PaperForm.objects.count() == 2


def test_a_get_for_everyone_due_one_creates_no_forms(client, alice, consultation, jean):  # noqa: F811
    client.force_login(alice)
    url = reverse("consultations:paper_forms", args=[consultation.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert PaperForm.objects.count() == 0


def test_forms_for_everyone_due_one_are_issued_by_a_confirmed_post(
    client,
    alice,
    consultation,  # noqa: F811
    jean,  # noqa: F811
):
    client.force_login(alice)
    url = reverse("consultations:paper_forms", args=[consultation.pk])
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "Give a paper form and its code to the 1 person due one" in page
    response = client.post(url, {"everyone": "1"}, follow=True)
    assert "Tick the box to confirm" in response.content.decode()
    assert PaperForm.objects.count() == 0
    response = client.post(url, {"everyone": "1", "confirm": "1"})
    assert response["Content-Type"] == "application/pdf"
    assert PaperForm.objects.get().person == jean
    # Printing them again is a GET that creates nothing.
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "Download the 1 form already issued (PDF)" in page
    assert client.get(url)["Content-Type"] == "application/pdf"
    assert PaperForm.objects.count() == 1
