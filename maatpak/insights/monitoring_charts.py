"""Charts of the insights pages (matplotlib, no browser scripts). Each chart has a table with the
same figures on the page, so nobody depends on reading the picture.

Two rules hold for every chart, so both live here:
- Labels are plain text. Provider, instrument and group names are typed by people; matplotlib
  would read `Bureau $\\frac{$` as mathematics and fail. Figures are made and saved with
  `text.parse_math` off (`chart_figure`).
- The page's Content-Security-Policy forbids inline styles, and matplotlib's SVG is full of
  `style=` attributes and a `<style>` element. So the SVG is not inlined in the HTML: it is an
  `<img>` with a data: URL (`svg_image`), a separate image document the policy allows
  (`img-src data:`), with the chart's description as its alt text.
"""

import base64
import io
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from django.utils.html import format_html
from django.utils.safestring import SafeString

BLUE, INK = "#0b4f8a", "#1b1b1b"
PLAIN_TEXT = {"text.parse_math": False}


@contextmanager
def chart_figure(*, figsize):
    """`(fig, ax)` for one chart, with every text in it (ticks, legend, labels) read as plain
    text. Make the chart and call `svg_image` inside the `with` block; the figure is closed at
    the end either way."""
    with plt.rc_context(PLAIN_TEXT):
        fig, ax = plt.subplots(figsize=figsize)
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def svg_image(fig, label: str) -> SafeString:
    """The figure as `<img src="data:image/svg+xml;base64,…" alt="label">`."""
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return format_html('<img src="data:image/svg+xml;base64,{}" alt="{}">', data, label)


def placement_rate_chart(figures) -> str:
    """Gross placement rate with its Wilson 95 % interval per provider (N in the label)."""
    rows = [f for f in figures if f.placement_rate is not None]
    if not rows:
        return ""
    with chart_figure(figsize=(7, 0.6 + 0.45 * len(rows))) as (fig, ax):
        rates = [100 * f.placement_rate for f in rows]
        errors = [[100 * (f.placement_rate - f.ci_low) for f in rows], [100 * (f.ci_high - f.placement_rate) for f in rows]]
        positions = range(len(rows))
        ax.barh(positions, rates, xerr=errors, color=BLUE, ecolor=INK, capsize=3)
        ax.set_yticks(positions, [f"{f.provider} (N={f.ended})" for f in rows])
        ax.set_xlim(0, 100)
        ax.set_xlabel("Plaatsingspercentage met 95%-betrouwbaarheidsinterval")
        ax.invert_yaxis()
        return svg_image(fig, "Plaatsingspercentage per aanbieder; dezelfde cijfers staan in de tabel")


def timeliness_chart(figures) -> str:
    """Share of progress reports on time per provider (N = reports due in the period)."""
    rows = [f for f in figures if f.on_time_percent is not None]
    if not rows:
        return ""
    with chart_figure(figsize=(7, 0.6 + 0.45 * len(rows))) as (fig, ax):
        positions = range(len(rows))
        ax.barh(positions, [f.on_time_percent for f in rows], color=BLUE)
        ax.set_yticks(positions, [f"{f.provider} (N={f.reports_due})" for f in rows])
        for y, f in enumerate(rows):
            ax.text(min(f.on_time_percent + 1, 90), y, f"{f.on_time_percent:.0f}%", va="center", color=INK)
        ax.set_xlim(0, 100)
        ax.set_xlabel("Voortgangsrapportages op tijd (%)")
        ax.invert_yaxis()
        return svg_image(fig, "Rapportages op tijd per aanbieder; dezelfde cijfers staan in de tabel")
