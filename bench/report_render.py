"""Time to generate and render an event report for an event with 10,000 contributions.

    .venv/bin/python bench/report_render.py [--contributions 10000] [--embedder auto]

Builds a throwaway SQLite database in a temporary folder: the demo network,
then the seed event topped up to N contributions across every channel.
Synthesises it with `cairn.synthesis` (its default embedder; `--embedder tfidf`
for the fallback), then times each step; the first PDF includes loading fonts. The comparison a coordinator would make in the same run:
regenerating one section after an edit (what Cairn does) against regenerating
the whole report (what a one-shot generator would make them do).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PHRASES = {
    "Technology": [
        "Video calls let people join from home who could never travel to meetings",
        "Not everyone can afford broadband or a device, so some are left out",
        "Captions and interpreters on calls brought more deaf members in",
        "People are tired of screens after a day of online meetings",
    ],
    "Sustainability": [
        "Co-production takes time and money and is the first thing cut",
        "Funders should move to longer grants and fewer forms",
        "Volunteers are going back to work and we may lose them",
        "Small groups have no reserves when the emergency funding ends",
    ],
    "Positive signs": [
        "Cross-sector working built on relationships we already had",
        "Neighbours who never spoke now check on each other",
        "The council is asking volunteers what helped so it can build forward",
    ],
    "Private sector": [
        "Big companies want to help but do not know who to contact",
        "Local shops helped more than the big names because they know us",
        "Working with business only makes sense with clear gains for communities",
    ],
    None: [
        "Please keep sending the newsletter by post because I am not online",
        "The community bus should come back so people can get to the lunch club",
        "Phone calls from volunteers were a lifeline while shielding",
    ],
}
CHANNELS = ["breakout_note"] * 6 + ["chat", "web_form", "email", "letter", "phone", "paper_form"]
SECTORS = ["community", "third_sector", "public_service", "local_authority", "private", ""]


def timed(label, fn, rows):
    start = time.perf_counter()
    out = fn()
    rows.append((label, time.perf_counter() - start, out))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--embedder", default="auto", help="auto (the default model), tfidf, ...")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cairn-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cairn.contributions.models import Contribution
    from cairn.events.models import Event
    from cairn.insights import services as insights
    from cairn.insights.models import RunMode
    from cairn.reports import render
    from cairn.reports.document import build_document
    from cairn.reports.services import generate_event_report, regenerate_section
    from cairn.site import demo

    # The demo's own synthesis would run before the top-up; skip it and run ours below.
    demo.DEMO_EXTENSIONS[:] = [e for e in demo.DEMO_EXTENSIONS if "insights" not in e]
    demo.load_demo()
    event = Event.objects.get(title=demo.SEED_EVENT_TITLE)
    themes = {t.name: t for t in event.breakout_themes.all()}
    rng = random.Random(7)
    have = Contribution.objects.filter(event=event).count()
    extra = []
    for i in range(max(0, args.contributions - have)):
        theme_name = rng.choice(list(PHRASES))
        text = rng.choice(PHRASES[theme_name])
        extra.append(
            Contribution(
                text=f"{text} ({rng.choice(['Eastdale', 'Westbrook', 'Glenmore'])}, note {i}).",
                channel=rng.choice(CHANNELS),
                event=event,
                theme=themes.get(theme_name),
                author_sector=rng.choice(SECTORS),
                consent_to_quote=rng.random() < 0.8,
            )
        )
    Contribution.objects.bulk_create(extra, batch_size=2000)
    n = Contribution.objects.filter(event=event).count()

    rows: list = []
    try:
        import cairn.synthesis.pipeline  # noqa: F401

        run = timed(
            f"synthesis (cairn.synthesis, {args.embedder}, guided)",
            lambda: insights.start_synthesis(
                None, event=event, mode=RunMode.GUIDED, options={"embedder": args.embedder}
            ),
            rows,
        )
        run.refresh_from_db()
        if run.status != "done":
            print(f"synthesis failed ({run.error}); the report falls back to breakout notes")
            run = None
    except ImportError:
        print("cairn.synthesis is not installed here; the report falls back to breakout notes")
        run = None

    report = timed("generate draft report", lambda: generate_event_report(event, None, run), rows)
    doc = timed("build public document", lambda: build_document(report, public=True), rows)
    for fmt in ("html", "md", "docx", "pdf"):
        timed(f"render {fmt}", lambda fmt=fmt: render.render(doc, fmt), rows)
    timed("render pdf, large print", lambda: render.render(doc, "pdf", large_print=True), rows)
    section = report.sections.exclude(theme=None).first() or report.sections.first()
    timed("regenerate one section (Cairn)", lambda: regenerate_section(section, None), rows)
    timed(
        "regenerate whole report (alternative)",
        lambda: generate_event_report(event, None, run),
        rows,
    )

    print(f"\nEvent with {n:,} contributions; report of {report.sections.count()} sections\n")
    print(f"{'step':<42} {'seconds':>8}  output")
    for label, seconds, out in rows:
        size = f"{len(out):,} bytes" if isinstance(out, bytes | str) else ""
        print(f"{label:<42} {seconds:>8.2f}  {size}")
    one = next(s for label, s, _o in rows if label.startswith("regenerate one"))
    whole = next(s for label, s, _o in rows if label.startswith("regenerate whole"))
    print(
        f"\nRegenerating one section is {whole / max(one, 1e-9):.1f}x faster than the whole report."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
