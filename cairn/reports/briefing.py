"""Compose a lessons briefing across events and consultations: recurring themes, who supports
them, who was not heard, how they changed over time."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.consultations.models import Consultation
from cairn.consultations.services.results import consultation_synthesis
from cairn.consultations.synthesis_scopes import answer_contribution_ids
from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.selectors import may_quote_publicly
from cairn.contributions.wording import channel_label, channel_phrase, listing, sector_label
from cairn.events.models import Event
from cairn.insights.models import SynthesisRun, Theme
from cairn.insights.services import latest_run_for_event
from cairn.members.models import Sector
from cairn.reports.charts import chart_data
from cairn.reports.compose import Draft

WORD = re.compile(r"[a-z]+")


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


def _words(theme: Theme) -> set[str]:
    text = " ".join([theme.label, *theme.keyphrases]).casefold()
    return set(WORD.findall(text)) - {"and", "the", "of", "to", "in", "a", "for"}


def recurring_lessons(themes: list[Theme]) -> list[Lesson]:
    """Group themes from different events that share a name or most of their key words."""
    lessons: list[Lesson] = []
    for theme in sorted(themes, key=lambda t: (-t.size, t.pk)):
        words = _words(theme)
        home = None
        for lesson in lessons:
            first = lesson.themes[0]
            if first.label.casefold() == theme.label.casefold():
                home = lesson
                break
            shared = words & _words(first)
            if len(shared) >= 2 or (shared and len(words) <= 2):
                home = lesson
                break
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


def _sources(events: list[Event], consultation_ids: list[int]) -> list[Source]:
    found = [
        Source(
            e.title,
            e.starts_at,
            latest_run_for_event(e),
            list(Contribution.objects.filter(event=e).values_list("pk", flat=True)),
        )
        for e in events
    ]
    for c in Consultation.objects.filter(pk__in=consultation_ids):
        run = consultation_synthesis(c)
        found.append(Source(c.title, c.created_at, run, answer_contribution_ids(c.pk)))
    return sorted(found, key=lambda s: s.when)


def briefing_drafts(events: list[Event], consultation_ids: list[int] | None = None) -> list[Draft]:
    sources = _sources(list(events), list(consultation_ids or []))
    runs = {s.run.pk: s for s in sources if s.run is not None}
    themes = [
        t
        for source in sources
        if source.run is not None
        for t in source.run.themes.select_related("run__event").filter(size__gt=0)
    ]
    lessons = recurring_lessons(themes)
    contributions = Contribution.objects.filter(
        pk__in=[pk for source in sources for pk in source.contribution_ids]
    )
    sectors = Counter(s or "unknown" for s in contributions.values_list("author_sector", flat=True))
    channels = Counter(contributions.values_list("channel", flat=True))
    titles = listing([f"{s.title} ({date_format(localtime(s.when), 'j F Y')})" for s in sources])
    summary = Draft("summary", _("Summary"))
    summary.paragraphs.append(
        [
            (
                ngettext(
                    "This briefing brings together what network members told us at %(n)d event or consultation: %(titles)s.",
                    "This briefing brings together what network members told us at %(n)d events and consultations: %(titles)s.",
                    len(sources),
                )
                % {"n": len(sources), "titles": titles},
                [],
            ),
            (
                _("%(n)d contributions reached us: %(channels)s.")
                % {
                    "n": contributions.count(),
                    "channels": channel_phrase(dict(channels.most_common())),
                },
                list(contributions.values_list("pk", flat=True)),
            ),
        ]
    )
    summary.charts.append(
        chart_data(
            "sectors",
            _("Voices by sector"),
            [(sector_label(s), n) for s, n in sectors.most_common()],
            _("contributions"),
        )
    )
    summary.charts.append(
        chart_data(
            "channels",
            _("Voices by channel"),
            [(channel_label(c), n) for c, n in channels.most_common()],
            _("contributions"),
        )
    )

    key = Draft("lessons", _("Key lessons"))
    bullets = []
    for lesson in lessons[:8]:
        ids = [
            a
            for t in lesson.themes
            for a in t.assignments.values_list("contribution_id", flat=True)
        ]
        sector_list = listing(
            [sector_label(s).lower() for s, _n in lesson.counts("sector").most_common(3)]
        )
        points = ngettext("%(n)d point", "%(n)d points", lesson.size) % {"n": lesson.size}
        bullets.append(
            (
                "- "
                + _(
                    "%(label)s: heard at %(e)d of %(n)d events and consultations, %(points)s, most often from %(sectors)s."
                )
                % {
                    "label": lesson.label,
                    "e": len(lesson.events),
                    "n": len(sources),
                    "points": points,
                    "sectors": sector_list or _("unknown sectors"),
                },
                ids,
            )
        )
    key.paragraphs.append(bullets or [(_("No synthesis has been run for these events yet."), [])])
    if lessons:
        key.charts.append(
            chart_data(
                "themes",
                _("Points per lesson"),
                [(lesson.label, lesson.size) for lesson in lessons[:8]],
                _("points"),
            )
        )

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
    if missing_channels:
        lines.append(
            (_("Nothing reached us by %(list)s.") % {"list": listing(missing_channels)}, [])
        )
    unheard.paragraphs.append(lines)

    change = Draft("over_time", _("How things changed over time"))
    lines = []
    for lesson in lessons[:8]:
        per_run = defaultdict(int)
        for t in lesson.themes:
            per_run[t.run_id] += t.size
        if len(per_run) < 2:
            continue
        steps = [f"{per_run.get(pk, 0)} ({source.title})" for pk, source in runs.items()]
        lines.append((f"- {lesson.label}: " + " → ".join(steps), []))
    change.paragraphs.append(
        lines
        or [
            (
                _(
                    "No lesson came up at more than one of these events and consultations yet, so there is no change to show."
                ),
                [],
            )
        ]
    )

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
                    [
                        a
                        for t in lesson.themes
                        for a in t.assignments.values_list("contribution_id", flat=True)
                    ],
                )
            ]
        )
        for t in lesson.themes:
            for a in t.assignments.select_related("contribution__author").order_by(
                "-confidence", "id"
            ):
                if may_quote_publicly(a.contribution) and len(d.quotes) < 3:
                    d.quotes.append((a.contribution_id, a.text))
        appendix.append(d)
    return [summary, key, unheard, change, *appendix]
