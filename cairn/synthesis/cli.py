"""``cairn synthesize INPUT.csv --text-column TEXT ... --out result.json|.html|.md|.csv``.

The top-level ``cairn`` CLI dispatches here; ``python -m cairn.synthesis``
runs the same ``main``. Progress goes to stderr, results to ``--out``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cairn.synthesis.io import InputError

FORMATS = (".json", ".html", ".md", ".csv")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cairn synthesize",
        description="Turn a CSV of contributions into themes with labels, quotes and counts.",
    )
    p.add_argument("input", help="CSV file, one contribution per row")
    p.add_argument("--text-column", required=True, help="column holding the text")
    p.add_argument("--id-column", help="column holding a unique id (default: row number)")
    p.add_argument(
        "--attributes",
        default="",
        help="comma-separated columns to count themes by, e.g. channel,sector",
    )
    p.add_argument("--themes", help="YAML or JSON list of themes (label, description): guided")
    p.add_argument("--out", required=True, help="result file: .json, .html, .md or .csv")
    p.add_argument(
        "--embedder",
        default="auto",
        choices=["auto", "hybrid", "minilm-hybrid", "static", "tfidf", "tfidf-char", "minilm"],
        help=(
            "auto: character n-gram TF-IDF beside the full MiniLM for English input when "
            "the synthesis-full extra is installed (up to 5,000 texts on a CPU), else "
            "beside the shipped static model (= hybrid)"
        ),
    )
    p.add_argument("--encoding", help="input encoding (default: UTF-8, else detected)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-themes", type=int, default=40)
    p.add_argument("--min-theme-size", type=int, default=0)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p


class _Progress:
    """Stage lines and a percentage for the embedding stage, on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()
        self.stage = ""

    def __call__(self, stage: str, frac: float) -> None:
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.start
        if stage != self.stage:
            if self.stage == "embed":
                sys.stderr.write("\n")
            self.stage = stage
            sys.stderr.write(f"[{elapsed:6.1f}s] {stage}")
            sys.stderr.write("\n" if stage != "embed" else "")
        elif stage == "embed":
            bar = "#" * int(frac * 20)
            sys.stderr.write(f"\r[{elapsed:6.1f}s] embed [{bar:<20}] {frac:4.0%}")
        sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        print(f"error: --out must end in one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    progress = _Progress(args.quiet)
    try:
        from cairn.synthesis import io as sio

        attributes = [a.strip() for a in args.attributes.split(",") if a.strip()]
        progress("read", 0.0)
        statements, encoding = sio.read_csv(
            args.input, args.text_column, args.id_column, attributes, args.encoding
        )
        if encoding not in ("utf-8", "utf_8") and not args.quiet:
            print(f"note: {args.input} was read as {encoding}", file=sys.stderr)
        specs = sio.read_themes(args.themes) if args.themes else None
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    from cairn.synthesis.pipeline import synthesize
    from cairn.synthesis.types import Options

    options = Options(
        embedder=args.embedder,
        seed=args.seed,
        max_themes=args.max_themes,
        min_theme_size=args.min_theme_size,
    )
    try:
        result = synthesize(statements, options, themes=specs, progress=progress)
    except (ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    suffix = out.suffix.lower()
    if suffix == ".json":
        body = sio.to_json(result)
    elif suffix == ".html":
        body = sio.to_html(result)
    elif suffix == ".md":
        body = sio.to_markdown(result)
    else:
        body = sio.to_csv(result, statements)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if not args.quiet:
        print(
            f"{len(result.themes)} themes from {result.stats['statements']} statements "
            f"({result.stats['unassigned']} unassigned) -> {out} "
            f"in {time.perf_counter() - progress.start:.1f}s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
