"""A consultation whose closing date has gone by: respondents are told it closed on that
date and no new answer is taken from the web; staff can still enter a late paper form or
phone call, marked late; moving the closing date reopens it."""

import datetime

import pytest
from django.utils import timezone

from cairn.consultations.models import Response, ResponseStatus
from cairn.consultations.services import answering, results
from cairn.core.models import AuditEntry
from tests.consultations.conftest import raw_for

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
CLOSED_ON = f"This consultation closed on {YESTERDAY:%-d %B %Y}"


def _close(consultation, day=YESTERDAY):
    consultation.closes_on = day
    consultation.save(update_fields=["closes_on"])


def test_the_closing_date_is_the_last_day_answers_are_taken(consultation):
    _close(consultation, timezone.localdate())
    assert consultation.is_open and consultation.closed_notice == ""
    _close(consultation)
    assert not consultation.is_open
    assert consultation.closed_notice.startswith(CLOSED_ON)


def test_the_public_sees_when_it_closed_and_cannot_start(consultation, client):
    _close(consultation)
    page = client.get(f"/consultations/{consultation.pk}/answer/")
    html = page.content.decode()
    assert page.status_code == 200 and CLOSED_ON in html
    assert ">Start</button>" not in html
    posted = client.post(f"/consultations/{consultation.pk}/answer/")
    assert posted.status_code == 200 and CLOSED_ON in posted.content.decode()
    assert not Response.objects.exists()
    assert consultation.title not in client.get("/").content.decode()
    listing = client.get("/consultations/").content.decode()
    assert f"Closed on {YESTERDAY:%-d %B %Y}" in listing and "Answer it" not in listing


def test_a_draft_saved_before_the_closing_date_cannot_be_sent_after_it(consultation, client):
    url = client.post(f"/consultations/{consultation.pk}/answer/")["Location"]
    q = list(consultation.questions.all())
    client.post(url, {f"q{q[0].pk}": "2", f"q{q[3].pk}": "Half a thought", "save": "1"})
    _close(consultation)
    assert CLOSED_ON in client.get(url).content.decode()
    sent = client.post(url, {f"q{q[0].pk}": "2", f"q{q[3].pk}": "Done", "submit": "1"})
    assert CLOSED_ON in sent.content.decode()
    response = Response.objects.get()
    assert response.status == ResponseStatus.DRAFT
    with pytest.raises(answering.AnswerErrors, match=CLOSED_ON):
        answering.save_web_answers(response, raw_for(consultation), submit=True)


def test_staff_still_enter_a_late_phone_answer_marked_late(consultation, bob, bill, client):
    _close(consultation)
    client.force_login(bob)
    url = f"/consultations/{consultation.pk}/enter/?channel=phone"
    page = client.get(url).content.decode()
    assert f"{CLOSED_ON}: what you enter now is still saved, marked as late" in page
    q = list(consultation.questions.all())
    saved = client.post(
        f"/consultations/{consultation.pk}/enter/",
        {
            "channel": "phone",
            "person": f"Bill Henderson · #{bill.pk}",
            f"q{q[0].pk}": "1",
            f"q{q[3].pk}": "Late word",
        },
        follow=True,
    )
    response = Response.objects.get()
    assert response.late and response.status == ResponseStatus.SUBMITTED
    assert f"Saved late response {response.reference} for Bill" in saved.content.decode()
    entry = AuditEntry.objects.get(action="consultation.response_entered")
    assert entry.detail["late"] is True and entry.summary.endswith("(late)")
    header, row = results.responses_csv(consultation).splitlines()[:2]
    assert header.split(",")[6] == "late" and row.split(",")[6] == "yes"


def test_an_answer_entered_while_open_is_not_late_and_moving_the_date_reopens(
    consultation, bob, bill, client
):
    on_time = answering.enter_response(
        consultation, raw_for(consultation), channel="phone", actor=bob, person=bill
    )
    assert not on_time.late
    _close(consultation)
    _close(consultation, timezone.localdate() + datetime.timedelta(days=7))
    assert client.post(f"/consultations/{consultation.pk}/answer/").status_code == 302
