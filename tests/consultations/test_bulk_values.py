"""cairn.lib.bulk prepares a repeated value once: the rows it writes must be the rows
`save()` would write all the same, whatever values look alike to a cache."""

from datetime import UTC, datetime

import pytest

from cairn.consultations.models import Answer, Response
from cairn.core.models import AuditEntry
from cairn.lib.bulk import insert_many, insert_returning_pks

pytestmark = pytest.mark.django_db


def test_values_that_compare_equal_are_not_taken_for_each_other(consultation):
    # [1] == [True] and {"a": 1} == {"a": True} in Python, not in JSON.
    details = [{}, {"n": 1}, {"n": True}, {"n": 1.0}, {}, {"n": [1]}, {"n": [True]}]
    insert_many(AuditEntry, [{"action": "t", "detail": d} for d in details])
    stored = list(AuditEntry.objects.filter(action="t").order_by("pk").values_list("detail"))
    assert [d for (d,) in stored] == details
    assert [type(d["n"]) for (d,) in stored if d] == [int, bool, float, list, list]
    question = consultation.questions.get(kind="multiple")
    chosen = [["1"], [1], [True], ["1"]]
    rows = [
        {
            "response_id": Response.objects.create(consultation=consultation, channel="import").pk,
            "question_id": question.pk,
            "selected": selected,
        }
        for selected in chosen
    ]
    insert_many(Answer, rows)
    assert [a.selected for a in Answer.objects.order_by("pk")] == chosen


def test_stamps_win_and_defaults_are_fresh(consultation):
    when = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    pks = insert_returning_pks(
        Response,
        [
            {"consultation_id": consultation.pk, "channel": "import", "submitted_at": when},
            {"consultation_id": consultation.pk, "channel": "import", "created_at": when},
        ],
    )
    first, second = (Response.objects.get(pk=pk) for pk in pks)
    assert first.submitted_at == when and second.submitted_at is None
    assert second.created_at != when  # auto_now_add: the time of the insert, as save() does
    assert first.token and second.token and first.token != second.token  # made per row


def test_the_garbage_collector_runs_again_after_an_import_even_a_failed_one(consultation, alice):
    import gc

    from cairn.consultations.services import importing

    assert gc.isenabled()
    with pytest.raises(importing.ImportFailed):
        importing.import_responses(
            consultation, b"Nothing,Here\n1,2\n", filename="x.csv", actor=alice
        )
    assert gc.isenabled()
    with importing.paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
