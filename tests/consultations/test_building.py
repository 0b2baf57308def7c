import pytest

from cairn.consultations.models import Consultation, QuestionKind
from cairn.consultations.services import building


def test_a_choice_question_needs_two_different_choices(consultation, alice):
    with pytest.raises(building.BuildError, match="at least two"):
        building.add_question(
            consultation, actor=alice, kind=QuestionKind.SINGLE, text="Q", choices_text="Only"
        )
    with pytest.raises(building.BuildError, match="same wording"):
        building.add_question(
            consultation, actor=alice, kind=QuestionKind.MULTIPLE, text="Q", choices_text="A\nA"
        )


def test_a_consultation_without_questions_cannot_open(alice):
    empty = Consultation.objects.create(title="Empty", introduction="i", privacy_notice="p")
    with pytest.raises(building.BuildError, match="at least one question"):
        building.set_status(empty, "open", actor=alice)


def test_questions_move_up_and_keep_numbers_in_order(consultation, alice):
    last = consultation.questions.last()
    building.move_question(last, actor=alice, up=True)
    texts = [q.text for q in consultation.questions.all()]
    assert texts[2] == last.text
    assert [q.number for q in consultation.questions.all()] == [1, 2, 3, 4]


def test_a_question_with_answers_cannot_be_removed(consultation, alice, bill):
    from cairn.consultations.services import answering
    from tests.consultations.conftest import raw_for

    answering.enter_response(
        consultation, raw_for(consultation), channel="phone", actor=alice, person=bill
    )
    with pytest.raises(building.BuildError, match="has answers"):
        building.remove_question(consultation.questions.first(), actor=alice)
