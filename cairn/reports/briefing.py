"""Compose a lessons briefing across events and consultations: recurring themes, who supports
them, who was not heard, how they changed over time."""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.consultations.models import Consultation
from cairn.consultations.services.results import consultation_themes
from cairn.consultations.synthesis_scopes import answer_contribution_ids
from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.selectors import (
    may_quote_publicly,
    quotable_words,
    voices_by,
    voices_note,
)
from cairn.contributions.wording import channel_label, channel_phrase, listing, sector_label
from cairn.events.models import Event, EventStatus
from cairn.insights.models import SynthesisRun, Theme
from cairn.insights.services import latest_run_for_event
from cairn.lib.names import stop_words
from cairn.members.models import Sector
from cairn.reports.charts import chart_data
from cairn.reports.compose import Draft
from cairn.reports.models import Report

WORD = re.compile(r"[^\W\d_]+")
# Two themes are one lesson when most of the smaller one's key words are the larger one's.
SHARED_WORDS = 0.5
# Below this many placed points, a lesson's share at one event is too jumpy to read alone.
FEW_POINTS = 10


@dataclass
class Lesson:
    label: str
    themes: list[Theme] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(t.size for t in self.themes)

    @property
    def events(self) -> set[int]:
        """The synthesis runs (one per event or consultation) this lesson came up in."""
        return {t.run_id for t in self.themes}

    def counts(self, kind: str) -> Counter:
        total: Counter = Counter()
        for t in self.themes:
            total.update((t.counts or {}).get(kind, {}))
        return total


def _stem(word: str) -> str:
    # Enough to meet "buses"/"bus", "volunteers"/"volunteering": plural and -ing endings.
    for end in ("ing", "es", "s"):
        if len(word) > len(end) + 3 and word.endswith(end):
            return word[: -len(end)]
    return word


def _words(theme: Theme) -> set[str]:
    phrases = [p if isinstance(p, str) else str(p.get("text", "")) for p in theme.keyphrases or []]
    text = " ".join([theme.label, *phrases]).casefold()
    return {_stem(w) for w in WORD.findall(text) if len(w) > 1 and w not in stop_words()}


def _lean(theme: Theme) -> str:
    """The side a theme takes when its statements clearly take one: "positive" or "challenge"."""
    stances = theme.stances or {}
    good, bad = stances.get("positive", 0), stances.get("challenge", 0)
    if good > 2 * bad:
        return "positive"
    if bad > 2 * good:
        return "challenge"
    return ""


def same_lesson(a: Theme, b: Theme) -> bool:
    """Whether two themes heard at different events say the same thing.

    The same label, or most of the smaller theme's key words (label and keyphrases) shared;
    never two themes that argue opposite sides, even in the same words.
    """
    leans = {_lean(a), _lean(b)}
    if leans == {"positive", "challenge"}:
        return False
    if a.label.casefold() == b.label.casefold():
        return True
    wa, wb = _words(a), _words(b)
    shared = wa & wb
    if not shared:
        return False
    smaller = min(len(wa), len(wb))
    return (len(shared) >= 2 or smaller <= 2) and len(shared) / smaller >= SHARED_WORDS


def recurring_lessons(themes: list[Theme]) -> list[Lesson]:
    """Group themes from the chosen events and consultations that say the same thing.

    The largest theme of a lesson gives it its label (the synthesis's own), and a theme
    joins the first lesson whose largest theme it matches.
    """
    lessons: list[Lesson] = []
    for theme in sorted(themes, key=lambda t: (-t.size, t.pk)):
        home = next((lesson for lesson in lessons if same_lesson(lesson.themes[0], theme)), None)
        if home is None:
            lessons.append(Lesson(theme.label, [theme]))
        else:
            home.themes.append(theme)
    lessons.sort(key=lambda lesson: (-len(lesson.events), -lesson.size, lesson.label))
    return lessons


@dataclass
class Source:
    """One event or consultation the briefing draws on, with its latest synthesis."""

    title: str
    when: datetime
    run: SynthesisRun | None
    contribution_ids: list[int]
    is_event: bool = True
    # A consultation whose questions were synthesised one by one but never all together:
    # a briefing does not merge those runs, and says so rather than "no synthesis".
    by_question: bool = False
    consultation: Consultation | None = None


@dataclass
class Scope:
    """What a briefing includes, for its summary and its subtitle alike."""

    sources: list[Source]
    not_yet_held: list[Event] = field(default_factory=list)

    @property
    def synthesised(self) -> list[Source]:
        return [s for s in self.sources if s.run is not None]

    def phrase(self, sources: list[Source] | None = None) -> str:
        """ "3 events", "2 consultations" or "4 events and consultations"."""
        sources = self.sources if sources is None else sources
        events = sum(s.is_event for s in sources)
        n = len(sources)
        if events == n:
            return ngettext("%(n)d event", "%(n)d events", n) % {"n": n}
        if events == 0:
            return ngettext("%(n)d consultation", "%(n)d consultations", n) % {"n": n}
        return _("%(n)d events and consultations") % {"n": n}

    def subtitle(self) -> str:
        if not self.sources:
            return ""
        first, last = localtime(self.sources[0].when), localtime(self.sources[-1].when)
        a, b = date_format(first, "F Y"), date_format(last, "F Y")
        when = a if a == b else _("%(a)s to %(b)s") % {"a": a, "b": b}
        return f"{self.phrase()}, {when}"


def _happened(event: Event, now: datetime) -> bool:
    return event.starts_at <= now and event.status != EventStatus.CANCELLED


def briefing_scope(events: list[Event], consultations: Iterable[Consultation]) -> Scope:
    """The events that have happened and the consultations chosen, oldest first."""
    now = timezone.now()
    held = [e for e in events if _happened(e, now)]
    found = [
        Source(
            e.title,
            e.starts_at,
            latest_run_for_event(e),
            list(Contribution.objects.filter(event=e).values_list("pk", flat=True)),
        )
        for e in held
    ]
    for c in consultations:
        themes = consultation_themes(c)
        ids = answer_contribution_ids(c.pk)
        found.append(
            Source(
                c.title,
                c.created_at,
                themes.run,
                ids,
                is_event=False,
                by_question=themes.only_by_question,
                consultation=c,
            )
        )
    found.sort(key=lambda s: s.when)
    later = sorted(
        (e for e in events if not _happened(e, now) and e.status != EventStatus.CANCELLED),
        key=lambda e: e.starts_at,
    )
    return Scope(found, later)


def report_scope(report: Report) -> Scope:
    return briefing_scope(list(report.events.all()), list(report.consultations.all()))


def _when(source: Source) -> str:
    return date_format(localtime(source.when), "j F Y")


def _summary(scope: Scope, contributions, channels: Counter) -> Draft:
    summary = Draft("summary", _("Summary"))
    titles = listing([f"{s.title} ({_when(s)})" for s in scope.sources])
    lines = []
    if scope.sources:
        lines.append(
            (
                _(
                    "This briefing brings together what network members told us at %(scope)s: %(titles)s."
                )
                % {"scope": scope.phrase(), "titles": titles},
                [],
            )
        )
    if scope.not_yet_held:
        lines.append(
            (
                ngettext(
                    "%(titles)s has not happened yet, so it is not counted.",
                    "%(titles)s have not happened yet, so they are not counted.",
                    len(scope.not_yet_held),
                )
                % {"titles": listing([e.title for e in scope.not_yet_held])},
                [],
            )
        )
    by_question = [s.title for s in scope.sources if s.run is None and s.by_question]
    if by_question:
        lines.append(
            (
                ngettext(
                    "Themes were found question by question for %(titles)s, but not yet across all its answers: its words count in the figures below but not yet in the lessons.",
                    "Themes were found question by question for %(titles)s, but not yet across all their answers: their words count in the figures below but not yet in the lessons.",
                    len(by_question),
                )
                % {"titles": listing(by_question)},
                [],
            )
        )
    waiting = [s.title for s in scope.sources if s.run is None and not s.by_question]
    if waiting:
        lines.append(
            (
                ngettext(
                    "No synthesis has been run yet for %(titles)s: its words count in the figures below but not yet in the lessons.",
                    "No synthesis has been run yet for %(titles)s: their words count in the figures below but not yet in the lessons.",
                    len(waiting),
                )
                % {"titles": listing(waiting)},
                [],
            )
        )
    lines.append(
        (
            _("%(n)d contributions reached us: %(channels)s.")
            % {
                "n": contributions.count(),
                "channels": channel_phrase(dict(channels.most_common())),
            },
            list(contributions.values_list("pk", flat=True)),
        )
    )
    summary.paragraphs.append(lines)
    # The charts count people, not lines: one voice with ten chat lines is one voice.
    sectors: Counter[str] = Counter()
    for sector, n in voices_by(contributions, "author_sector").items():
        sectors[sector or "unknown"] += n
    summary.charts.append(
        chart_data(
            "sectors",
            _("Voices by sector"),
            [(sector_label(s), n) for s, n in sectors.most_common()],
            _("people"),
            voices_note(),
        )
    )
    summary.charts.append(
        chart_data(
            "channels",
            _("Voices by channel"),
            [(channel_label(c), n) for c, n in voices_by(contributions, "channel").most_common()],
            _("people"),
            voices_note(),
        )
    )
    return summary


def _theme_ids(lesson: Lesson) -> list[int]:
    return [
        a for t in lesson.themes for a in t.assignments.values_list("contribution_id", flat=True)
    ]


def _key_lessons(scope: Scope, lessons: list[Lesson]) -> Draft:
    key = Draft("lessons", _("Key lessons"))
    heard_in = scope.synthesised
    bullets = []
    for lesson in lessons[:8]:
        sector_list = listing(
            [sector_label(s).lower() for s, _n in lesson.counts("sector").most_common(3)]
        )
        points = ngettext("%(n)d point", "%(n)d points", lesson.size) % {"n": lesson.size}
        bullets.append(
            (
                "- "
                + _(
                    "%(label)s: heard at %(e)d of %(scope)s, %(points)s, most often from %(sectors)s."
                )
                % {
                    "label": lesson.label,
                    "e": len(lesson.events),
                    "scope": scope.phrase(heard_in),
                    "points": points,
                    "sectors": sector_list or _("unknown sectors"),
                },
                _theme_ids(lesson),
            )
        )
    if bullets and len(heard_in) < len(scope.sources):
        # "Heard at 1 of 2" counts only what has a synthesis; the summary and subtitle count
        # every source, so say which ones the lessons come from, or the figures disagree.
        key.paragraphs.append(
            [
                (
                    ngettext(
                        "Lessons are drawn from the %(n)d of %(all)s that has a synthesis so far: %(titles)s.",
                        "Lessons are drawn from the %(n)d of %(all)s that have a synthesis so far: %(titles)s.",
                        len(heard_in),
                    )
                    % {
                        "n": len(heard_in),
                        "all": scope.phrase(),
                        "titles": listing([s.title for s in heard_in]),
                    },
                    [],
                )
            ]
        )
    by_question = [s.title for s in scope.sources if s.run is None and s.by_question]
    if not bullets and by_question:
        bullets = [
            (
                _(
                    "No lessons yet: themes were found question by question for %(titles)s, but not across all the answers."
                )
                % {"titles": listing(by_question)},
                [],
            )
        ]
    key.paragraphs.append(
        bullets or [(_("No synthesis has been run for these events and consultations yet."), [])]
    )
    if lessons:
        key.charts.append(
            chart_data(
                "themes",
                _("Points per lesson"),
                [(lesson.label, lesson.size) for lesson in lessons[:8]],
                _("points"),
            )
        )
    return key


def _over_time(scope: Scope, lessons: list[Lesson]) -> Draft:
    """Each lesson's share of what was heard, source by source in date order; what is new, what faded."""
    change = Draft("over_time", _("How things changed over time"))
    heard_in = scope.synthesised
    if len(heard_in) < 2:
        if len(scope.sources) == 1:
            why = _(
                "This briefing draws on %(scope)s, so there is no change over time to show."
            ) % {"scope": scope.phrase()}
        elif not heard_in:
            why = _(
                "None of these events and consultations has a synthesis yet, so there is no change over time to show."
            )
        else:
            why = _(
                "Only one of these events and consultations has a synthesis so far, so there is no change over time to show yet."
            )
        change.paragraphs.append([(why, [])])
        return change
    totals = {
        s.run.pk: max(1, s.run.assignments.filter(theme__isnull=False).count()) for s in heard_in
    }
    change.paragraphs.append(
        [
            (
                _(
                    "For each lesson heard more than once: its points, and their share of all that was heard, at each event or consultation in date order."
                ),
                [],
            )
        ]
    )
    lines = []
    for lesson in lessons[:8]:
        if len(lesson.events) < 2:
            continue
        per_run: dict[int, int] = defaultdict(int)
        for t in lesson.themes:
            per_run[t.run_id] += t.size
        steps = [
            _("%(n)d (%(pct)d%%) at %(title)s")
            % {
                "n": per_run.get(s.run.pk, 0),
                "pct": round(100 * per_run.get(s.run.pk, 0) / totals[s.run.pk]),
                "title": s.title,
            }
            for s in heard_in
        ]
        first = [per_run.get(s.run.pk, 0) / totals[s.run.pk] for s in heard_in]
        trend = (
            _("heard more often")
            if first[-1] > first[0] * 1.25
            else _("heard less often")
            if first[-1] < first[0] * 0.8
            else _("heard about as often")
        )
        lines.append(
            (f"- {lesson.label}: " + " → ".join(steps) + f"; {trend}.", _theme_ids(lesson))
        )
    if lines:
        change.paragraphs.append(lines)
        few = [s.title for s in heard_in if totals[s.run.pk] < FEW_POINTS]
        if few:
            change.paragraphs.append(
                [
                    (
                        ngettext(
                            "Fewer than %(n)d points were heard at %(titles)s, so a share there moves a lot with one voice.",
                            "Fewer than %(n)d points each were heard at %(titles)s, so a share there moves a lot with one voice.",
                            len(few),
                        )
                        % {"n": FEW_POINTS, "titles": listing(few)},
                        [],
                    )
                ]
            )
    latest, earlier = heard_in[-1], heard_in[:-1]
    earlier_runs = {s.run.pk for s in earlier}
    new = [lesson for lesson in lessons if lesson.events == {latest.run.pk}][:5]
    faded = [
        lesson
        for lesson in lessons
        if len(lesson.events) >= 2
        and latest.run.pk not in lesson.events
        and lesson.events <= earlier_runs
    ][:5]
    notes = []
    if new:
        notes.append(
            (
                _("New at %(title)s: %(labels)s.")
                % {"title": latest.title, "labels": listing([lesson.label for lesson in new])},
                [i for lesson in new for i in _theme_ids(lesson)],
            )
        )
    if faded:
        notes.append(
            (
                _("Heard before but not at %(title)s: %(labels)s.")
                % {"title": latest.title, "labels": listing([lesson.label for lesson in faded])},
                [i for lesson in faded for i in _theme_ids(lesson)],
            )
        )
    if not lines:
        notes.insert(
            0,
            (
                _(
                    "No lesson came up at more than one of these events and consultations yet, so there is no change to show."
                ),
                [],
            ),
        )
    if notes:
        change.paragraphs.append(notes)
    return change


def briefing_drafts(events: list[Event], consultations: Iterable[Consultation] = ()) -> list[Draft]:
    scope = briefing_scope(list(events), list(consultations))
    themes = [
        t
        for source in scope.synthesised
        for t in source.run.themes.select_related("run__event").filter(size__gt=0)
    ]
    lessons = recurring_lessons(themes)
    contributions = Contribution.objects.filter(
        pk__in=[pk for source in scope.sources for pk in source.contribution_ids]
    )
    sectors = Counter(s or "unknown" for s in contributions.values_list("author_sector", flat=True))
    channels = Counter(contributions.values_list("channel", flat=True))
    summary = _summary(scope, contributions, channels)
    key = _key_lessons(scope, lessons)

    unheard = Draft("not_heard", _("Who was not heard"))
    missing_sectors = [str(label) for code, label in Sector.choices if not sectors.get(code)]
    missing_channels = [
        str(label).lower() for code, label in ContributionChannel.choices if not channels.get(code)
    ]
    lines = []
    if missing_sectors:
        lines.append(
            (
                _("No contributions came from these sectors: %(list)s.")
                % {"list": listing(missing_sectors)},
                [],
            )
        )
    else:
        lines.append((_("Every sector of the network was heard."), []))
    unknown, total = sectors.get("unknown", 0), sum(sectors.values())
    if unknown:
        # A list of unheard sectors, or "every sector heard", says little when most words
        # came with no sector: say how many, so nobody reads the list as the whole story.
        lines.append(
            (
                ngettext(
                    "%(n)d of %(total)d contributions came with no sector, so who was not "
                    "heard may be more than this says.",
                    "%(n)d of %(total)d contributions came with no sector, so who was not "
                    "heard may be more than this says.",
                    total,
                )
                % {"n": unknown, "total": total},
                [],
            )
        )
    if missing_channels:
        lines.append(
            (_("Nothing reached us by %(list)s.") % {"list": listing(missing_channels)}, [])
        )
    unheard.paragraphs.append(lines)

    change = _over_time(scope, lessons)

    appendix: list[Draft] = []
    for index, lesson in enumerate(lessons, 1):
        d = Draft(f"evidence:{index}", _("Evidence: %(label)s") % {"label": lesson.label})
        d.paragraphs.append(
            [
                (
                    _("%(points)s: %(channels)s; by sector, %(sectors)s.")
                    % {
                        "points": ngettext("%(n)d point", "%(n)d points", lesson.size)
                        % {"n": lesson.size},
                        "channels": channel_phrase(dict(lesson.counts("channel").most_common())),
                        "sectors": listing(
                            [
                                f"{sector_label(s).lower()} {n}"
                                for s, n in lesson.counts("sector").most_common()
                            ]
                        ),
                    },
                    _theme_ids(lesson),
                )
            ]
        )
        for t in lesson.themes:
            for a in t.assignments.select_related("contribution__author").order_by(
                "-confidence", "id"
            ):
                if may_quote_publicly(a.contribution) and len(d.quotes) < 3:
                    d.quotes.append((a.contribution_id, quotable_words(a.text)))
        appendix.append(d)
    return [summary, key, unheard, change, *appendix]
