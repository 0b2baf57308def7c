"""Letters and labels: the print-ready side of outreach.

A4 letters place the recipient's address where a DL windowed envelope shows it
when the page is folded in three: 20 mm from the left edge, 50 mm from the top,
within 85 × 35 mm. Large-print letters use 18 pt text. Any PDF enclosures (a
paper form, say) follow their letter, so a batch can be printed in one go.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from cairn.core.network import network
from cairn.lib import storage
from cairn.lib.pdf import join_pdfs, render_pdf
from cairn.outreach.models import Delivery

LABELS_PER_SHEET = 21  # 3 × 7, the common 63.5 × 38.1 mm sheet


@dataclass
class Letter:
    delivery: Delivery
    address_lines: list[str]
    paragraphs: list[str]
    large_print: bool
    address_pt: float = 11.5


# The DL window shows 85 x 35 mm; the address is printed as large as fits there (16 pt in
# large print when it can), never clipped: a long address gets smaller type instead.
WINDOW_MM = (85, 35)
ADDRESS_SIZES = {False: (11.5, 10, 9, 8), True: (16, 14, 12, 10, 9, 8)}
LINE_HEIGHT = 1.25
PT_MM = 25.4 / 72


def address_size(lines: list[str], large_print: bool) -> float:
    """The largest type size at which every line, wrapped at the window's width (about
    0.6 em a character, DejaVu Sans' widest average), fits the window's height."""
    width, height = WINDOW_MM
    sizes = ADDRESS_SIZES[large_print]
    for size in sizes:
        per_line = max(1, int(width / (size * PT_MM * 0.6)))
        rows = sum(max(1, -(-len(line) // per_line)) for line in lines)
        if rows * size * LINE_HEIGHT * PT_MM <= height:
            return size
    return sizes[-1]


def address_lines(person) -> list[str]:
    lines = [person.full_name]
    lines += [line.strip() for line in person.address.splitlines() if line.strip()]
    if person.postcode and person.postcode.strip().upper() not in (line.upper() for line in lines):
        lines.append(person.postcode.strip().upper())
    return lines


def _letters(deliveries: Iterable[Delivery]) -> list[Letter]:
    letters = []
    for d in deliveries:
        if d.person is None or d.person.anonymised_at is not None:
            continue
        paragraphs = [p.strip() for p in d.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        lines = address_lines(d.person)
        size = address_size(lines, d.large_print)
        letters.append(Letter(d, lines, paragraphs, d.large_print, size))
    return letters


def _context(letters: list[Letter]) -> dict:
    return {
        "letters": letters,
        "network_name": network().name,
        "sender_lines": [
            line for line in getattr(settings, "NETWORK_POSTAL_ADDRESS", "").split("\n") if line
        ],
        "today": timezone.localdate(),
    }


# Letters rendered per WeasyPrint call: a batch's progress moves between chunks, and a
# long batch's layout is never held in memory at once.
CHUNK = 50


def render_letters(
    deliveries: Iterable[Delivery], progress: Callable[[int, int], None] | None = None
) -> bytes:
    """One PDF: every letter on its own A4 pages, each followed by its PDF enclosures.

    `progress(done, total)` is told after each chunk of letters."""
    letters = _letters(deliveries)
    if not letters:
        return render_pdf("outreach/pdf/letters.html", _context([]))
    # A report posted to 300 people is one stored PDF: read once, enclosed 300 times.
    read = storage.reader()
    enclosures = {
        letter.delivery.pk: [
            read(a.file.name)
            for a in letter.delivery.attachments.all()
            if a.mimetype == "application/pdf"
        ]
        for letter in letters
    }
    parts: list[bytes] = []
    if not any(enclosures.values()):
        for start in range(0, len(letters), CHUNK):
            chunk = letters[start : start + CHUNK]
            parts.append(render_pdf("outreach/pdf/letters.html", _context(chunk)))
            if progress is not None:
                progress(start + len(chunk), len(letters))
        return parts[0] if len(parts) == 1 else join_pdfs(parts)
    for done, letter in enumerate(letters, 1):
        parts.append(render_pdf("outreach/pdf/letters.html", _context([letter])))
        parts.extend(enclosures[letter.delivery.pk])
        if progress is not None:
            progress(done, len(letters))
    return join_pdfs(parts)


def render_labels(deliveries: Iterable[Delivery]) -> bytes:
    letters = _letters(deliveries)
    sheets = [
        [letter.address_lines for letter in letters[i : i + LABELS_PER_SHEET]]
        for i in range(0, len(letters), LABELS_PER_SHEET)
    ] or [[]]
    return render_pdf("outreach/pdf/labels.html", {"sheets": sheets})
