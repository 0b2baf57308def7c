"""A stand-in for the synthesis library: themes by breakout room plus one cross-cutting theme.

Django-side tests use it so they test Cairn's storage, edits and pages, not the
clustering, which `cairn.synthesis` tests on its own.
"""

from typing import Any

from cairn.insights.engine import GivenTheme, StatementIn


def fake_synthesis(
    statements: list[StatementIn],
    *,
    themes: list[GivenTheme] | None = None,
    options: dict[str, Any] | None = None,
    progress=None,
) -> dict[str, Any]:
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
    out_themes = []
    for t in themes or []:
        members = groups.get(t.id, [])
        out_themes.append(_theme(t.id, t.label, members, guided=True))
    for key, label in (("t-offline", "Phone calls and letters"), ("t-other", "Other matters")):
        if groups.get(key):
            out_themes.append(_theme(key, label, groups[key], guided=False))
    assignments = {s.id: (k or None) for k, ss in groups.items() for s in ss}
    return {
        "themes": out_themes,
        "assignments": assignments,
        "confidences": {s.id: 0.9 for s in statements},
        "stances": {
            s.id: ("challenge" if "not" in s.text.lower() else "positive") for s in statements
        },
        "unassigned": [s.id for s in groups.get("", [])],
        "warnings": [],
        "options": options or {},
        "stats": {"statements": len(statements), "contributions": len(statements)},
        "statements": [
            {"id": s.id, "text": s.text, "contribution_id": s.contribution_id} for s in statements
        ],
    }


def _theme(key: str, label: str, members: list[StatementIn], guided: bool) -> dict[str, Any]:
    return {
        "id": key,
        "label": label,
        "keyphrases": [label.lower()],
        "headline": members[0].text if members else "",
        "summary": " ".join(m.text for m in members[:2]),
        "quotes": [{"id": m.id, "text": m.text} for m in members[:3]],
        "size": len(members),
        "counts": {},
        "statement_ids": [m.id for m in members],
        "guided": guided,
    }
