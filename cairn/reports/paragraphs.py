"""A section's text kept with its sources: paragraphs of sentences, each with contribution ids.

This is the shape a section has from composing to rendering:

    [{"list": False, "sentences": [{"text": "We heard 6 points.", "sources": [4, 9]}, ...]},
     {"list": True, "sentences": [{"text": "Morag Lennox: Peer support", "sources": []}]}]

A list paragraph has one sentence per item. The only place text turns back into this
shape is a person's edit (`from_text`), where sentences left as they were keep their
sources and new words have none.
"""

from typing import Any

Paragraphs = list[dict[str, Any]]


def paragraph(sentences: list[tuple[str, list[int]]], *, bullets: bool = False) -> dict[str, Any]:
    return {
        "list": bullets,
        "sentences": [{"text": text, "sources": sorted(set(ids))} for text, ids in sentences],
    }


def text_of(paragraphs: Paragraphs) -> str:
    """The text a person edits: paragraphs split by a blank line, list items start with "- "."""
    out = []
    for para in paragraphs:
        texts = [s["text"] for s in para["sentences"] if s["text"].strip()]
        if para["list"]:
            out.append("\n".join(f"- {t}" for t in texts))
        else:
            out.append(" ".join(texts))
    return "\n\n".join(p for p in out if p.strip())


def sources_of(paragraphs: Paragraphs) -> dict[str, list[int]]:
    """Each sentence drawn from contributions, with their ids."""
    return {
        s["text"]: s["sources"] for para in paragraphs for s in para["sentences"] if s["sources"]
    }


def _carve(text: str, known: dict[str, list[int]]) -> list[dict[str, Any]]:
    """A paragraph's text as sentences: those left as they were keep their sources."""
    found = []
    for sentence, ids in known.items():
        start = text.find(sentence)
        if start >= 0 and sentence:
            found.append((start, start + len(sentence), ids))
    found.sort()
    out: list[dict[str, Any]] = []
    pos = 0
    for start, end, ids in found:
        if start < pos:
            continue  # overlaps an earlier sentence; keep the first
        if text[pos:start].strip():
            out.append({"text": text[pos:start].strip(), "sources": []})
        out.append({"text": text[start:end], "sources": ids})
        pos = end
    if text[pos:].strip():
        out.append({"text": text[pos:].strip(), "sources": []})
    return out


def from_text(text: str, previous: Paragraphs) -> Paragraphs:
    """Paragraphs from a person's edit of `text_of(previous)`."""
    known = sources_of(previous)
    out: Paragraphs = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = [line[2:].strip() for line in lines]
            out.append(
                {
                    "list": True,
                    "sentences": [{"text": t, "sources": known.get(t, [])} for t in items if t],
                }
            )
        else:
            out.append({"list": False, "sentences": _carve(" ".join(lines), known)})
    return [p for p in out if p["sentences"]]
