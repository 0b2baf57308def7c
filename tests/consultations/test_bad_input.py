"""Odd values posted to the consultation pages give a message, never a 500."""

import pytest

from cairn.consultations.models import PaperForm
from tests.consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_an_odd_status_or_move_is_a_message_and_changes_nothing(client, alice):
    consultation = make_consultation(alice)
    first = consultation.questions.first()
    order = list(consultation.questions.values_list("pk", flat=True))
    consultation.refresh_from_db()
    before = consultation.status
    client.force_login(alice)
    for odd in ("bogus", ""):
        response = client.post(
            f"/consultations/{consultation.pk}/status/", {"status": odd}, follow=True
        )
        assert "Choose a status from the list" in _messages(response)
    for direction in ("left", ""):
        response = client.post(
            f"/consultations/{consultation.pk}/questions/{first.pk}/move/",
            {"direction": direction},
            follow=True,
        )
        assert "Choose to move it up or down" in _messages(response)
    consultation.refresh_from_db()
    assert consultation.status == before
    assert list(consultation.questions.values_list("pk", flat=True)) == order


def test_an_odd_number_of_blank_forms_is_a_message_and_issues_none(client, alice):
    consultation = make_consultation(alice)
    client.force_login(alice)
    for blank in ("abc", "", "0", "101", "99999999999999999999999", "1.5"):
        response = client.post(
            f"/consultations/{consultation.pk}/paper-forms.pdf", {"blank": blank}, follow=True
        )
        assert response.status_code == 200
        assert "Print between 1 and 100 blank forms" in _messages(response)
    assert not PaperForm.objects.exists()


def test_an_unknown_entry_channel_is_the_phone_page(client, bob):
    consultation = make_consultation(bob)
    client.force_login(bob)
    response = client.get(f"/consultations/{consultation.pk}/enter/", {"channel": "pigeon"})
    assert response.status_code == 200
    assert "Enter answers from a phone call" in response.content.decode()
