"""What a consultation heard: counts for choice questions, open answers and their synthesis."""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from cairn.consultations.models import (
    Answer,
    Consultation,
    Question,
    QuestionKind,
    ResponseChannel,
    ResponseStatus,
)
from cairn.consultations.synthesis_scopes import answer_contribution_ids, scope_key
from cairn.contributions.selectors import may_quote_publicly, public_name_filter, quotable_words
from cairn.contributions.wording import sector_label
from cairn.insights.models import SynthesisRun
from cairn.insights.services import InsightsError, rerun_synthesis, start_synthesis
from cairn.lib.pdf import render_pdf
from cairn.members.models import Sector

SUBMITTED = (ResponseStatus.SUBMITTED, ResponseStatus.PARTIAL)


@dataclass
class OptionCount:
    option: str
    total: int
    by_channel: list[int]
    by_sector: list[int]


@dataclass
class ChoiceResult:
    question: Question
    answered: int
    options: list[OptionCount]


@dataclass
class OpenResult:
    question: Question
    answers: list[Answer]
    by_channel: list[tuple[str, int]]
    synthesis: Any = None  # themes from cairn.insights when it is installed


@dataclass
class Results:
    consultation: Consultation
    responses: int
    by_channel: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    channels: list[tuple[str, str]] = field(default_factory=list)
    sectors: list[tuple[str, str]] = field(default_factory=list)
    choice: list[ChoiceResult] = field(default_factory=list)
    open: list[OpenResult] = field(default_factory=list)


def _submitted_answers(consultation: Consultation):
    return Answer.objects.filter(
        response__consultation=consultation, response__status__in=SUBMITTED
    ).select_related("response", "question", "response__person", "contribution__author")


def open_answer_contributions(question: Question) -> list[int]:
    return list(
        Answer.objects.filter(
            question=question, response__status__in=SUBMITTED, contribution__isnull=False
        )
        .order_by("contribution_id")
        .values_list("contribution_id", flat=True)
    )


def synthesise_open_question(question: Question, *, actor: Any) -> Any:
    """The one hook to synthesis: start (or re-run) themes for one open question's answers.

    The run belongs to cairn.insights, where a coordinator renames, merges and approves themes.
    """
    if question.kind != QuestionKind.OPEN:
        raise ValueError("Only open questions are synthesised; choice questions are counted.")
    ids = open_answer_contributions(question)
    if not ids:
        raise ValueError("There are no answers to this question yet.")
    run = question.synthesis_run
    try:
        if run is not None and sorted(run.contribution_ids) == ids:
            return rerun_synthesis(run, actor)
        run = start_synthesis(
            actor,
            contribution_ids=ids,
            mode="discover",
            title=f"{question.consultation.title}: Q{question.number}"[:200],
        )
    except InsightsError as exc:
        raise ValueError(str(exc)) from exc
    Question.objects.filter(pk=question.pk).update(synthesis_run=run)
    return run


def synthesise_consultation(consultation: Consultation, *, actor: Any) -> SynthesisRun:
    """Themes across every open answer of the consultation (what the synthesis page's
    "Consultations" choice does); insights is told the scope, contributions and title."""
    return start_synthesis(
        actor,
        scope=scope_key(consultation),
        contribution_ids=answer_contribution_ids(consultation.pk),
        title=consultation.title,
    )


def find_themes_across_answers(consultation: Consultation, *, actor: Any) -> SynthesisRun:
    """Start (or re-run) the whole-consultation synthesis from the results page: the run a
    briefing draws on. A run already waiting or running is that one (a second click
    queues nothing); an ended one is re-run, so a coordinator's renames and merges are
    replayed on the new themes instead of lost to a fresh run."""
    latest = whole_consultation_run(consultation)
    try:
        if latest is None:
            return synthesise_consultation(consultation, actor=actor)
        if latest.is_active:
            return latest
        return rerun_synthesis(latest, actor)
    except InsightsError as exc:
        raise ValueError(str(exc)) from exc


def whole_consultation_run(consultation: Consultation) -> SynthesisRun | None:
    """The latest synthesis of the whole consultation, whatever its state (waiting,
    running, failed, done), for its progress and result on the results page; or None."""
    return (
        SynthesisRun.objects.filter(scope=scope_key(consultation))
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class ConsultationThemes:
    """Where a consultation's themes stand for a briefing: the run a briefing draws on,
    the whole-consultation run in progress, the questions synthesised one by one."""

    consultation: Consultation
    run: SynthesisRun | None
    whole: SynthesisRun | None
    by_question: list[Question]
    open_questions: int

    @property
    def only_by_question(self) -> bool:
        """Themes were found question by question, never across all the answers: a
        briefing cannot use them (it would have to merge several runs into one)."""
        return self.run is None and bool(self.by_question)

    @property
    def finding(self) -> bool:
        """The whole-consultation run is waiting or running and has no result yet."""
        return self.run is None and self.whole is not None and self.whole.is_active


def consultation_themes(consultation: Consultation) -> ConsultationThemes:
    open_questions = list(consultation.questions.filter(kind=QuestionKind.OPEN))
    with_result = set(
        SynthesisRun.objects.with_result()
        .filter(pk__in=[q.synthesis_run_id for q in open_questions if q.synthesis_run_id])
        .values_list("pk", flat=True)
    )
    return ConsultationThemes(
        consultation=consultation,
        run=consultation_synthesis(consultation),
        whole=whole_consultation_run(consultation),
        by_question=[q for q in open_questions if q.synthesis_run_id in with_result],
        open_questions=len(open_questions),
    )


def consultation_synthesis(consultation: Consultation) -> SynthesisRun | None:
    """The latest synthesis of the whole consultation (started from the synthesis page)
    with themes, also while it is re-run or after a re-run failed, or None.

    A consultation with one open question is as well synthesised by "Find the themes in
    these answers" on its results page (the same answers): that run counts too, or a
    briefing would say no synthesis had been run right after the coordinator ran one.
    """
    whole = (
        SynthesisRun.objects.with_result()
        .filter(scope=scope_key(consultation))
        .order_by("-finished_at", "-pk")
        .first()
    )
    if whole is not None:
        return whole
    open_questions = list(consultation.questions.filter(kind=QuestionKind.OPEN))
    if len(open_questions) == 1 and open_questions[0].synthesis_run_id:
        return (
            SynthesisRun.objects.with_result().filter(pk=open_questions[0].synthesis_run_id).first()
        )
    return None


def _synthesis_of(question: Question) -> Any:
    """The latest run and its themes, for the results page; None before the first run."""
    if not question.synthesis_run_id:
        return None
    return (
        SynthesisRun.objects.filter(pk=question.synthesis_run_id).prefetch_related("themes").first()
    )


UNKNOWN_SECTOR = "unknown"


def consultation_results(consultation: Consultation, *, synthesise: bool = True) -> Results:
    responses = list(
        consultation.responses.filter(status__in=SUBMITTED).values_list("channel", "sector")
    )
    channel_counts = Counter(ch for ch, _ in responses)
    # A response without a sector is one whose sender did not say (or preferred not to):
    # not known, as syntheses and briefings count it, never "Individual / no organisation".
    sector_counts = Counter(sec or UNKNOWN_SECTOR for _, sec in responses)
    channels = [(v, str(label)) for v, label in ResponseChannel.choices if channel_counts[v]]
    sectors = [(v, sector_label(v)) for v in [*Sector.values, UNKNOWN_SECTOR] if sector_counts[v]]
    results = Results(
        consultation=consultation,
        responses=len(responses),
        by_channel=[(label, channel_counts[v]) for v, label in channels],
        by_sector=[(label, sector_counts[v]) for v, label in sectors],
        channels=channels,
        sectors=sectors,
    )
    per_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in _submitted_answers(consultation):
        per_question[answer.question_id].append(answer)
    for question in consultation.questions.all():
        answers = per_question.get(question.pk, [])
        if question.kind == QuestionKind.OPEN:
            answers = [a for a in answers if a.text.strip()]
            counts = Counter(a.response.channel for a in answers)
            results.open.append(
                OpenResult(
                    question=question,
                    answers=answers,
                    by_channel=[(label, counts[v]) for v, label in channels if counts[v]],
                    synthesis=_synthesis_of(question) if synthesise else None,
                )
            )
            continue
        rows = []
        for option in question.options:
            chosen = [a for a in answers if option in a.selected]
            by_channel = Counter(a.response.channel for a in chosen)
            by_sector = Counter(a.response.sector or UNKNOWN_SECTOR for a in chosen)
            rows.append(
                OptionCount(
                    option=option,
                    total=len(chosen),
                    by_channel=[by_channel[v] for v, _ in channels],
                    by_sector=[by_sector[v] for v, _ in sectors],
                )
            )
        results.choice.append(ChoiceResult(question=question, answered=len(answers), options=rows))
    return results


@dataclass
class SharedOpenResult:
    """An open question as the shared summary shows it: names hidden, sign-offs dropped."""

    question: Question
    count: int
    by_channel: list[tuple[str, int]]
    themes: list[tuple[str, int, str]]
    quotes: list[tuple[str, str]]


def shared_open_results(results: Results) -> list[SharedOpenResult]:
    """Open answers for the summary a coordinator shares beyond the network.

    Only answers whose authors agreed to be quoted (and have not withdrawn it) are quoted;
    names of people inside the words, and in theme labels drawn from them, are hidden
    unless that person agreed to be named.
    """
    hide = public_name_filter().hide
    shared = []
    for o in results.open:
        themes = []
        if o.synthesis is not None and o.synthesis.status == "done":
            themes = [(hide(t.label), t.size, hide(t.headline)) for t in o.synthesis.themes.all()]
        quotes = [
            (hide(quotable_words(a.text)), a.response.get_channel_display())
            for a in o.answers
            if a.response.consent_to_quote
            and (a.contribution is None or may_quote_publicly(a.contribution))
        ]
        shared.append(SharedOpenResult(o.question, len(o.answers), o.by_channel, themes, quotes))
    return shared


@dataclass
class PrintedTable:
    """One table of the printed summary: a choice question's counts for a few groups."""

    caption: str
    headers: list[str]
    rows: list[tuple[str, list[int]]]


# Numeric columns beside the answers' column: at 16 pt an A4 page holds the answers and
# four figures (a header such as "organisation" hyphenates to fit); at 10 pt, eight.
COLUMNS_PER_TABLE = {False: 8, True: 4}


def printed_tables(r: Results, choice: ChoiceResult, *, large_print: bool) -> list[PrintedTable]:
    """A choice question's counts as tables narrow enough for the page: one for how people
    answered, one for their sectors, each split (with "All" repeated) when too wide."""
    from django.utils.translation import gettext as _

    per_table = COLUMNS_PER_TABLE[large_print] - 1  # "All" is in every table
    groups = [
        (_("By how they answered"), r.channels, [o.by_channel for o in choice.options]),
        (_("By sector"), r.sectors, [o.by_sector for o in choice.options]),
    ]
    tables = []
    for caption, names, counts in groups:
        if len(names) < 2:
            continue  # a single channel or sector repeats "All"
        parts = range(0, len(names), per_table)
        for n, start in enumerate(parts, 1):
            part = slice(start, start + per_table)
            title = caption if len(parts) == 1 else f"{caption} ({n}/{len(parts)})"
            tables.append(
                PrintedTable(
                    caption=title,
                    headers=[_("All")] + [label for _v, label in names[part]],
                    rows=[
                        (o.option, [o.total, *row[part]])
                        for o, row in zip(choice.options, counts, strict=True)
                    ],
                )
            )
    if not tables:
        tables.append(
            PrintedTable(_("All"), [_("All")], [(o.option, [o.total]) for o in choice.options])
        )
    return tables


def summary_pdf(consultation: Consultation, *, large_print: bool = False) -> bytes:
    """The printable summary to share: counts, themes, and quotes only from those who
    agreed. Large print sets nothing under 16 pt and splits wide tables."""
    from django.conf import settings
    from django.utils.translation import get_language

    r = consultation_results(consultation)
    choice = [(c, printed_tables(r, c, large_print=large_print)) for c in r.choice]
    return render_pdf(
        "consultations/results_pdf.html",
        {
            "consultation": consultation,
            "r": r,
            "choice": choice,
            "shared": shared_open_results(r),
            "large_print": large_print,
            "lang": get_language() or settings.LANGUAGE_CODE,
        },
    )


def _safe(cell: str) -> str:
    # A leading = + - @ makes spreadsheets run the cell as a formula; a quote disarms it.
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def responses_csv(consultation: Consultation) -> str:
    """Every submitted response as one row: reference, channel, who entered it, each answer."""
    questions = list(consultation.questions.all())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["reference", "channel", "status", "sector", "entered_by", "submitted_at", "late"]
        + [f"Q{q.number} {q.text}" for q in questions]
    )
    answers: dict[int, dict[int, Answer]] = defaultdict(dict)
    for answer in _submitted_answers(consultation):
        answers[answer.response_id][answer.question_id] = answer
    for response in consultation.responses.filter(status__in=SUBMITTED).select_related(
        "entered_by", "paper_form"
    ):
        row = [
            response.reference,
            response.channel,
            response.status,
            response.sector,
            response.entered_by.get_username() if response.entered_by else "",
            response.submitted_at.isoformat() if response.submitted_at else "",
            "yes" if response.late else "",
        ]
        for q in questions:
            a = answers[response.pk].get(q.pk)
            row.append("" if a is None else _safe(a.text or "; ".join(a.selected)))
        writer.writerow(row)
    return out.getvalue()
