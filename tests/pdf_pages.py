"""What a printed page looks like, read back from a PDF: the sizes its text is printed at,
how far down each page its content goes, and whether anything runs into the margin.
Shared by the tests of every document Cairn prints."""

import io
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from pypdf import PdfReader

PDFTOPPM = shutil.which("pdftoppm")


def text_sizes(data: bytes) -> Counter:
    """Characters of text by printed size in points."""
    sizes: Counter = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(size * abs(tm[3]) * abs(cm[3]), 1)] += len(text.strip())

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def page_bottoms(data: bytes) -> list[float]:
    """How far down each page its body goes (text and pictures), as a share of the page's
    height: a page that ends at 0.5 is half blank."""
    bottoms = []
    for page in PdfReader(io.BytesIO(data)).pages:
        height = float(page.mediabox.height)
        lows: list[float] = []

        def visit(text, cm, tm, font, size, lows=lows, height=height):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and y > height * 0.06:  # above the footer's page number
                lows.append(y)

        def draw(op, args, cm, tm, lows=lows):
            if op == b"Do":  # a picture fills the unit square that cm maps onto the page
                lows.append(min(cm[5], cm[5] + cm[3]))

        page.extract_text(visitor_text=visit, visitor_operand_before=draw)
        bottoms.append(1 - min(lows) / height if lows else 0)
    return bottoms


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def ink_in_right_margin(data: bytes, tmp: Path, margin_mm: float = 10) -> list[int]:
    """Pages (from 1) with anything drawn in the outer `margin_mm` of the right edge: text
    or a table that ran past the page's margin. Needs pdftoppm (poppler-utils)."""
    from PIL import Image

    pdf = tmp / "ink.pdf"
    pdf.write_bytes(data)
    subprocess.run([PDFTOPPM, "-r", "40", "-gray", str(pdf), str(tmp / "ink")], check=True)
    pages = []
    for i, png in enumerate(sorted(tmp.glob("ink-*.pgm")), 1):
        image = Image.open(png)
        strip = round(image.width * margin_mm / 210)
        margin = image.crop((image.width - strip, 0, image.width, image.height))
        if margin.getextrema()[0] < 200:  # something darker than a light grey
            pages.append(i)
    return pages
