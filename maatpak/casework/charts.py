"""Small inline charts of the dossier. Each chart is decoration (aria-hidden): a table next to
it on the page is the text alternative."""


def ladder_svg(ladder) -> str:
    """A small step chart of the ladder history (participatieladder), oldest first, as inline SVG."""
    if not ladder:
        return ""
    width, height, pad = 320, 120, 24
    first, last = ladder[0].assessed_on, ladder[-1].assessed_on
    span = max(1, (last - first).days)
    points = []
    for row in ladder:
        x = pad + (width - 2 * pad) * ((row.assessed_on - first).days / span if len(ladder) > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * (row.rung - 1) / 5
        points.append((x, y, row))
    path = " ".join(f"{x:.0f},{y:.0f}" for x, y, _row in points)
    dots = "".join(
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="#0b4f8a"><title>{r.assessed_on:%d-%m-%Y}: {r.rung}</title></circle>'
        for x, y, r in points
    )
    grid = "".join(
        f'<text x="4" y="{height - pad - (height - 2 * pad) * (k - 1) / 5 + 4:.0f}" font-size="10" fill="#4a4a4a">{k}</text>'
        for k in range(1, 7)
    )
    return (
        f'<svg aria-hidden="true" focusable="false" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f5f8"/>{grid}'
        f'<polyline points="{path}" fill="none" stroke="#0b4f8a" stroke-width="2"/>{dots}</svg>'
    )
