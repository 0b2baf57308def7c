"""Hostile spreadsheets against the member/consultation reader: time and memory bounds.

    PYTHONPATH=. .venv/bin/python bench/hostile_files.py

Each file is made here (see tests/hardening/test_hostile_files.py for the same
fixtures as tests). Every case must be refused or read within BOUND_SECONDS and
BOUND_MB of peak Python memory; the script exits 1 when one is not. Before the
guards, the dimension file ran for minutes and the zip bomb grew past 585 MB.
"""

import os
import sys
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings_test")

BOUND_SECONDS = 5.0
BOUND_MB = 150.0


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
    }


def main() -> int:
    import django

    django.setup()
    from cairn.members.tabular import UnreadableFile, read_table

    print(f"{'file':28} {'size KB':>8} {'seconds':>8} {'peak MB':>8}  outcome")
    failed = False
    for name, (data, filename) in cases().items():
        tracemalloc.start()
        started = time.perf_counter()
        try:
            table = read_table(data, filename)
            rows = sum(1 for _ in table.rows())
            outcome = f"read: {len(table.headers)} columns, {rows} rows"
        except UnreadableFile as error:
            outcome = f"refused: {str(error)[:60]}"
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        ok = seconds <= BOUND_SECONDS and peak <= BOUND_MB
        failed |= not ok
        flag = "" if ok else "  OVER BOUND"
        print(f"{name:28} {len(data) / 1024:8.1f} {seconds:8.2f} {peak:8.1f}  {outcome}{flag}")
    print(f"bounds: {BOUND_SECONDS} s, {BOUND_MB} MB peak Python memory per file")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
