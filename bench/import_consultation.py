"""Importing a survey tool's export into a consultation: Cairn's import against a plain
csv read + bulk_create of the same rows (the floor any importer pays to write them).

    python bench/import_consultation.py [--rows 1000 20000 100000] [--variants cairn baseline]

A Google Forms-like CSV (Timestamp, Email address, Name, Sector, two open questions, a
single choice, a multiple choice and a scale; ~190 bytes a row, so 100,000 rows is the
19 MB file of issue 16) is made in a temporary folder. Each variant runs in its own
process on a fresh SQLite database (PostgreSQL when DATABASE_URL names one), and the
table gives wall time, rows/s and peak memory (max RSS less the RSS after Django
started). On a shared machine wall time varies with the load; rows per CPU-second
(this process's user + system time) is what one free core would do. Variants:

- cairn: `import_responses()`: read, match columns, check every row, then write
  responses, answers and contributions in bulk in one transaction (all or nothing)
- cairn dry run: the same checks, nothing written
- baseline: csv.reader and bulk_create of Response + Answer rows, no checks, no
  contributions: how fast rows can go in at all
Before the rewrite (row-by-row create, a query per row for the questions), `cairn`
ran 70-100 rows/s; run this script on an older commit to see it again. Profiled and
made faster again (issue 16: each distinct choice cell read once, values prepared once
per value, no strptime for the common times, batches of 5,000, the collector paused):
100,000 rows on 2 shared cores at load average 5.6 went from 1,631 rows/s wall, 3,338
rows per CPU-second and 504 MiB to 3,450 rows/s, 7,236 rows per CPU-second and 197 MiB.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    ("open", "What works well in your area?", ""),
    ("single", "How did you hear about us?", "Newsletter\nA friend\nSocial media\nAn event"),
    ("multiple", "Which topics matter most?", "Transport\nHousing\nHealth\nJobs"),
    ("scale", "How satisfied are you?", ""),
    ("open", "What should change?", ""),
]
WORDS = [
    "the",
    "bus",
    "stops",
    "early",
    "and",
    "people",
    "wait",
    "in",
    "the",
    "rain",
    "while",
    "the",
    "library",
    "closes",
    "on",
    "sundays",
]


def make_file(path: Path, rows: int) -> None:
    rng = random.Random(16)
    header = ["Timestamp", "Email address", "Name", "Sector"] + [q[1] for q in QUESTIONS]
    choices = {i: q[2].split("\n") for i, q in enumerate(QUESTIONS) if q[2]}
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(f'"{h}"' for h in header) + "\n")
        for i in range(rows):
            day, sec = 1 + i % 28, i % 86400
            cells = [
                f"2024/03/{day:02d} {sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d} GMT",
                f"r{i}@example.org" if i % 4 else "",
                f"Respondent {i}",
                "Third sector" if i % 2 else "",
                " ".join(rng.choices(WORDS, k=8)),
                rng.choice(choices[1]),
                ";".join(rng.sample(choices[2], 2)),
                str(rng.randint(1, 5)),
                " ".join(rng.choices(WORDS, k=6)),
            ]
            f.write(",".join(f'"{c}"' for c in cells) + "\n")


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def setup_django(db_path: str):
    if "DATABASE_URL" not in os.environ or "sqlite" in os.environ["DATABASE_URL"]:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if "postgres" in os.environ["DATABASE_URL"]:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from cairn.consultations.models import Consultation, Question

    user = User.objects.create_user("bench")
    consultation = Consultation.objects.create(
        title="Bench", introduction="i", privacy_notice="p", status="open", created_by=user
    )
    for position, (kind, text, choices) in enumerate(QUESTIONS):
        Question.objects.create(
            consultation=consultation,
            position=position,
            kind=kind,
            text=text,
            choices_text=choices,
        )
    return consultation, user


def baseline(consultation, path: Path) -> int:
    import csv

    from django.db import transaction

    from cairn.consultations.models import Answer, Response

    questions = list(consultation.questions.all())
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        rows = list(reader)
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [
                Response(consultation=consultation, channel="import", status="submitted")
                for _ in rows
            ],
            batch_size=2000,
        )
        Answer.objects.bulk_create(
            [
                Answer(response=r, question=q, text=row[4 + i] if q.kind == "open" else "")
                for r, row in zip(responses, rows, strict=True)
                for i, q in enumerate(questions)
            ],
            batch_size=2000,
        )
    return len(rows)


def child(variant: str, path: str, db_path: str) -> None:
    consultation, user = setup_django(db_path)
    from cairn.consultations.services.importing import import_responses

    data = Path(path).read_bytes()
    base = rss_mib()
    start, cpu = time.perf_counter(), time.process_time()
    if variant == "baseline":
        rows = baseline(consultation, Path(path))
    else:
        report = import_responses(
            consultation, data, filename="bench.csv", actor=user, dry_run=variant == "cairn dry run"
        )
        rows = report.imported or report.would_import
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "peak": max(0.0, peak - base)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 20000, 100000])
    parser.add_argument("--variants", nargs="+", default=["cairn", "cairn dry run", "baseline"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(
        f"{'rows':>7} {'MB':>5}  {'variant':<14} {'seconds':>8} {'rows/s':>8} "
        f"{'CPU s':>7} {'rows/CPU-s':>10} {'peak MiB':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            path = Path(tmp) / f"responses-{rows}.csv"
            make_file(path, rows)
            size = path.stat().st_size / 1e6
            for variant in args.variants:
                db = Path(tmp) / f"{variant.replace(' ', '-')}-{rows}.sqlite3"
                done = subprocess.run(
                    [sys.executable, __file__, "--child", variant, str(path), str(db)],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                )
                if done.returncode:
                    print(done.stderr[-2000:], file=sys.stderr)
                    continue
                r = json.loads(done.stdout.strip().splitlines()[-1])
                print(
                    f"{rows:>7} {size:>5.1f}  {variant:<14} {r['seconds']:>8.2f} "
                    f"{r['rows'] / r['seconds']:>8.0f} {r['cpu']:>7.2f} "
                    f"{r['rows'] / r['cpu']:>10.0f} {r['peak']:>9.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
