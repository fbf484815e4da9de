"""Monitoring charts as inline SVG (matplotlib, no browser scripts). Each chart has a table with
the same figures on the page, so nobody depends on reading the picture."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

BLUE, INK = "#0b4f8a", "#1b1b1b"


def _svg(fig, label: str) -> str:
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :].replace("<svg", f'<svg role="img" aria-label="{label}"', 1)


def placement_rate_chart(figures) -> str:
    """Gross placement rate with its Wilson 95 % interval per provider (N in the label)."""
    rows = [f for f in figures if f.placement_rate is not None]
    if not rows:
        return ""
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.45 * len(rows)))
    rates = [100 * f.placement_rate for f in rows]
    errors = [[100 * (f.placement_rate - f.ci_low) for f in rows], [100 * (f.ci_high - f.placement_rate) for f in rows]]
    ax.barh([f"{f.provider} (N={f.ended})" for f in rows], rates, xerr=errors, color=BLUE, ecolor=INK, capsize=3)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Plaatsingspercentage met 95%-betrouwbaarheidsinterval")
    ax.invert_yaxis()
    return _svg(fig, "Plaatsingspercentage per aanbieder; dezelfde cijfers staan in de tabel")


def timeliness_chart(figures) -> str:
    """Share of progress reports on time per provider (N = reports due in the period)."""
    rows = [f for f in figures if f.on_time_percent is not None]
    if not rows:
        return ""
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.45 * len(rows)))
    ax.barh([f"{f.provider} (N={f.reports_due})" for f in rows], [f.on_time_percent for f in rows], color=BLUE)
    for y, f in enumerate(rows):
        ax.text(min(f.on_time_percent + 1, 90), y, f"{f.on_time_percent:.0f}%", va="center", color=INK)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Voortgangsrapportages op tijd (%)")
    ax.invert_yaxis()
    return _svg(fig, "Rapportages op tijd per aanbieder; dezelfde cijfers staan in de tabel")
