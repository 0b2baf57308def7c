"""Hostile files against the readers of every importer: time and memory bounds.

    PYTHONPATH=. .venv/bin/python bench/hostile_files.py

Each file is made here (see tests/hardening/test_hostile_files.py for the same
fixtures as tests). Every case must be refused or read within BOUND_SECONDS and
BOUND_MB of peak Python memory (the 19 MB consultation export: read, not imported, within
BIG_BOUND; bench/import_consultation.py times the import itself); the script exits 1 when
one is not. Before the guards, the dimension file ran for minutes and the zip bomb grew
past 585 MB; a 5 MB cell was a 500 at the member-import preview.
"""

import os
import sys
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings_test")

BOUND_SECONDS = 5.0
BOUND_MB = 150.0
BIG_BOUND = (20.0, 400.0)  # seconds, MB for the 19 MB consultation export


def consultation_export(rows: int = 100_000) -> bytes:
    """A Google Forms export the size of the one in issue 16 (~19 MB)."""
    sys.path.insert(0, os.path.dirname(__file__))
    import tempfile
    from pathlib import Path

    from import_consultation import make_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        make_file(path, rows)
        return path.read_bytes()


def cases() -> dict[str, tuple[bytes, str]]:
    from tests.hardening.test_hostile_files import BILLION_LAUGHS, with_sheet, workbook

    small = workbook([["First name", "Email"], ["Ada", "ada@example.org"]])
    return {
        "dimension A1:XFD1048576": (
            with_sheet(
                small,
                lambda x: x.replace(
                    b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'
                ),
            ),
            "x.xlsx",
        ),
        "zip bomb (250 MB inside)": (
            with_sheet(small, lambda x: x + b"<!--" + b" " * (250 * 2**20) + b"-->"),
            "x.xlsx",
        ),
        "billion laughs": (with_sheet(small, lambda x: BILLION_LAUGHS), "x.xlsx"),
        "malformed sheet XML": (with_sheet(small, lambda x: x[: len(x) // 2]), "x.xlsx"),
        "CSV, 200,000 columns": (
            ",".join(f"c{i}" for i in range(200_000)).encode() + b"\n1,2\n",
            "x.csv",
        ),
        "CSV, 1,000 equal headers": ((",".join(["Name"] * 1000) + "\n").encode() * 2, "x.csv"),
        "CSV, a 5 MB cell": (b'First name,Email\nAda,"' + b"x" * 5_000_000 + b'"\n', "x.csv"),
        "CSV, quote never closed": (
            b'First name,Last name,Email\nAda,"Love,a@example.org\n' * 50_000,
            "x.csv",
        ),
        "chat, a 3 MB line": (b"00:02:13\tJane Doe:\t" + b"x" * 3_000_000 + b"\n", "chat.txt"),
        "chat, 20,000 lines": (
            b"".join(
                b"00:%02d:%02d\tJane Doe:\tWe met on Tuesday\n" % (i // 60 % 60, i % 60)
                for i in range(20_000)
            ),
            "chat.txt",
        ),
        "consultation CSV, 19 MB": (consultation_export(), "responses.csv"),
    }


def main() -> int:
    import django

    django.setup()
    from cairn.events import chat_formats
    from cairn.members.tabular import UnreadableFile, read_table

    print(f"{'file':28} {'size KB':>8} {'seconds':>8} {'peak MB':>8}  outcome")
    failed = False
    for name, (data, filename) in cases().items():
        tracemalloc.start()
        started = time.perf_counter()
        if filename.endswith(".txt"):
            result = chat_formats.parse(chat_formats.decode(data))
            outcome = (
                f"refused: {result.errors[0].reason[:60]}"
                if result.errors
                else f"read: {len(result.messages)} messages"
            )
        else:
            try:
                table = read_table(data, filename)
                rows = sum(1 for _ in table.rows())
                outcome = f"read: {len(table.headers)} columns, {rows} rows"
            except UnreadableFile as error:
                outcome = f"refused: {str(error)[:60]}"
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        bound_s, bound_mb = BIG_BOUND if len(data) > 10 * 2**20 else (BOUND_SECONDS, BOUND_MB)
        ok = seconds <= bound_s and peak <= bound_mb
        failed |= not ok
        flag = "" if ok else "  OVER BOUND"
        print(f"{name:28} {len(data) / 1024:8.1f} {seconds:8.2f} {peak:8.1f}  {outcome}{flag}")
    print(
        f"bounds: {BOUND_SECONDS} s, {BOUND_MB} MB peak Python memory per file "
        f"({BIG_BOUND[0]} s, {BIG_BOUND[1]} MB for the 19 MB export)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
