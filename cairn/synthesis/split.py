"""Split long contributions (letters, notes, stories) into statements.

Short texts pass through untouched so their ids stay the caller's ids; a long
text becomes ``<id>#1``, ``<id>#2``... each keeping ``contribution_id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cairn.synthesis.types import Statement

_PARAGRAPH = re.compile(r"\n\s*\n")
# A sentence ends at . ! ? followed by space and a capital, digit or quote.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-ZÀ-Þ0-9])")


def _chunks(text: str, target: int) -> list[str]:
    pieces: list[str] = []
    for para in _PARAGRAPH.split(text):
        para = " ".join(para.split())
        if not para:
            continue
        if len(para) <= target:
            pieces.append(para)
            continue
        current = ""
        for sentence in _SENTENCE.split(para):
            # A run-on "sentence" longer than the target is cut at word boundaries
            # so that a 2 MB comment without full stops still yields statements.
            while len(sentence) > 2 * target:
                cut = sentence.rfind(" ", 0, target)
                cut = cut if cut > 0 else target
                if current:
                    pieces.append(current)
                    current = ""
                pieces.append(sentence[:cut].strip())
                sentence = sentence[cut:].strip()
            if current and len(current) + len(sentence) + 1 > target:
                pieces.append(current)
                current = ""
            current = f"{current} {sentence}".strip()
        if current:
            pieces.append(current)
    return [p for p in pieces if p]


def split_statements(statements: Iterable[Statement], max_chars: int = 1000) -> list[Statement]:
    """Return statements no longer than about ``max_chars``; ``max_chars <= 0`` disables."""
    out: list[Statement] = []
    for st in statements:
        contribution = st.contribution_id if st.contribution_id is not None else st.id
        if max_chars <= 0 or len(st.text) <= max_chars:
            out.append(Statement(st.id, st.text, st.attributes, contribution))
            continue
        target = max(200, max_chars // 2)
        parts = _chunks(st.text, target)
        if len(parts) <= 1:
            out.append(Statement(st.id, st.text, st.attributes, contribution))
            continue
        for i, part in enumerate(parts, 1):
            out.append(Statement(f"{st.id}#{i}", part, st.attributes, contribution))
    return out
