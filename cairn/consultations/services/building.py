"""Question sets: a coordinator writes the questions, then opens the consultation."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from cairn.consultations.models import Consultation, ConsultationStatus, Question, QuestionKind
from cairn.core import audit


class BuildError(ValueError):
    pass


@transaction.atomic
def create_consultation(*, actor: Any, **fields: Any) -> Consultation:
    consultation = Consultation.objects.create(created_by=actor, **fields)
    audit.record(actor, "consultation.created", consultation, consultation.title)
    return consultation


@transaction.atomic
def update_consultation(consultation: Consultation, *, actor: Any, **fields: Any) -> Consultation:
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.save()
    audit.record(actor, "consultation.updated", consultation, consultation.title)
    return consultation


def check_question(kind: str, choices_text: str, scale_min: int, scale_max: int) -> None:
    """Raises BuildError for a question that cannot be asked; an import checks the
    questions it would make from a file's columns with it before writing anything."""
    if kind not in QuestionKind.values:
        raise BuildError(f"Unknown question kind {kind!r}.")
    choices = [c.strip() for c in choices_text.splitlines() if c.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            raise BuildError("A choice question needs at least two choices, one per line.")
        if len(set(choices)) != len(choices):
            raise BuildError("Two choices have the same wording; make each one different.")
    if kind == QuestionKind.SCALE and not (0 <= scale_min < scale_max <= 10):
        raise BuildError("A scale runs from a lower to a higher number, between 0 and 10.")


@transaction.atomic
def add_question(
    consultation: Consultation,
    *,
    actor: Any,
    kind: str,
    text: str,
    help_text: str = "",
    choices_text: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
    scale_min_label: str = "",
    scale_max_label: str = "",
    required: bool = False,
) -> Question:
    if not text.strip():
        raise BuildError("A question needs some words.")
    check_question(kind, choices_text, scale_min, scale_max)
    if consultation.responses.exclude(status="draft").exists():
        raise BuildError("Answers have come in; questions can no longer be added.")
    last = consultation.questions.aggregate(m=Max("position"))["m"]
    question = Question.objects.create(
        consultation=consultation,
        position=0 if last is None else last + 1,
        kind=kind,
        text=text.strip(),
        help_text=help_text.strip(),
        choices_text=choices_text.strip()
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
        else "",
        scale_min=scale_min,
        scale_max=scale_max,
        scale_min_label=scale_min_label.strip(),
        scale_max_label=scale_max_label.strip(),
        required=required,
    )
    audit.record(actor, "consultation.question_added", consultation, question.text)
    return question


@transaction.atomic
def move_question(question: Question, *, actor: Any, up: bool) -> None:
    ordered = list(question.consultation.questions.select_for_update().order_by("position", "id"))
    index = ordered.index(question)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, q in enumerate(ordered):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)
    audit.record(actor, "consultation.question_moved", question.consultation, question.text)


@transaction.atomic
def remove_question(question: Question, *, actor: Any) -> None:
    consultation = question.consultation
    if question.answers.exclude(response__status="draft").exists():
        raise BuildError("This question has answers; it cannot be removed.")
    text = question.text
    question.delete()
    for position, q in enumerate(consultation.questions.order_by("position", "id")):
        Question.objects.filter(pk=q.pk).update(position=position)
    audit.record(actor, "consultation.question_removed", consultation, text)


@transaction.atomic
def set_status(consultation: Consultation, status: str, *, actor: Any) -> Consultation:
    if status not in ConsultationStatus.values:
        raise BuildError(f"Unknown status {status!r}.")
    if status == ConsultationStatus.OPEN and not consultation.questions.exists():
        raise BuildError("Add at least one question before opening the consultation.")
    consultation.status = status
    consultation.save(update_fields=["status"])
    audit.record(actor, f"consultation.{status}", consultation, consultation.title)
    return consultation
