"""Corpora of N unique statements for the synthesis benchmarks.

Real public text from ../shared/data when it is there (ArgKP, NHS phases 1-2,
English Pol.is comments; about 25,000 texts), extended to N unique statements
by joining a text with a sentence of another (seeded). Where the data is not
there (the GPU machine), a seeded template generator makes plausible
consultation sentences instead.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _data_dir() -> Path | None:
    for up in (ROOT.parent, ROOT.parent.parent):
        if (up / "shared" / "data").is_dir():
            return up / "shared" / "data"
    return None


def real_pool() -> list[str]:
    data = _data_dir()
    if data is None:
        return []
    csv.field_size_limit(sys.maxsize)
    texts: list[str] = []

    def col(path: Path, name: str) -> None:
        if path.exists():
            with open(path, encoding="utf-8", newline="") as fh:
                texts.extend((r.get(name) or "").strip() for r in csv.DictReader(fh))

    for split in ("train", "dev"):
        col(data / "ibm-argkp-2021/kpm_data" / f"arguments_{split}.csv", "argument")
    col(data / "nhs-pxtextmining/phase_1/text_data.csv", "feedback")
    for folder in sorted((data / "polis-opendata").glob("*")):
        if folder.is_dir() and not folder.name.startswith(("austria", "vtaiwan")):
            col(folder / "comments.csv", "comment-body")
    p2 = data / "nhs-pxtextmining/phase_2/v6framework_230831.csv"
    if p2.exists():
        with open(p2, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            name = next((c for c in reader.fieldnames or [] if "answer" in c.lower()), None)
            if name:
                texts.extend((r.get(name) or "").strip() for r in reader)
    seen: set[str] = set()
    out = []
    for t in texts:
        if len(t) > 3 and t not in seen and t.lower() != "did not answer":
            seen.add(t)
            out.append(t)
    return out


_SUBJECTS = [
    "the bus service",
    "the community centre",
    "our food bank",
    "the GP surgery",
    "the library",
    "online meetings",
    "phone calls",
    "the council",
    "volunteers",
    "the youth club",
    "the housing office",
    "the hospital",
    "local charities",
    "the school",
    "social workers",
    "the park",
    "the cycle path",
    "the benefits office",
    "mental health support",
    "carers",
]
_VERBS = [
    "is too far away",
    "needs more funding",
    "was really helpful",
    "closes too early",
    "should listen to residents",
    "is hard to reach by phone",
    "made a real difference",
    "needs better information",
    "is not accessible for wheelchair users",
    "worked well during Covid",
    "costs too much",
    "should open at weekends",
    "lost staff this year",
    "is run by kind people",
    "could share more with others",
    "does not answer letters",
    "helped isolated people",
    "needs a translator",
    "was cut last spring",
    "is always busy",
]
_TAILS = [
    "for older people",
    "for families",
    "in the evenings",
    "since the pandemic",
    "for young carers",
    "in our village",
    "for people without internet",
    "for disabled residents",
    "this winter",
    "for new arrivals",
    "on weekdays",
    "for people on low incomes",
    "",
]


_NAMES = [
    "Alice",
    "Bob",
    "Charlie",
    "Dina",
    "Emeka",
    "Fatima",
    "Grace",
    "Hassan",
    "Ivy",
    "Jonah",
    "Kiran",
    "Leah",
    "Marek",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Xander",
    "Yara",
    "Zoe",
    "Amir",
    "Bethan",
    "Ciaran",
    "Deborah",
]
_PLACES = [
    "Ashford",
    "Bingham",
    "Carlton",
    "Dunmore",
    "Eastwood",
    "Felling",
    "Gorton",
    "Hexham",
    "Ilkley",
    "Jarrow",
    "Keswick",
    "Ludlow",
    "Morpeth",
    "Newark",
    "Oldham",
    "Penrith",
    "Quorn",
    "Ripon",
    "Selby",
    "Thirsk",
    "Ulverston",
    "Wigton",
    "Yarm",
    "Alnwick",
    "Bedale",
    "Cromer",
    "Darwen",
    "Ely",
    "Frome",
    "Goole",
]


def synthetic(n: int, seed: int = 0) -> list[str]:
    """Unique statements even after normalisation (no digits: dedupe ignores them)."""
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        t = f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_VERBS)} {rng.choice(_TAILS)}"
        if len(seen) > 4000:
            t += f", says {rng.choice(_NAMES)} from {rng.choice(_PLACES)}"
            if len(seen) > 3_000_000:
                t += f" and {rng.choice(_NAMES)}"
        t = " ".join(t.split()) + "."
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


_SENT = re.compile(r"(?<=[.!?])\s+")


def unique_corpus(n: int, seed: int = 0) -> list[str]:
    pool = real_pool()
    if not pool:
        return synthetic(n, seed)
    rng = random.Random(seed)
    base = pool[:]
    rng.shuffle(base)
    out = base[:n]
    seen = set(out)
    sentences = [s for t in pool for s in _SENT.split(t) if 15 < len(s) < 200]
    while len(out) < n:
        t = f"{rng.choice(pool)} {rng.choice(sentences)}"
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def write_csv(path: Path, texts: list[str]) -> Path:
    channels = ["online", "letter", "phone", "paper form"]
    sectors = ["community", "public", "third sector", "private"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "channel", "sector"])
        for i, t in enumerate(texts, 1):
            w.writerow([f"c{i}", t, channels[i % 4], sectors[(i // 4) % 4]])
    return path
