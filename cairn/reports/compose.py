"""Compose report sections from an event and its synthesis, in the voice of the seed report.

Each function returns a `Draft`: a heading, paragraphs of sentences (each
with the contribution ids it came from), quotes and charts. Only words from
contributions whose authors agreed to be quoted are used verbatim; the rest
count in the numbers.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from cairn.contributions.models import Contribution
from cairn.contributions.selectors import (
    may_quote_publicly,
    quotable_words,
    voices_by,
    voices_note,
)
from cairn.contributions.wording import channel_label, channel_phrase, listing, sector_label
from cairn.core.network import network
from cairn.events.models import BreakoutTheme, Event, RegistrationStatus
from cairn.insights.models import Assignment, SynthesisRun, Theme
from cairn.lib.names import may_be_name
from cairn.reports.charts import chart_data
from cairn.reports.paragraphs import Paragraphs, paragraph, sources_of, text_of

Sentence = tuple[str, list[int]]
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|we|we're|we've|our|my|us|me)\b", re.IGNORECASE)
QUOTES_PER_THEME = 3


@dataclass
class Draft:
    key: str
    heading: str
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    quotes: list[tuple[int, str]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    theme_id: int | None = None
    # Contributions whose words a sentence with many sources quotes (a cross-cutting
    # theme's line): later sections leave them out, as they do single-source sentences.
    cited: set[int] = field(default_factory=set)

    def structured(self) -> Paragraphs:
        """The paragraphs as a section stores them; "- " marks a list item while composing."""
        out = []
        for para in self.paragraphs:
            sentences = [(text, ids) for text, ids in para if text.strip()]
            if not sentences:
                continue
            bullets = sentences[0][0].startswith("- ")
            if bullets:
                sentences = [(text.removeprefix("- "), ids) for text, ids in sentences]
            out.append(paragraph(sentences, bullets=bullets))
        return out

    @property
    def body(self) -> str:
        return text_of(self.structured())

    @property
    def provenance(self) -> dict[str, list[int]]:
        return sources_of(self.structured())


def network_name(event: Event | None = None) -> str:
    """Who speaks in the report: the event's organiser, else the network running Cairn."""
    if event is not None and event.organiser_id:
        return event.organiser.name
    return network().name


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Marked for translation here, translated when used.
LEAD_INS = {
    "positive": [
        gettext_noop("On the positive side, %(s)s"),
        gettext_noop("It was good to hear that %(s)s"),
    ],
    "challenge": [
        gettext_noop("A concern raised was that %(s)s"),
        gettext_noop("Others worried that %(s)s"),
    ],
    "idea": [
        gettext_noop("One suggestion was that %(s)s"),
        gettext_noop("Another idea was that %(s)s"),
    ],
}
PLAIN_LEAD_INS = [
    gettext_noop("We heard that %(s)s"),
    gettext_noop("Members also said that %(s)s"),
    gettext_noop("There was a view that %(s)s"),
]


def _lower_first(text: str) -> str:
    # "Big companies" -> "big companies", but "BSL", "I" and "Fatima" stay as they are.
    first = text.split(" ", 1)[0].strip(",.;:!?")
    if len(text) > 1 and text[0].isupper() and text[1].islower() and not may_be_name(first):
        return text[0].lower() + text[1:]
    return text


CALL_NOTE = re.compile(r"^(Said|Asked|Wants|Wanted|Worried|Told us|Felt|Thinks)\b")


def is_call_note(text: str) -> bool:
    """A note written about what someone said, in the third person, rather than their words."""
    return bool(CALL_NOTE.match(text.strip()))


def as_reported(text: str, stance: str = "", index: int = 0) -> str:
    """A statement as a sentence in the report's voice, or as a short quotation.

    Words in the first person stay the speaker's own, in quotation marks; other
    statements are introduced in the network's voice, as the seed report does.
    """
    text = " ".join(quotable_words(text).split()).rstrip()
    if not text.endswith((".", "!", "?", "…")):
        text += "."
    if is_call_note(text):
        # Staff's notes of a call ("Said the shed survived...") are reported, never quoted.
        return _("One caller %(s)s") % {"s": _lower_first(text)}
    sentences = SENTENCE_END.split(text)
    personal = any(FIRST_PERSON.search(s) for s in sentences)
    if personal or not stance:
        if personal:
            own_words = [
                _("As one participant put it, “%(text)s”"),
                _("Another told us: “%(text)s”"),
                _("In one member's words, “%(text)s”"),
            ]
            return own_words[index % 3] % {"text": text}
        return text
    if stance == "question" or text.endswith("?"):
        return _("Some asked: “%(text)s”") % {"text": text}
    options = LEAD_INS.get(stance) or PLAIN_LEAD_INS
    lead = options[index % len(options)]
    return _(lead) % {"s": _lower_first(text)}


# --- the event report -----------------------------------------------------------------------


class EventFacts:
    """Numbers about one event, computed once for all sections."""

    def __init__(self, event: Event, run: SynthesisRun | None) -> None:
        self.event = event
        self.run = run
        regs = event.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related(
            "person__organisation"
        )
        attended = [r for r in regs if r.attended]
        # Without a recorded attendance only registrations are known: the report says so.
        self.attendance_recorded = bool(attended)
        self.people = attended or [r for r in regs if r.status == RegistrationStatus.REGISTERED]
        self.sectors = Counter(r.person.effective_sector for r in self.people)
        contributions = Contribution.objects.filter(event=event)
        self.contributions = contributions.count()
        self.channels = Counter(contributions.values_list("channel", flat=True))
        # The charts count people, not lines: one voice with ten chat lines is one voice.
        self.voice_sectors = Counter()
        for sector, n in voices_by(contributions, "author_sector").items():
            self.voice_sectors[sector or "unknown"] += n
        self.voice_channels = voices_by(contributions, "channel")
        self.offline = sum(
            n for c, n in self.channels.items() if c in ("letter", "phone", "paper_form")
        )


def intro(facts: EventFacts) -> Draft:
    event = facts.event
    when = date_format(localtime(event.starts_at, event.zone), "j F Y")
    d = Draft("intro", _("Introduction"))
    first = (event.description or event.summary).split("\n\n")[0].strip()
    # An invitation's call to action ("Join us...") does not belong in a report.
    first = " ".join(
        s
        for s in SENTENCE_END.split(first)
        if not s.lower().startswith(("join ", "register", "book "))
    )
    if first:
        d.paragraphs.append([(first, [])])
    people = len(facts.people)
    sectors = [sector_label(s).lower() for s, _n in facts.sectors.most_common()]
    fmt = event.get_format_display().lower()
    if facts.attendance_recorded:
        opening = ngettext(
            "Our %(fmt)s event on %(when)s brought %(n)d network member together to share examples, learning and ideas.",
            "Our %(fmt)s event on %(when)s brought %(n)d network members together to share examples, learning and ideas.",
            people,
        )
        came_from = _("They came from %(n)d sectors: %(list)s.")
    else:
        opening = ngettext(
            "%(n)d network member registered for our %(fmt)s event on %(when)s to share examples, learning and ideas.",
            "%(n)d network members registered for our %(fmt)s event on %(when)s to share examples, learning and ideas.",
            people,
        )
        came_from = _("Those registered came from %(n)d sectors: %(list)s.")
    lines: list[Sentence] = [(opening % {"fmt": fmt, "when": when, "n": people}, [])]
    if sectors:
        lines.append(
            (
                came_from % {"n": len(sectors), "list": listing(sectors)},
                [],
            )
        )
    if facts.contributions:
        ids = list(Contribution.objects.filter(event=event).values_list("pk", flat=True))
        lines.append(
            (
                ngettext(
                    "We received %(n)s contribution: %(channels)s.",
                    "We received %(n)s contributions: %(channels)s.",
                    facts.contributions,
                )
                % {
                    "n": number_format(facts.contributions, force_grouping=True),
                    "channels": channel_phrase(dict(facts.channels.most_common())),
                },
                ids,
            )
        )
        if facts.offline:
            lines.append(
                (
                    _(
                        "Words that reached us by letter, phone and paper form count exactly like those said online."
                    ),
                    [],
                )
            )
    d.paragraphs.append(lines)
    if facts.voice_sectors:
        d.charts.append(
            chart_data(
                "sectors",
                _("Voices by sector"),
                sorted(
                    ((sector_label(s), n) for s, n in facts.voice_sectors.most_common()),
                    key=lambda item: item[0] == sector_label("unknown"),
                ),
                _("people"),
                voices_note(),
            )
        )
    if facts.voice_channels:
        d.charts.append(
            chart_data(
                "channels",
                _("Voices by channel"),
                [(channel_label(c), n) for c, n in facts.voice_channels.most_common()],
                _("people"),
                voices_note(),
            )
        )
    return d


def speakers(facts: EventFacts) -> Draft | None:
    items = [
        i for i in facts.event.agenda_items.select_related("speaker__organisation") if i.speaker_id
    ]
    if not items:
        return None
    d = Draft("speakers", _("Speakers"))
    d.paragraphs.append(
        [
            (
                ngettext(
                    "During the session we heard from %(n)d network member about their work:",
                    "During the session we heard from %(n)d network members about their work:",
                    len({i.speaker_id for i in items}),
                )
                % {"n": len({i.speaker_id for i in items})},
                [],
            )
        ]
    )
    bullets = []
    for item in items:
        who = item.speaker.full_name
        if item.speaker.organisation:
            who += f", {item.speaker.organisation}"
        bullets.append((f"- {who}: {item.title}", []))
    d.paragraphs.append(bullets)
    return d


def _assignments(theme: Theme) -> list[Assignment]:
    return list(
        theme.assignments.select_related("contribution__author").order_by("-confidence", "id")
    )


def _quotable(assignments: list[Assignment]) -> list[Assignment]:
    return [a for a in assignments if may_quote_publicly(a.contribution)]


def _quote_worthy(a: Assignment) -> bool:
    return not is_call_note(a.text)


def theme_section(theme: Theme, key: str | None = None) -> Draft:
    d = Draft(key or f"theme:{theme.pk}", theme.label, theme_id=theme.pk)
    rows = _assignments(theme)
    by_id = {a.statement_id: a for a in rows}
    ids = [a.contribution_id for a in rows]
    counts = theme.counts or {}
    opening: list[Sentence] = []
    description = theme.breakout_theme.description if theme.breakout_theme else ""
    if description:
        opening.append((description, []))
    if rows:
        opening.append(
            (
                ngettext(
                    "We heard %(n)d point on this (%(channels)s).",
                    "We heard %(n)d points on this (%(channels)s).",
                    len(rows),
                )
                % {"n": len(rows), "channels": channel_phrase(counts.get("channel", {}))},
                ids,
            )
        )
    d.paragraphs.append(opening)
    used: set[str] = set()
    body: list[Sentence] = []
    # The synthesis's own summary first, then what was said in the room itself: a breakout
    # section should read like that group's discussion even when the themes overlap.
    room = [
        a.statement_id
        for a in rows
        if theme.breakout_theme_id and a.contribution.theme_id == theme.breakout_theme_id
    ]
    ranked = [sid for sid in theme.summary + theme.quotes if sid in room]
    ranked += [sid for sid in room if sid not in ranked]
    ranked += [sid for sid in theme.summary + theme.quotes if sid not in ranked]
    for sid in ranked:
        a = by_id.get(sid)
        if a is None or sid in used or not may_quote_publicly(a.contribution):
            continue
        used.add(sid)
        body.append((as_reported(a.text, a.stance or "other", len(body)), [a.contribution_id]))
        if len(body) == 3:
            break
    if body:
        d.paragraphs.append(body)
    stances = theme.stances or {}
    parts = [
        text % {"n": stances[key]}
        for key, text in (
            ("positive", _("%(n)d described what went well")),
            ("challenge", _("%(n)d raised a challenge")),
            ("idea", _("%(n)d suggested what to do next")),
        )
        if stances.get(key)
    ]
    if parts:
        d.paragraphs.append([(_("Of these, %(parts)s.") % {"parts": listing(parts)}, ids)])
    in_room = set(room)
    for a in sorted(_quotable(rows), key=lambda a: a.statement_id not in in_room):
        if a.statement_id in used or not _quote_worthy(a):
            continue
        d.quotes.append((a.contribution_id, quotable_words(a.text)))
        if len(d.quotes) == QUOTES_PER_THEME:
            break
    return d


def breakout_fallback(theme: BreakoutTheme) -> Draft:
    """A breakout section straight from the room's notes, when no synthesis placed them."""
    d = Draft(f"breakout:{theme.pk}", theme.name)
    notes = list(theme.contributions.select_related("author").order_by("pk"))
    if theme.description:
        d.paragraphs.append([(theme.description, [])])
    body = [
        (as_reported(c.text, "other", i), [c.pk])
        for i, c in enumerate(c for c in notes if may_quote_publicly(c))
    ][:3]
    if body:
        d.paragraphs.append(body)
    used = {ids[0] for _s, ids in body}
    d.quotes = [
        (c.pk, quotable_words(c.text))
        for c in notes
        if may_quote_publicly(c) and c.pk not in used and not is_call_note(c.text)
    ][:2]
    return d


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def cross_cutting(themes: list[Theme], already: set[int] | None = None) -> Draft | None:
    """One line per theme that no breakout room holds, with one statement in its words:
    one the report has not used yet, and not the one the label was taken from (the line
    would say the same words twice)."""
    if not themes:
        return None
    already = already or set()
    d = Draft("cross_cutting", _("Themes across the groups"))
    d.paragraphs.append(
        [
            (
                _(
                    "Some themes came up in more than one group, or from people who could not join on the day:"
                ),
                [],
            )
        ]
    )
    bullets: list[Sentence] = []
    for theme in themes:
        rows = _assignments(theme)
        quotable = _quotable(rows)
        line = f"- {theme.label} ({ngettext('%(n)d point', '%(n)d points', len(rows)) % {'n': len(rows)}}, {channel_phrase((theme.counts or {}).get('channel', {}))})"
        label = _words(theme.label)
        chosen = next(
            (
                a
                for a in quotable
                if a.contribution_id not in already | d.cited and label not in _words(a.text)
            ),
            None,
        )
        if chosen is not None:
            line += f": {as_reported(chosen.text, index=len(d.cited))}"
            d.cited.add(chosen.contribution_id)
        else:
            line += "."
        bullets.append((line, [a.contribution_id for a in rows]))
    d.paragraphs.append(bullets)
    sizes = [(t.label, t.size) for t in themes]
    d.charts.append(chart_data("themes", _("Points per theme"), sizes, _("points")))
    return d


def by_stance(
    run: SynthesisRun,
    stance: str,
    key: str,
    heading: str,
    lead: str,
    already: set[int] | None = None,
) -> Draft | None:
    """Statements of one stance across themes, leaving out those the report already used."""
    rows = [
        a
        for a in run.assignments.filter(stance=stance, theme__isnull=False)
        .select_related("contribution__author")
        .order_by("-confidence", "id")
        if may_quote_publicly(a.contribution) and a.contribution_id not in (already or set())
    ]
    if not rows:
        return None
    d = Draft(key, heading)
    d.paragraphs.append([(lead, [])])
    # Numbered so that quoted bullets one after another do not open with the same words.
    d.paragraphs.append(
        [(f"- {as_reported(a.text, index=i)}", [a.contribution_id]) for i, a in enumerate(rows[:5])]
    )
    return d


def going_forward(
    run: SynthesisRun | None, event: Event | None = None, already: set[int] | None = None
) -> Draft:
    d = Draft("going_forward", _("Going forward"))
    if run is not None:
        ideas = by_stance(run, "idea", "", "", "", already)
        if ideas:
            d.paragraphs.append(
                [(_("Members suggested ideas and actions for what comes next:"), [])]
            )
            d.paragraphs.append(ideas.paragraphs[1])
    d.paragraphs.append(
        [
            (
                _(
                    "We will carry on this conversation between members and develop the key lessons to share with funders, policy and decision makers."
                ),
                [],
            ),
            (
                _("%(network)s will be in touch with members about the next steps.")
                % {"network": network_name(event)},
                [],
            ),
        ]
    )
    return d


def thanks(facts: EventFacts) -> Draft:
    d = Draft("thanks", _("Thank you"))
    text = _("Thanks to everyone who contributed to the session")
    if facts.offline:
        text += _(", online, by phone, by post and on paper.")
    else:
        text += "."
    d.paragraphs.append([(text, [])])
    return d


def _used(drafts: list[Draft | None]) -> set[int]:
    """Contributions whose words these drafts already give (a sentence, a quote)."""
    present = [d for d in drafts if d is not None]
    return (
        {ids[0] for d in present for ids in d.provenance.values() if len(ids) == 1}
        | {cid for d in present for cid, _text in d.quotes}
        | {cid for d in present for cid in d.cited}
    )


def event_report_drafts(event: Event, run: SynthesisRun | None) -> list[Draft]:
    facts = EventFacts(event, run)
    drafts: list[Draft | None] = [intro(facts), speakers(facts)]
    themes = list(run.themes.select_related("breakout_theme")) if run else []
    placed = {t.breakout_theme_id: t for t in themes if t.breakout_theme_id}
    for bt in event.breakout_themes.all():
        theme = placed.get(bt.pk)
        # Keyed by the breakout theme, which outlives any one synthesis run.
        drafts.append(theme_section(theme, f"breakout:{bt.pk}") if theme else breakout_fallback(bt))
    drafts.append(
        cross_cutting([t for t in themes if not t.breakout_theme_id and t.size], _used(drafts))
    )
    used = _used(drafts)
    if run is not None:
        drafts.append(
            by_stance(
                run,
                "positive",
                "positive",
                _("What went well"),
                _("There have been many positives in how people have responded:"),
                used,
            )
        )
        drafts.append(
            by_stance(
                run,
                "challenge",
                "challenges",
                _("Challenges"),
                _("Members were also frank about what has been hard:"),
                used,
            )
        )
    drafts.append(going_forward(run, event, used))
    drafts.append(thanks(facts))
    return [d for d in drafts if d is not None]


def draft_for_key(event: Event, run: SynthesisRun | None, key: str) -> Draft | None:
    """One section's fresh draft, built alone so that regenerating it stays cheap."""
    kind, _sep, ident = key.partition(":")
    if kind == "theme" and run is not None:
        theme = run.themes.filter(pk=int(ident)).first() if ident.isdigit() else None
        if theme is None:
            return None
        return theme_section(theme)
    if kind == "breakout":
        bt = event.breakout_themes.filter(pk=int(ident)).first() if ident.isdigit() else None
        if bt is None:
            return None
        placed = run.themes.filter(breakout_theme=bt).first() if run else None
        return theme_section(placed, key) if placed else breakout_fallback(bt)
    if key in ("cross_cutting", "positive", "challenges", "going_forward"):
        # These leave out words the sections before them already give, so they are built
        # after those.
        return next((d for d in event_report_drafts(event, run) if d.key == key), None)
    facts = EventFacts(event, run)
    builders = {"intro": intro, "speakers": speakers, "thanks": thanks}
    return builders[key](facts) if key in builders else None
