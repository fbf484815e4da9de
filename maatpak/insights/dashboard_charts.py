"""The dashboard's trend charts (trendgrafieken): one small bar chart per indicator.

The dashboard shows some thirty of them; matplotlib takes about 60 ms and 16 kB per chart, so
these are drawn by hand: a few rectangles and labels, under a millisecond each. Like the other
insights charts (`monitoring_charts`) the SVG is an `<img>` with a data: URL and an alt text, so
the page's Content-Security-Policy needs no inline style; the SVG uses presentation attributes
only. The same figures are in a table beside the chart.
"""

import base64
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.html import format_html
from django.utils.safestring import SafeString

from maatpak.insights.monitoring_charts import BLUE, INK

WIDTH, HEIGHT = 320, 120
TOP, BOTTOM, SIDE = 16, 22, 4  # room for the value above a bar and the quarter below it
MUTED = "#5a5a5a"


@dataclass(frozen=True)
class TrendPoint:
    """One quarter of a trend: its short label ('Q3 26'), the value (a share 0–1 or a count;
    None when there is nothing to divide by) and that value as text ('40 %', '12')."""

    label: str
    value: float | None
    text: str


def trend_chart(points: list[TrendPoint], *, label: str, share: bool) -> SafeString:
    """Bars for the quarters, oldest left; the last (the chosen quarter) darkest. A share is
    drawn on a 0–100 % scale, a count from 0 to the largest count."""
    values = [p.value for p in points if p.value is not None]
    top = 1.0 if share else max(values, default=0) or 1
    slot = (WIDTH - 2 * SIDE) / max(len(points), 1)
    usable = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'font-family="sans-serif" font-size="10" text-anchor="middle">',
        f"<title>{escape(label)}</title>",
        f'<line x1="{SIDE}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - SIDE}" y2="{HEIGHT - BOTTOM}" stroke="{INK}" stroke-width="1"/>',
    ]
    for index, point in enumerate(points):
        centre = SIDE + slot * (index + 0.5)
        colour = BLUE if index == len(points) - 1 else "#7fa7cc"
        if point.value is not None:
            height = max(usable * point.value / top, 1 if point.value else 0)
            y = HEIGHT - BOTTOM - height
            parts.append(
                f'<rect x="{centre - slot * 0.35:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" fill="{colour}"/>'
            )
            parts.append(f'<text x="{centre:.1f}" y="{y - 3:.1f}" fill="{INK}">{escape(point.text)}</text>')
        else:
            parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM - 3}" fill="{MUTED}">–</text>')
        parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - 8}" fill="{MUTED}">{escape(point.label)}</text>')
    parts.append("</svg>")
    data = base64.b64encode("".join(parts).encode("utf-8")).decode("ascii")
    return format_html('<img src="data:image/svg+xml;base64,{}" alt="{}" width="{}" height="{}">', data, label, WIDTH, HEIGHT)
