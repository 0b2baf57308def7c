"""Do themes read as lessons? Today's labeller beside an earlier one, in one run.

    python evals/score_labels.py                        # working tree vs 17b1128
    python evals/score_labels.py --baseline-ref main --sources argkp,nhs

Both run the torch-free default (``hybrid`` embedder), seed 0; ``--embedder auto``
runs today's method with what ``auto`` picks (the full MiniLM for English where
the ``synthesis-full`` extra is installed). The baseline is
the library as it was at ``--baseline-ref``, exported with ``git archive`` and
run in a child process, so the comparison is with the real earlier code.
Per source it prints:
- AMI: mean adjusted mutual information against the human codes (as
  score_themes.py; statements set aside count as one group per reason, the
  named groups a report shows; other unassigned ones as one "other" group);
- claims: share of theme labels that read as a claim: 4-12 words, a verb
  (from this script's own list), not ending on a function word;
- kp_f1 / kp_cos (ArgKP dev topics): for each expert key point, the best
  content-word F1 against any theme label, and the best cosine by the shipped
  static sentence model; the mean over key points;
- mixed: share of themes (4+ statements with a known side) whose minority
  side holds at least 25 % (ArgKP by topic, both stances together, gold
  stance; NHS, gold criticality sign);
- junk: share of the lines in evals/data/junk_lines.txt placed in a theme
  when added to each of the first three consultations of the source.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from datasets import DATA, Consultation, _rows, argkp, cimt, nhs  # noqa: E402


def _split(words: str) -> list[str]:
    return words.split()


SEED = 0
JUNK = [
    ln.strip()
    for ln in (HERE / "data" / "junk_lines.txt").read_text(encoding="utf-8").splitlines()
    if ln.strip() and not ln.startswith("#")
]


# --- what each method produces (runs in a child process for the baseline) -------------


def _run(texts: list[str]) -> dict:
    from cairn.synthesis import Options, Statement, synthesize

    embedder = os.environ.get("CAIRN_EVAL_EMBEDDER", "hybrid")
    r = synthesize([Statement(str(i), t) for i, t in enumerate(texts)], Options(embedder=embedder))
    reason = {}
    for g in getattr(r, "set_aside", []):
        for sid in g.statement_ids:
            reason[sid.split("#")[0]] = g.reason
    index = {t.id: n for n, t in enumerate(r.themes)}
    pred = []
    for i in range(len(texts)):
        tid = r.contributions[str(i)]
        pred.append(index[tid] if tid else f"aside:{reason[str(i)]}" if str(i) in reason else -1)
    return {"pred": pred, "labels": [t.label for t in r.themes]}


def _jobs(sources: list[str]) -> list[tuple[str, str, list[str]]]:
    """(job kind, consultation name, texts) for every run either method makes."""
    jobs = []
    for src, cs in _load(sources).items():
        for c in cs:
            jobs.append(("ami", f"{src}|{c.name}", c.texts))
        for c in cs[:3]:
            jobs.append(("junk", f"{src}|{c.name}", c.texts + JUNK))
    if "argkp" in sources:
        for name, texts, _ in argkp_by_topic():
            jobs.append(("sides", f"argkp-topic|{name}", texts))
    return jobs


def child(sources: list[str], out: Path) -> None:
    results = {f"{kind}|{name}": _run(texts) for kind, name, texts in _jobs(sources)}
    out.write_text(json.dumps(results))


# --- data ---------------------------------------------------------------------------


def _load(sources: list[str]) -> dict[str, list[Consultation]]:
    loaders = {"argkp": argkp, "nhs": nhs, "cimt": cimt}
    return {s: loaders[s]() for s in sources}


def argkp_by_topic() -> list[tuple[str, list[str], list[int]]]:
    """ArgKP topics with both stances together: (topic, arguments, gold side)."""
    base = DATA / "ibm-argkp-2021" / "kpm_data"
    topics: dict[str, tuple[list[str], list[int]]] = {}
    for split in ("train", "dev"):
        for a in _rows(base / f"arguments_{split}.csv"):
            texts, sides = topics.setdefault(a["topic"], ([], []))
            texts.append(a["argument"])
            sides.append(1 if a["stance"] == "1" else -1)
    return [(t, *topics[t]) for t in sorted(topics)]


def nhs_sides() -> dict[str, list[int]]:
    """Gold side per NHS consultation from criticality: +1, -1, or 0 (neutral or unknown)."""
    out: dict[str, list[int]] = {}
    names = {}
    for r in _rows(DATA / "nhs-pxtextmining" / "phase_1" / "text_data.csv"):
        if not (r["feedback"] or "").strip():
            continue
        names.setdefault((r["organization"], r["question"]), r["question"])
        try:
            c = int(r["criticality"])
        except ValueError:
            c = 0
        out.setdefault(r["question"], []).append((c > 0) - (c < 0))
    return out


def dev_key_points() -> dict[str, list[str]]:
    base = DATA / "ibm-argkp-2021" / "kpm_data"
    out: dict[str, list[str]] = {}
    for k in _rows(base / "key_points_dev.csv"):
        out.setdefault(f"{k['topic']} ({k['stance']})", []).append(k["key_point"])
    return out


# --- measures -------------------------------------------------------------------------

_W = re.compile(r"[^\W\d_]+", re.UNICODE)
_EVAL_VERBS = set(
    _split("""is are was were be been am has have had do does did can could should would will
    shall must may might need needs make makes made help helps cause causes lead leads
    reduce reduces increase increases protect protects allow allows give gives take takes
    keep keeps provide provides harm harms prevent prevents improve improves create
    creates save saves cost costs want wants feel feels know seem seems become becomes
    get gets go goes come comes work works listen listened treat treated explain
    explained wait waited ist sind war waren wird werden hat haben kann können könnte
    sollte sollten muss müssen gibt fehlt fehlen braucht brauchen macht führt wäre""")
)
_FUNCTION = set(
    _split(
        "a an the and or but of to in on at for with by from as that which is are my our "
        "der die das und oder zu im mit von"
    )
)


def reads_as_claim(label: str) -> bool:
    words = [w.casefold() for w in _W.findall(label)]
    if not 4 <= len(words) <= 12 or words[-1] in _FUNCTION:
        return False
    return any(w in _EVAL_VERBS or w.endswith("ed") for w in words) or "n't" in label


def _content(text: str) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return [
        w.rstrip("s") if len(w) > 4 else w
        for w in (x.casefold() for x in _W.findall(text))
        if w not in ENGLISH_STOP_WORDS
    ]


def f1(a: str, b: str) -> float:
    wa, wb = set(_content(a)), set(_content(b))
    if not wa or not wb:
        return 0.0
    hit = len(wa & wb)
    if hit == 0:
        return 0.0
    p, r = hit / len(wb), hit / len(wa)
    return 2 * p * r / (p + r)


_static = None


def embed(texts: list[str]) -> np.ndarray:
    global _static
    if _static is None:
        from model2vec import StaticModel

        _static = StaticModel.from_pretrained(
            str(ROOT / "cairn" / "synthesis" / "models" / "minilm-static")
        )
    x = np.asarray(_static.encode(texts), dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def mixed_share(pred: list, gold_side: list[int]) -> tuple[int, int]:
    """(themes mixing sides, themes with 4+ statements of known side)."""
    by: dict = {}
    for p, s in zip(pred, gold_side, strict=True):
        if isinstance(p, int) and p >= 0 and s:
            by.setdefault(p, []).append(s)
    mixed = judged = 0
    for sides in by.values():
        if len(sides) < 4:
            continue
        judged += 1
        pos = sum(1 for s in sides if s > 0)
        mixed += min(pos, len(sides) - pos) / len(sides) >= 0.25
    return mixed, judged


def score(results: dict, sources: list[str]) -> list[dict]:
    from sklearn.metrics import adjusted_mutual_info_score

    data = _load(sources)
    kps = dev_key_points()
    nhs_gold = nhs_sides() if "nhs" in sources else {}
    rows = []
    for src, cs in data.items():
        amis, claims, labels_n, kp_f1, kp_cos = [], 0, 0, [], []
        mixed = judged = 0
        for c in cs:
            r = results[f"ami|{src}|{c.name}"]
            pred = [str(p) for p in r["pred"]]
            amis.append(adjusted_mutual_info_score(c.gold, pred))
            claims += sum(reads_as_claim(lb) for lb in r["labels"])
            labels_n += len(r["labels"])
            if src == "argkp" and c.name in kps and r["labels"]:
                refs = kps[c.name]
                kp_f1 += [max(f1(k, lb) for lb in r["labels"]) for k in refs]
                kp_cos += (embed(refs) @ embed(r["labels"]).T).max(1).tolist()
            if src == "nhs" and c.name in nhs_gold:
                m, j = mixed_share(r["pred"], nhs_gold[c.name])
                mixed, judged = mixed + m, judged + j
        if src == "argkp":
            for name, _, sides in argkp_by_topic():
                m, j = mixed_share(results[f"sides|argkp-topic|{name}"]["pred"], sides)
                mixed, judged = mixed + m, judged + j
        placed = total = 0
        for c in cs[:3]:
            pred = results[f"junk|{src}|{c.name}"]["pred"][len(c.texts) :]
            placed += sum(1 for p in pred if isinstance(p, int) and p >= 0)
            total += len(pred)
        rows.append(
            {
                "source": src,
                "n": len(cs),
                "AMI": float(np.mean(amis)),
                "claims": claims / max(1, labels_n),
                "themes": labels_n / len(cs),
                "kp_f1": float(np.mean(kp_f1)) if kp_f1 else float("nan"),
                "kp_cos": float(np.mean(kp_cos)) if kp_cos else float("nan"),
                "mixed": mixed / judged if judged else float("nan"),
                "junk": placed / max(1, total),
            }
        )
    return rows


def _baseline_results(ref: str, sources: list[str]) -> dict:
    """Run this script's child mode against the library as it was at ``ref``."""
    with tempfile.TemporaryDirectory() as tmp:
        blob = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "cairn/synthesis", "cairn/__init__.py"],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=BytesIO(blob)) as tar:
            tar.extractall(tmp, filter="data")
        # The shipped model is large and unchanged: link it rather than copy.
        models = Path(tmp) / "cairn" / "synthesis" / "models"
        if not models.exists():
            models.symlink_to(ROOT / "cairn" / "synthesis" / "models")
        out = Path(tmp) / "out.json"
        env = {**os.environ, "PYTHONPATH": tmp, "CAIRN_EVAL_EMBEDDER": "hybrid"}
        subprocess.run(
            [sys.executable, __file__, "--child", str(out), "--sources", ",".join(sources)],
            check=True,
            env=env,
        )
        return json.loads(out.read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sources", default="argkp,nhs,cimt")
    ap.add_argument("--baseline-ref", default="17b1128", help="git ref of the earlier method")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument(
        "--embedder",
        default="hybrid",
        help="for today's method only: hybrid (the torch-free default) or auto "
        "(the full MiniLM where the synthesis-full extra is installed)",
    )
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("CAIRN_EVAL_EMBEDDER", args.embedder)
    sources = args.sources.split(",")
    if args.child:
        child(sources, args.child)
        return
    sys.path.insert(0, str(ROOT))
    table = []
    if not args.no_baseline:
        base = _baseline_results(args.baseline_ref, sources)
        table += [{"method": f"before ({args.baseline_ref})", **r} for r in score(base, sources)]
    now = {f"{kind}|{name}": _run(texts) for kind, name, texts in _jobs(sources)}
    now_name = "now" if args.embedder == "hybrid" else f"now, {args.embedder}"
    table += [{"method": now_name, **r} for r in score(now, sources)]
    cols = ["AMI", "themes", "claims", "kp_f1", "kp_cos", "mixed", "junk"]
    print(f"\n{'source':7} {'method':16} {'n':>3} " + " ".join(f"{c:>7}" for c in cols))
    for src in sources:
        for r in (r for r in table if r["source"] == src):
            vals = " ".join(
                f"{'':>7}"
                if r[c] != r[c]
                else f"{r[c]:7.1f}"
                if c == "themes"
                else f"{r[c]:7.4f}"
                if c == "AMI"
                else f"{r[c]:7.3f}"
                for c in cols
            )
            print(f"{src:7} {r['method'][:16]:16} {r['n']:3d} {vals}")


if __name__ == "__main__":
    main()
