"""Importing a member list: Cairn's chunked bulk import against row-by-row ORM saves.

    python bench/import_members.py [--rows 100000]

Each variant runs in its own process on a fresh SQLite database (PostgreSQL when
DATABASE_URL names one), so peak memory (max RSS, less the process's RSS after
Django has started) belongs to that variant alone. Variants:

- cairn: `run_import(apply=True)`: parse, validate, deduplicate, bulk write in chunks
- cairn re-import: the same file again (every row unchanged, nothing written)
- naive: csv.DictReader and, per row, get_or_create the organisation, look the
  person up by email, save() them and their consent: what a quick script does.
  It manages about 140 rows a second, so by default it runs on the first
  --naive-rows rows of the same file and its full-file time is extrapolated
  (marked "est."); pass --naive-rows 0 to run it on every row.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = "Forename,Surname,E-mail address,Tel,Address 1,Town,Postcode,Organisation,Sector,Preferred contact,Newsletter\n"
CHANNELS = ["email", "email", "email", "phone", "post"]


def make_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        for i in range(rows):
            channel = CHANNELS[i % len(CHANNELS)]
            f.write(
                f"Person{i},Surname{i % 5000},p{i}@example.org,01632 {i:06d},"
                f"{i} High Street,Town{i % 40},NS{i % 9 + 1} {i % 7 + 1}AB,"
                f"Organisation {i % 800},charity,{channel},{'yes' if i % 3 else 'no'}\n"
            )


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def setup_django(db_path: str) -> None:
    if "DATABASE_URL" not in os.environ or "sqlite" in os.environ["DATABASE_URL"]:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0) if "postgres" in os.environ[
        "DATABASE_URL"
    ] else None
    call_command("migrate", verbosity=0)


def naive(path: Path, limit: int) -> int:
    import csv

    from django.utils import timezone

    from cairn.members.models import Consent, Organisation, Person

    done = 0
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if limit and done >= limit:
                break
            done += 1
            org, _ = Organisation.objects.get_or_create(
                name=row["Organisation"], defaults={"sector": "third_sector"}
            )
            person = Person.objects.filter(email=row["E-mail address"]).first() or Person()
            person.first_name = row["Forename"]
            person.last_name = row["Surname"]
            person.email = row["E-mail address"]
            person.phone = row["Tel"]
            person.address = f"{row['Address 1']}\n{row['Town']}"
            person.postcode = row["Postcode"]
            person.organisation = org
            person.preferred_channel = row["Preferred contact"]
            person.save()
            Consent.objects.update_or_create(
                person=person,
                purpose="newsletters",
                defaults={
                    "granted": row["Newsletter"] == "yes",
                    "method": "import",
                    "recorded_at": timezone.now(),
                },
            )
    return done


def run_variant(variant: str, path: Path, db_path: str, naive_rows: int) -> dict:
    setup_django(db_path)
    from cairn.members.importer import run_import
    from cairn.members.models import Person

    data_path = path
    if variant == "cairn re-import":
        run_import(data_path.read_bytes(), data_path.name, apply=True)
    baseline = rss_mib()
    start = time.perf_counter()
    if variant == "naive":
        rows = naive(data_path, naive_rows)
    else:
        report = run_import(data_path.read_bytes(), data_path.name, apply=True)
        rows = report.rows
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "variant": variant,
        "seconds": seconds,
        "peak_mib": max(peak - baseline, 0.0),
        "people": Person.objects.count(),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-rows", type=int, default=10_000, help="0 = every row")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, Path(args.file), args.db, args.naive_rows)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "members.csv"
        make_file(path, args.rows)
        size = path.stat().st_size / 1024 / 1024
        print(
            f"{args.rows:,} rows, {size:.1f} MiB CSV, database: {os.environ.get('DATABASE_URL', 'SQLite (temporary file)')}"
        )
        variants = ["cairn", "cairn re-import", "naive"]
        results = []
        for variant in variants:
            db = str(Path(tmp) / f"{variant.replace(' ', '-')}.sqlite3")
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--variant",
                    variant,
                    "--file",
                    str(path),
                    "--db",
                    db,
                    "--naive-rows",
                    str(args.naive_rows),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(
            f"{'variant':<18}{'rows run':>10}{'seconds':>10}{'rows/s':>10}"
            f"{'full file s':>13}{'peak MiB':>10}"
        )
        for r in results:
            rate = r["rows"] / r["seconds"]
            full = args.rows / rate
            est = " est." if r["rows"] < args.rows else ""
            print(
                f"{r['variant']:<18}{r['rows']:>10,}{r['seconds']:>10.1f}{rate:>10,.0f}"
                f"{full:>8.0f}{est:<5}{r['peak_mib']:>10.0f}"
            )
        by = {r["variant"]: r for r in results}
        speedup = (by["cairn"]["rows"] / by["cairn"]["seconds"]) / (
            by["naive"]["rows"] / by["naive"]["seconds"]
        )
        print(f"cairn imports {speedup:.1f}x more rows a second than row-by-row ORM saves")


if __name__ == "__main__":
    main()
