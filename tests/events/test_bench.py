import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import breakouts  # noqa: E402

KEYS = {
    "method",
    "participants",
    "groups",
    "seconds",
    "first_choice_share",
    "top_two_share",
    "mean_distinct_sectors",
    "max_sector_share",
    "groups_without_facilitator",
}


def test_the_benchmark_prints_one_json_object_per_method_and_size(capsys):
    breakouts.main(["--json", "--sizes", "20,40", "--exact-limit", "0"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["method"], r["participants"]) for r in rows] == [
        ("random", 20),
        ("cairn", 20),
        ("random", 40),
        ("cairn", 40),
    ]
    assert all(set(r) >= KEYS for r in rows)
    assert all(r["groups_without_facilitator"] == 0 for r in rows if r["method"] == "cairn")
