"""Reading statements from files and writing results as JSON, HTML, Markdown or CSV."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from pathlib import Path

from cairn.lib.decoding import UndecodableText, decode_text
from cairn.synthesis.types import Result, Statement, Theme, ThemeSpec


class InputError(Exception):
    """A problem with the user's input file, worded for the person who gave it."""


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used): the one named, else read as every Cairn importer
    reads text (`cairn.lib.decoding`: byte order marks, UTF-8, Shift_JIS and the like,
    else Windows-1252)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{path} cannot be read as {encoding}: {exc}") from exc
    try:
        decoded = decode_text(data)
    except UndecodableText as exc:
        raise InputError(
            f"{path}: {exc} Save it as UTF-8 or name the encoding with --encoding"
        ) from exc
    return decoded.text, decoded.encoding


def read_csv(
    path: str | Path,
    text_column: str,
    id_column: str | None = None,
    attributes: Sequence[str] = (),
    encoding: str | None = None,
) -> tuple[list[Statement], str]:
    """Read statements from a CSV file; ids are row numbers from 1 without ``id_column``."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(f"{path} is empty")
    text, used = decode(data, str(path), encoding)
    # The delimiter is the one the header line uses most: a sniffer over rows
    # is slow and misreads quoted cells (it once split a 100k file wrongly).
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=lambda d: (header.count(d), d == ","))
    csv.field_size_limit(1 << 30)  # a 2 MB comment is a valid cell
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = reader.fieldnames or []
    wanted = [text_column] + ([id_column] if id_column else []) + list(attributes)
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise InputError(
            f"{path} has no column {', '.join(repr(m) for m in missing)}; "
            f"its columns are: {', '.join(columns) or '(none)'}"
        )
    statements: list[Statement] = []
    seen: set[str] = set()
    for n, row in enumerate(reader, 1):
        sid = (row.get(id_column) or "").strip() if id_column else str(n)
        if not sid:
            raise InputError(f"{path} row {n}: the id column {id_column!r} is empty")
        if sid in seen:
            raise InputError(f"{path} row {n}: id {sid!r} appears more than once")
        seen.add(sid)
        attrs = {a: (row.get(a) or "").strip() for a in attributes}
        statements.append(Statement(sid, row.get(text_column) or "", attrs))
    if not statements:
        raise InputError(f"{path} has a header but no rows")
    return statements, used


def read_themes(path: str | Path) -> list[ThemeSpec]:
    """Themes from YAML or JSON: a list of {label, description, id} or of plain labels."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    raw = p.read_text(encoding="utf-8")
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            import yaml

            data = yaml.safe_load(raw)
    except Exception as exc:  # noqa: BLE001 - any parse error is the user's to fix
        raise InputError(f"{path} could not be parsed: {exc}") from exc
    if isinstance(data, dict) and "themes" in data:
        data = data["themes"]
    if not isinstance(data, list) or not data:
        raise InputError(f"{path} must hold a list of themes (label and description)")
    specs = []
    for i, item in enumerate(data, 1):
        if isinstance(item, str):
            specs.append(ThemeSpec(label=item))
        elif isinstance(item, dict) and (item.get("label") or item.get("name")):
            specs.append(
                ThemeSpec(
                    label=str(item.get("label") or item.get("name")),
                    description=str(item.get("description") or ""),
                    id=str(item["id"]) if item.get("id") is not None else None,
                )
            )
        else:
            raise InputError(f"{path} theme {i} has no label")
    return specs


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def to_csv(result: Result, statements: Sequence[Statement]) -> str:
    labels = {t.id: t.label for t in result.themes}
    text_of = {s.id: s.text for s in statements}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["statement_id", "theme_id", "theme_label", "confidence", "stance", "text"])
    for sid, tid in result.assignments.items():
        w.writerow(
            [
                _cell(sid),
                _cell(tid or ""),
                _cell(labels.get(tid, "") if tid else ""),
                result.confidences.get(sid, 0.0),
                result.stances.get(sid, "other"),
                _cell(text_of.get(sid, text_of.get(sid.split("#")[0], ""))),
            ]
        )
    return buf.getvalue()


def _cell(value: object) -> str:
    """A text cell a spreadsheet will not run: "=HYPERLINK(...)" is written as "'=HYPERLINK(...)"."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _counts_line(counts: dict[str, dict[str, int]]) -> str:
    parts = []
    for key, values in counts.items():
        inner = ", ".join(f"{k} {v}" for k, v in values.items())
        parts.append(f"{key}: {inner}")
    return "; ".join(parts)


_STANCE_WORDS = {
    "positive": ("positive", "positive"),
    "challenge": ("challenge", "challenges"),
    "idea": ("idea", "ideas"),
    "question": ("question", "questions"),
    "other": ("other", "other"),
}


def sides_line(theme: Theme) -> str:
    """ "Positive side: 12 positive, 3 ideas" - how the theme's statements lean."""
    parts = [
        f"{n:,} {_STANCE_WORDS.get(k, (k, k))[n != 1]}"
        for k, n in sorted(theme.stances.items(), key=lambda kv: (-kv[1], kv[0]))
        if n
    ]
    side = f"{theme.side.capitalize()} side. " if theme.side else ""
    return side + ", ".join(parts)


def fresh_quotes(theme: Theme) -> list[dict[str, str]]:
    """Quotes whose statement is not already the headline or a summary sentence."""
    shown = {theme.headline_id, *theme.summary_ids}
    return [q for q in theme.quotes if q["id"] not in shown]


def main_language(result: Result) -> str:
    """The language most statements are in (for ``lang``), English when undecided."""
    decided = {k: v for k, v in result.languages.items() if k != "und"}
    return max(decided, key=lambda k: (decided[k], k == "en")) if decided else "en"


def to_markdown(result: Result) -> str:
    lines = ["# Themes", ""]
    for w in result.warnings:
        lines.append(f"> **Note:** {w}")
        lines.append("")
    for t in result.themes:
        lines.append(f"## {t.label} ({t.size:,} statements)")
        lines.append("")
        if t.headline:
            lines.append(f"**{t.headline}**")
            lines.append("")
        if t.summary:
            lines.append(" ".join(t.summary))
            lines.append("")
        lines.append(f"*Sides:* {sides_line(t)}")
        if t.keyphrases:
            lines.append(f"*Keyphrases:* {', '.join(t.keyphrases)}")
        counts = _counts_line(t.counts)
        if counts:
            lines.append(f"*Counts:* {counts}")
        lines.append("")
        for q in fresh_quotes(t):
            lines.append(f"> {q['text']} — statement {q['id']}")
            lines.append("")
    if result.set_aside:
        lines.append("## Set aside")
        lines.append("")
        for g in result.set_aside:
            examples = "; ".join(f"“{x}”" for x in g.examples)
            lines.append(f"- {g.label}: {g.size:,}" + (f" (e.g. {examples})" if examples else ""))
        lines.append("")
    placed_elsewhere = {i for g in result.set_aside for i in g.statement_ids}
    rest = [i for i in result.unassigned if i not in placed_elsewhere]
    if rest:
        lines.append(f"## Not placed in any theme ({len(rest):,})")
        lines.append("")
        lines.append(", ".join(rest[:200]))
        lines.append("")
    return "\n".join(lines)


def to_html(result: Result) -> str:
    e = html.escape
    out = [
        "<!doctype html>",
        f'<html lang="{e(main_language(result))}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Cairn synthesis</title>",
        "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:50rem;margin:auto;"
        "padding:1rem}blockquote{border-left:4px solid #555;margin:0.5rem 0;"
        "padding-left:1rem}.meta{color:#333}.kp{display:inline-block;border:1px solid #555;"
        "border-radius:1rem;padding:0 .5rem;margin:0 .25rem .25rem 0}</style></head><body>",
        "<main><h1>Themes</h1>",
    ]
    for w in result.warnings:
        out.append(f'<p role="note"><strong>Note:</strong> {e(w)}</p>')
    out.append("<nav aria-label='Themes'><ol>")
    for t in result.themes:
        out.append(f'<li><a href="#{e(t.id)}">{e(t.label)}</a> ({t.size:,})</li>')
    out.append("</ol></nav>")
    for t in result.themes:
        out.append(f'<section id="{e(t.id)}" aria-labelledby="{e(t.id)}-h">')
        out.append(f'<h2 id="{e(t.id)}-h">{e(t.label)} <small>({t.size:,} statements)</small></h2>')
        if t.headline:
            out.append(f"<p><strong>{e(t.headline)}</strong></p>")
        if t.summary:
            out.append(f"<p>{e(' '.join(t.summary))}</p>")
        out.append(f'<p class="meta">Sides: {e(sides_line(t))}</p>')
        if t.keyphrases:
            chips = "".join(f'<li class="kp">{e(k)}</li>' for k in t.keyphrases)
            out.append(
                f'<ul class="meta" aria-label="Keyphrases" style="list-style:none;padding:0">'
                f"{chips}</ul>"
            )
        counts = _counts_line(t.counts)
        if counts:
            out.append(f'<p class="meta">Counts: {e(counts)}</p>')
        for q in fresh_quotes(t):
            out.append(
                f"<blockquote><p>{e(q['text'])}</p>"
                f"<footer>Statement {e(q['id'])}</footer></blockquote>"
            )
        out.append("</section>")
    if result.set_aside:
        out.append("<h2>Set aside</h2><ul>")
        for g in result.set_aside:
            examples = "; ".join(f"“{x}”" for x in g.examples)
            out.append(
                f"<li>{e(g.label)}: {g.size:,}"
                + (f" (e.g. {e(examples)})" if examples else "")
                + "</li>"
            )
        out.append("</ul>")
    placed_elsewhere = {i for g in result.set_aside for i in g.statement_ids}
    rest = [i for i in result.unassigned if i not in placed_elsewhere]
    if rest:
        out.append(f"<h2>Not placed in any theme ({len(rest):,})</h2>")
        out.append(f"<p>{e(', '.join(rest[:500]))}</p>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"
