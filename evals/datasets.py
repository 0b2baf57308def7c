"""Load the labelled consultations from ../shared/data as the data README says.

Each consultation is (source, name, texts, gold labels). Data are read in
place, never copied into the repository.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


def _find_data() -> Path:
    """``../shared/data`` beside the checkout; a worktree may sit one level deeper."""
    if os.environ.get("CAIRN_DATA"):
        return Path(os.environ["CAIRN_DATA"])
    repo = Path(__file__).resolve().parents[1]
    for up in (repo.parent, repo.parent.parent):
        if (up / "shared" / "data").is_dir():
            return up / "shared" / "data"
    return repo.parent / "shared" / "data"


DATA = _find_data()


@dataclass
class Consultation:
    source: str
    name: str
    texts: list[str]
    gold: list[str]
    reference_themes: list[str] | None = None  # e.g. ArgKP expert key points


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def argkp() -> list[Consultation]:
    base = DATA / "ibm-argkp-2021" / "kpm_data"
    args, kps, labels = [], {}, defaultdict(list)
    for split in ("train", "dev"):
        args += _rows(base / f"arguments_{split}.csv")
        for r in _rows(base / f"key_points_{split}.csv"):
            kps[r["key_point_id"]] = r
        for r in _rows(base / f"labels_{split}.csv"):
            if r["label"] == "1":
                labels[r["arg_id"]].append(r["key_point_id"])
    groups: dict[tuple[str, str], Consultation] = {}
    for a in args:
        matched = labels.get(a["arg_id"], [])
        if len(matched) >= 2:
            continue  # ambiguous gold: dropped, as the data README says
        key = (a["topic"], a["stance"])
        if key not in groups:
            refs = [
                k["key_point"]
                for k in kps.values()
                if k["topic"] == a["topic"] and k["stance"] == a["stance"]
            ]
            groups[key] = Consultation("argkp", f"{a['topic']} ({a['stance']})", [], [], refs)
        groups[key].texts.append(a["argument"])
        groups[key].gold.append(matched[0] if matched else "none")
    return [groups[k] for k in sorted(groups)]


def nhs(level: str = "label") -> list[Consultation]:
    rows = _rows(DATA / "nhs-pxtextmining" / "phase_1" / "text_data.csv")
    groups: dict[tuple[str, str], Consultation] = {}
    for r in rows:
        text = (r["feedback"] or "").strip()
        if not text:
            continue
        key = (r["organization"], r["question"])
        c = groups.setdefault(key, Consultation("nhs", r["question"], [], []))
        c.texts.append(text)
        c.gold.append(r[level])
    return [groups[k] for k in sorted(groups)]


def cimt() -> list[Consultation]:
    rows = _rows(DATA / "cimt-cycling-dialogues" / "dataset.csv")
    groups: dict[str, Consultation] = {}
    for r in rows:
        text = " ".join(x for x in (r["title"], r["text"]) if x).strip()
        c = groups.setdefault(r["dataset"], Consultation("cimt", f"CIMT {r['dataset']}", [], []))
        c.texts.append(text)
        c.gold.append(r["main_category_level1"])
    return [groups[k] for k in sorted(groups)]


def all_consultations() -> list[Consultation]:
    return argkp() + nhs() + cimt()
