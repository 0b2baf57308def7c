"""Bar charts drawn on the server as SVG for pages and PDFs, with a text alternative.
(The DOCX draws its charts as tables: see render._chart_table.)"""

from functools import lru_cache
from html import escape
from typing import Any

from django.utils.translation import gettext as _

ACCENT = "#0b5a6b"
INK = "#1b1f24"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def chart_data(
    key: str, title: str, counts: list[tuple[str, int]], unit: str, note: str = ""
) -> dict[str, Any]:
    """A bar chart's data and its text alternative (the same figures, in words).

    `note` says what one unit is when the title alone could mislead (people, not lines);
    every format prints it under the chart.
    """
    data = "; ".join(f"{label}: {n}" for label, n in counts) + "."
    alt = _("%(title)s, in %(unit)s. %(data)s") % {"title": title, "unit": unit, "data": data}
    if note:
        alt = f"{alt} {note}"
    return {"key": key, "title": title, "bars": counts, "alt": alt, "data": data, "note": note}


# Font sizes in chart units (a chart is 640 units wide, printed about 15-17 cm wide):
# 14 units print at about 10 pt beside 11 pt text; large print needs 16-18 pt, so 24.
FONT_NORMAL, FONT_LARGE = 14, 24
WIDTH = 640


@lru_cache(maxsize=4)
def _font(size: int) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size)


def _measure(text: str, size: int) -> float:
    return _font(size).getlength(text)


def _fit(text: str, room: float, size: int) -> str:
    if _measure(text, size) <= room:
        return text
    while text and _measure(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(label: str, room: float, size: int) -> list[str]:
    """A label on one line, or two when it is too wide (the second cut with an ellipsis)."""
    label = " ".join(str(label).split())
    if _measure(label, size) <= room:
        return [label]
    words, first = label.split(" "), ""
    while words and _measure((first + " " + words[0]).strip(), size) <= room:
        first = (first + " " + words.pop(0)).strip()
    if not first:  # one long word
        return [_fit(label, room, size)]
    return [first, _fit(" ".join(words), room, size)]


def layout(chart: dict[str, Any], *, large_print: bool = False) -> dict[str, Any]:
    """Where every label, bar and figure goes, in chart units, measured with the font the
    chart is drawn in, so labels never overlap their bars at any size."""
    size = FONT_LARGE if large_print else FONT_NORMAL
    bars = [(str(label), int(n)) for label, n in chart["bars"]]
    pad = round(size * 0.6)
    value_w = max((_measure(str(n), size) for _l, n in bars), default=0) + pad
    # Labels take what they need, up to 45 % of the width; longer ones wrap to two lines.
    cap = WIDTH * 0.45
    labels = [_wrap(label, cap - pad, size) for label, _n in bars]
    label_w = min(cap, max((_measure(line, size) for ls in labels for line in ls), default=0) + pad)
    line_h = round(size * 1.2)
    bar_h = round(size * 1.1)
    gap = round(size * (0.25 if large_print else 0.4))
    top = round(size * 0.4)
    rows, y = [], top
    peak = max((n for _l, n in bars), default=1) or 1
    bar_room = WIDTH - label_w - value_w
    for lines, (_label, n) in zip(labels, bars, strict=True):
        row_h = max(bar_h, line_h * len(lines)) + gap
        mid = y + row_h / 2
        rows.append(
            {
                "lines": lines,
                "n": n,
                "bar_y": mid - bar_h / 2,
                "bar_w": max(2, round(bar_room * n / peak)),
                # Baselines: the text's middle on the bar's middle (0.35 em below centre).
                "text_y": [
                    mid + size * 0.35 + (i - (len(lines) - 1) / 2) * line_h
                    for i in range(len(lines))
                ],
            }
        )
        y += row_h
    return {
        "size": size,
        "label_w": label_w,
        "pad": pad,
        "bar_h": bar_h,
        "height": round(y + top),
        "rows": rows,
    }


def svg(chart: dict[str, Any], *, large_print: bool = False) -> str:
    box = layout(chart, large_print=large_print)
    size, label_w, pad = box["size"], box["label_w"], box["pad"]
    uid = f"chart-{chart['key']}-{abs(hash(chart['title'])) % 10_000}"
    out = []
    for row in box["rows"]:
        for line, ty in zip(row["lines"], row["text_y"], strict=True):
            out.append(
                f'<text x="{label_w - pad / 2:.0f}" y="{ty:.1f}" text-anchor="end" '
                f'font-size="{size}" fill="{INK}">{escape(line)}</text>'
            )
        out.append(
            f'<rect x="{label_w:.0f}" y="{row["bar_y"]:.1f}" width="{row["bar_w"]}" '
            f'height="{box["bar_h"]}" fill="{ACCENT}"/>'
            f'<text x="{label_w + row["bar_w"] + pad / 2:.0f}" '
            f'y="{row["bar_y"] + box["bar_h"] / 2 + size * 0.35:.1f}" '
            f'font-size="{size}" fill="{INK}">{row["n"]}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {box["height"]}" width="100%" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" font-family="DejaVu Sans, sans-serif">'
        f'<title id="{uid}-t">{escape(chart["title"])}</title><desc id="{uid}-d">{escape(chart["alt"])}</desc>'
        + "".join(out)
        + "</svg>"
    )
