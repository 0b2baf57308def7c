"""Two volunteers typing in the same returned paper form at the same moment: one wins."""

import threading

import pytest
from django.db import connection, connections

from cairn.consultations.models import Response
from cairn.consultations.services import answering, paper
from tests.consultations.conftest import make_consultation, raw_for


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the suite")
@pytest.mark.django_db(transaction=True)
def test_the_same_paper_code_entered_at_once_by_eight_volunteers_is_saved_once(alice, bob):
    consultation = make_consultation(alice)
    code = paper.issue_blank_forms(consultation, actor=alice, count=1)[0].code
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def volunteer() -> None:
        try:
            start.wait()
            answering.enter_response(
                consultation, raw_for(consultation), channel="paper", actor=bob, paper_code=code
            )
            outcomes.append("saved")
        except answering.AnswerErrors as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=volunteer) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert outcomes.count("saved") == 1
    assert all("already entered" in o or "a moment ago" in o for o in outcomes if o != "saved")
    assert Response.objects.filter(paper_form__code=code).count() == 1
