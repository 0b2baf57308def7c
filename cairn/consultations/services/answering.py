"""Answers by every channel: the web (with saved progress) and staff entry of phone and paper.

Raw answers arrive as `{question_id: [values]}`. Choice values are 1-based numbers (the
radio or checkbox value on the web, or what a volunteer types: "2", or "1 3" for several);
scale values are the scale point itself. Everything is checked before anything is written,
and a failed check returns every problem at once so nothing typed is lost.
"""

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cairn.consultations.models import (
    Answer,
    Consultation,
    PaperForm,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from cairn.contributions.services import record_contribution
from cairn.core import audit
from cairn.members.models import Person, Sector

MAX_ANSWER_CHARS = 20_000
RawAnswers = Mapping[int, Sequence[str]]


class AnswerErrors(ValueError):
    """Every problem with a set of answers, keyed by question id (0 for the whole form)."""

    def __init__(self, errors: dict[int, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class PaperCodeError(ValueError):
    pass


def _numbers(values: Sequence[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        found += [part for part in re.split(r"[\s,;]+", str(value).strip()) if part]
    return found


def clean_answer(question: Question, values: Sequence[str]) -> tuple[str, list[str]]:
    """(text, selected) for one question; raises ValueError with a message for a person."""
    if question.kind == QuestionKind.OPEN:
        text = "\n".join(str(v) for v in values).strip()
        if len(text) > MAX_ANSWER_CHARS:
            raise ValueError(
                f"This answer is {len(text):,} characters; please keep it under {MAX_ANSWER_CHARS:,}."
            )
        return text, []
    parts = _numbers(values)
    if not parts:
        return "", []
    if question.kind == QuestionKind.SCALE:
        low, high = question.scale_min, question.scale_max
        if (
            len(parts) != 1
            or not parts[0].lstrip("-").isdigit()
            or not low <= int(parts[0]) <= high
        ):
            raise ValueError(f"Give one number from {low} to {high}.")
        return "", [str(int(parts[0]))]
    options = question.choices
    picked: list[str] = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= len(options):
            raise ValueError(f"“{part}” is not a choice: use the numbers 1 to {len(options)}.")
        option = options[int(part) - 1]
        if option not in picked:
            picked.append(option)
    if question.kind == QuestionKind.SINGLE and len(picked) > 1:
        raise ValueError("Choose only one.")
    # Keep the printed order so "3 1" and "1 3" are the same answer.
    return "", sorted(picked, key=options.index)


def clean_answers(
    consultation: Consultation,
    raw: RawAnswers,
    *,
    require: bool,
    questions: Sequence[Question] | None = None,
) -> dict[int, tuple[str, list[str]]]:
    """``questions``: the consultation's questions already loaded (an import checks
    thousands of rows against them without a query per row)."""
    cleaned: dict[int, tuple[str, list[str]]] = {}
    errors: dict[int, str] = {}
    for question in consultation.questions.all() if questions is None else questions:
        try:
            text, selected = clean_answer(question, raw.get(question.pk, ()))
        except ValueError as exc:
            errors[question.pk] = f"Question {question.number}: {exc}"
            continue
        if require and question.required and not text and not selected:
            errors[question.pk] = f"Question {question.number}: an answer is needed."
        cleaned[question.pk] = (text, selected)
    if errors:
        raise AnswerErrors(errors)
    return cleaned


def answers_as_raw(response: Response) -> dict[int, list[str]]:
    """A response's saved answers in the raw form the pages fill back in."""
    raw: dict[int, list[str]] = {}
    for answer in response.answers.select_related("question"):
        question = answer.question
        if question.kind == QuestionKind.OPEN:
            raw[question.pk] = [answer.text]
        elif question.kind == QuestionKind.SCALE:
            raw[question.pk] = list(answer.selected)
        else:
            options = question.choices
            raw[question.pk] = [str(options.index(s) + 1) for s in answer.selected if s in options]
    return raw


def _write(response: Response, cleaned: dict[int, tuple[str, list[str]]]) -> None:
    existing = {a.question_id: a for a in response.answers.all()}
    for question_id, (text, selected) in cleaned.items():
        answer = existing.get(question_id)
        if not text and not selected:
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            Answer.objects.create(
                response=response, question_id=question_id, text=text, selected=selected
            )
        elif (answer.text, answer.selected) != (text, selected):
            answer.text, answer.selected = text, selected
            answer.save(update_fields=["text", "selected"])


def _finish(response: Response, *, partial: bool, submitted_at: Any = None) -> None:
    """Submit: every open answer becomes a Contribution with the response's channel.

    ``submitted_at`` is when another tool recorded an imported response; else now.
    """
    consultation = response.consultation
    channel = ResponseChannel(response.channel).contribution_channel
    for answer in response.answers.select_related("question").filter(
        question__kind=QuestionKind.OPEN, contribution__isnull=True
    ):
        answer.contribution = record_contribution(
            text=answer.text,
            channel=channel,
            author=response.person,
            author_name=response.respondent_name,
            entered_by=response.entered_by,
            consent_to_quote=response.consent_to_quote,
            source=f"Consultation: {consultation.title}"[:200],
            source_ref=f"{response.reference} Q{answer.question.number}",
            said_at=submitted_at,
        )
        if not response.person_id and response.sector:
            answer.contribution.author_sector = response.sector
            answer.contribution.save(update_fields=["author_sector"])
        answer.save(update_fields=["contribution"])
    response.status = ResponseStatus.PARTIAL if partial else ResponseStatus.SUBMITTED
    response.submitted_at = submitted_at or timezone.now()
    response.save(update_fields=["status", "submitted_at"])


def _person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


@transaction.atomic
def start_web_response(consultation: Consultation, user: Any) -> Response:
    """The respondent's own draft: a logged-in member picks up where they left off."""
    if not consultation.is_open:
        raise AnswerErrors({0: consultation.closed_notice})
    person = _person_of(user)
    if person is None and not consultation.allow_anonymous:
        raise AnswerErrors({0: "Please log in to answer this consultation."})
    if person is not None:
        existing = (
            Response.objects.select_for_update()
            .filter(consultation=consultation, person=person, channel=ResponseChannel.WEB)
            .first()
        )
        if existing is not None:
            return existing
    response = Response.objects.create(
        consultation=consultation,
        person=person,
        sector=person.effective_sector if person else "",
        channel=ResponseChannel.WEB,
    )
    audit.record(user, "consultation.response_started", consultation, "Web response started")
    return response


@transaction.atomic
def save_web_answers(
    response: Response,
    raw: RawAnswers,
    *,
    submit: bool,
    sector: str = "",
    consent_to_quote: bool = False,
) -> Response:
    """Save progress, or submit. A submitted response cannot be changed from the web."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.is_submitted:
        raise AnswerErrors({0: "These answers were already sent; thank you."})
    if not response.consultation.is_open:
        raise AnswerErrors({0: response.consultation.closed_notice})
    if sector and sector not in Sector.values:
        raise AnswerErrors({0: "Choose a sector from the list."})
    cleaned = clean_answers(response.consultation, raw, require=submit)
    _write(response, cleaned)
    if not response.person_id and sector:
        response.sector = sector
    response.consent_to_quote = consent_to_quote
    response.save(update_fields=["sector", "consent_to_quote"])
    if submit:
        if not response.answers.exists():
            raise AnswerErrors({0: "Answer at least one question before sending."})
        _finish(response, partial=False)
        audit.record(None, "consultation.response_submitted", response.consultation, "Web")
    return response


def find_paper_form(consultation: Consultation, code: str) -> PaperForm:
    """The unused paper form with this code; a clear message when it cannot be used."""
    normalised = re.sub(r"[^A-Z0-9]", "", code.upper())
    if len(normalised) != 8:
        raise PaperCodeError(
            f"“{code}” is not a reference code: codes have 8 letters and digits, like ACDE-3479."
        )
    formatted = f"{normalised[:4]}-{normalised[4:]}"
    form = PaperForm.objects.select_related("person", "consultation").filter(code=formatted).first()
    if form is None:
        raise PaperCodeError(f"No paper form has the code {formatted}. Check the code on the form.")
    if form.consultation_id != consultation.pk:
        raise PaperCodeError(
            f"The code {formatted} belongs to another consultation: “{form.consultation}”."
        )
    used = Response.objects.filter(paper_form=form).select_related("entered_by").first()
    if used is not None:
        by = used.entered_by.get_username() if used.entered_by else "someone"
        when = timezone.localtime(used.submitted_at or used.created_at).strftime("%d %b %Y %H:%M")
        raise PaperCodeError(
            f"The form {formatted} was already entered by {by} on {when}; a code can be used once."
        )
    return form


def entry_token(entry_key: str) -> str:
    """The response token an entry form's key becomes: a digest, so no typed-in key can
    name (or open) a web response's own link."""
    return hashlib.sha256(f"cairn.entry:{entry_key}".encode()).hexdigest()


@transaction.atomic
def enter_response(
    consultation: Consultation,
    raw: RawAnswers,
    *,
    channel: str,
    actor: Any,
    person: Person | None = None,
    respondent_name: str = "",
    sector: str = "",
    paper_code: str = "",
    incomplete: bool = False,
    consent_to_quote: bool = False,
    entry_key: str = "",
) -> Response:
    """Staff or a volunteer types in answers given by phone or on a returned paper form.

    A paper code is used once: checked here with a clear message, and guarded by a unique
    column so two volunteers entering the same form at once cannot both succeed.
    `incomplete` records a call that ended early: required questions may then be empty.
    `entry_key` names one filling-in of the entry form: the same form sent twice (a
    double click, a resent POST) returns the response it saved the first time.
    """
    token = entry_token(entry_key) if entry_key else ""
    if token and (saved := Response.objects.filter(token=token).first()) is not None:
        return saved
    if channel not in (ResponseChannel.PHONE, ResponseChannel.PAPER):
        raise AnswerErrors({0: "Staff entry is for phone and paper answers."})
    if consultation.status == "draft":
        raise AnswerErrors({0: "Open the consultation before entering answers."})
    if sector and sector not in Sector.values:
        raise AnswerErrors({0: "Choose a sector from the list."})
    paper_form = None
    if channel == ResponseChannel.PAPER:
        try:
            paper_form = find_paper_form(consultation, paper_code)
        except PaperCodeError as exc:
            raise AnswerErrors({0: str(exc)}) from exc
        PaperForm.objects.select_for_update().filter(pk=paper_form.pk).first()
        person = person or paper_form.person
    cleaned = clean_answers(consultation, raw, require=not incomplete)
    if not any(text or selected for text, selected in cleaned.values()):
        raise AnswerErrors({0: "No answers were typed in; nothing was saved."})
    try:
        with transaction.atomic():
            response = Response.objects.create(
                consultation=consultation,
                person=person,
                respondent_name="" if person else respondent_name.strip()[:200],
                sector=person.effective_sector if person else sector,
                channel=channel,
                entered_by=actor,
                paper_form=paper_form,
                consent_to_quote=consent_to_quote,
                # Staff may still enter what came in after the closing date: marked late.
                late=not consultation.is_open,
                source="Paper form returned by post" if paper_form else "Phone call",
                **({"token": token} if token else {}),
            )
    except IntegrityError as exc:
        if token and (saved := Response.objects.filter(token=token).first()) is not None:
            return saved  # the same form, sent twice at once
        raise AnswerErrors(
            {0: f"The form {paper_code} was entered by someone else a moment ago."}
        ) from exc
    _write(response, cleaned)
    _finish(response, partial=incomplete)
    audit.record(
        actor,
        "consultation.response_entered",
        consultation,
        f"{response.get_channel_display()} response {response.reference} for {response.display_name}"
        + (" (late)" if response.late else ""),
        incomplete=incomplete,
        late=response.late,
    )
    return response
