"""Bar charts drawn on the server: SVG for pages and PDFs, PNG for DOCX. Both carry a text alternative."""

import io
from html import escape
from typing import Any

from django.utils.translation import gettext as _

ACCENT = "#0b5a6b"
INK = "#1b1f24"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def chart_data(key: str, title: str, counts: list[tuple[str, int]], unit: str) -> dict[str, Any]:
    """A bar chart's data and its text alternative (the same figures, in words)."""
    data = "; ".join(f"{label}: {n}" for label, n in counts) + "."
    alt = _("%(title)s, in %(unit)s. %(data)s") % {"title": title, "unit": unit, "data": data}
    return {"key": key, "title": title, "bars": counts, "alt": alt, "data": data}


def svg(chart: dict[str, Any], width: int = 640) -> str:
    bars = chart["bars"]
    label_w, row_h, top = 230, 30, 8
    bar_w = width - label_w - 60
    peak = max((n for _l, n in bars), default=1) or 1
    height = top * 2 + row_h * len(bars)
    uid = f"chart-{chart['key']}-{abs(hash(chart['title'])) % 10_000}"
    rows = []
    for i, (label, n) in enumerate(bars):
        y = top + i * row_h
        w = max(2, round(bar_w * n / peak))
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 20}" text-anchor="end" font-size="14" fill="{INK}">{escape(str(label)[:34])}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w}" height="{row_h - 10}" fill="{ACCENT}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 20}" font-size="14" fill="{INK}">{n}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" font-family="DejaVu Sans, sans-serif">'
        f'<title id="{uid}-t">{escape(chart["title"])}</title><desc id="{uid}-d">{escape(chart["alt"])}</desc>'
        + "".join(rows)
        + "</svg>"
    )


def png(chart: dict[str, Any], width: int = 1280) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    bars = chart["bars"]
    scale = width / 640
    label_w, row_h, top = int(230 * scale), int(30 * scale), int(8 * scale)
    bar_w = width - label_w - int(60 * scale)
    peak = max((n for _l, n in bars), default=1) or 1
    height = top * 2 + row_h * len(bars)
    image = Image.new("RGB", (width, max(height, 1)), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(FONT, int(14 * scale))
    except OSError:
        font = ImageFont.load_default()
    for i, (label, n) in enumerate(bars):
        y = top + i * row_h
        w = max(2, round(bar_w * n / peak))
        text = str(label)[:34]
        tw = draw.textlength(text, font=font)
        draw.text((label_w - 8 * scale - tw, y + 6 * scale), text, fill=INK, font=font)
        draw.rectangle([label_w, y + 5 * scale, label_w + w, y + row_h - 5 * scale], fill=ACCENT)
        draw.text((label_w + w + 6 * scale, y + 6 * scale), str(n), fill=INK, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
