"""A stand-in for the synthesis library: themes by breakout room plus one cross-cutting theme.

Django-side tests use it so they test Cairn's storage, edits and pages, not the
clustering, which `cairn.synthesis` tests on its own. It returns the library's
typed `Result`, as the real engine does.
"""

from collections import Counter
from typing import Any

from cairn.insights.engine import GivenTheme, StatementIn
from cairn.synthesis.types import Result, SetAside, Statement, Theme


def fake_synthesis(
    statements: list[StatementIn],
    *,
    themes: list[GivenTheme] | None = None,
    options: dict[str, Any] | None = None,
    progress=None,
) -> Result:
    by_label = {t.label: t for t in themes or []}
    groups: dict[str, list[StatementIn]] = {}
    for s in statements:
        given = by_label.get(s.attributes.get("breakout", ""))
        if "phone" in s.text.lower() or "letter" in s.text.lower():
            key = "t-offline"
        elif given:
            key = given.id
        elif "nothing" in s.text.lower():
            key = ""
        else:
            key = "t-other"
        groups.setdefault(key, []).append(s)
    stances = {s.id: ("challenge" if "not" in s.text.lower() else "positive") for s in statements}
    out_themes = []
    for t in themes or []:
        members = groups.get(t.id, [])
        out_themes.append(_theme(t.id, t.label, members, stances, guided=True))
    for key, label in (("t-offline", "Phone calls and letters"), ("t-other", "Other matters")):
        if groups.get(key):
            out_themes.append(_theme(key, label, groups[key], stances, guided=False))
    nothing = [s.id for s in groups.get("", [])]
    return Result(
        themes=out_themes,
        assignments={s.id: (k or None) for k, ss in groups.items() for s in ss},
        confidences={s.id: 0.9 for s in statements},
        stances=stances,
        unassigned=nothing,
        duplicates=[],
        languages={"en": len(statements)},
        warnings=[],
        options=options or {},
        stats={"statements": len(statements), "contributions": len(statements)},
        set_aside=[SetAside("nothing", "Nothing to add or improve", len(nothing), nothing)]
        if nothing
        else [],
        statements=[
            Statement(s.id, s.text, s.attributes, str(s.contribution_id)) for s in statements
        ],
    )


def _theme(
    key: str, label: str, members: list[StatementIn], stances: dict[str, str], guided: bool
) -> Theme:
    return Theme(
        id=key,
        label=label,
        keyphrases=[label.lower()],
        headline=members[0].text if members else "",
        summary=[m.text for m in members[1:3]],
        quotes=[{"id": m.id, "text": m.text} for m in members[:3]],
        size=len(members),
        counts={
            "channel": dict(Counter(m.attributes.get("channel", "") for m in members)),
            "sector": dict(Counter(m.attributes.get("sector", "unknown") for m in members)),
        },
        statement_ids=[m.id for m in members],
        guided=guided,
        stances=dict(Counter(stances[m.id] for m in members)),
        headline_id=members[0].id if members else "",
        summary_ids=[m.id for m in members[1:3]],
    )
