"""docs/indicators.md as the registry defines it: the document a council's secretary or a
Divosa benchmark contact reads cannot drift from the code (tests/insights/test_indicator_docs.py;
`scripts/indicator_docs.py` writes it)."""

from django.utils import translation

from maatpak.insights.indicators import Theme, all_indicators

HEADER = """# The indicators

Generated from the registry (`maatpak/insights/indicators/`) by `scripts/indicator_docs.py`; a
test fails when this document and the code differ. Every indicator is computed per municipality
(or for all municipalities of a shared service organisation together, on the dashboard) and per
calendar quarter, from data recorded in Maatpak. The municipal dashboard shows them with the
previous quarter and an eight-quarter trend; the council report shows them after small-cell
suppression (`insights/disclosure.py`, [guide for the council](guide-council.md)); the checklist
answers questions with them; the Divosa delivery reads them
([statistics deliveries](statistics-deliveries.md)).

A *count* counts people (each person once per row) or times (events about people); a *share*
has a denominator ("out of").
"""


def indicator_docs_markdown() -> str:
    with translation.override("en"):
        lines = [HEADER]
        for value, label in Theme.choices:
            items = [item for item in all_indicators() if item.theme == value]
            if not items:
                continue
            lines.append(f"## {label}\n")
            for item in items:
                lines.append(f"### {item.title} (`{item.code}`)\n")
                lines.append(f"{item.definition}\n")
                lines.append(f"- **Counts:** {item.numerator} ({item.get_unit_display()})")
                if item.denominator:
                    lines.append(f"- **Out of:** {item.denominator}")
                lines.append(f"- **Period:** {item.period_rule}")
                if item.breakdown:
                    lines.append(f"- **Rows:** {item.breakdown}")
                if item.amount_label:
                    lines.append(f"- **Amount:** {item.amount_label}")
                lines.append(f"- **Reads:** {', '.join(f'`{name}`' for name in item.reads)}")
                lines.append(f"- **Checklist sentence:** {item.sentence}\n")
        return "\n".join(lines).rstrip() + "\n"
