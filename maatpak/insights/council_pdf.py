"""The council report as a PDF, in plain Dutch (B1), with the same figures as the page.

Like the right-of-access file (`privacy.subject_access_pdf`): the text is built first as a list of
blocks (tested on its own), then laid out with fpdf2 and matplotlib's DejaVu font (so "×", "<"
and "ë" print). Every figure comes from `IndicatorTable.grid`, the protected cells the page shows:
the PDF never holds a number the page hides. Build it under `translation.override("nl")`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from maatpak.trajectories.pdf import FONT_DIR, day_text

FONT = "DejaVu"
LINE = 5.5


@dataclass(frozen=True)
class Block:
    """One piece of the PDF: kind is title, heading, subheading, text, item (label and text),
    table (rows, the first the column headings) or space."""

    kind: str
    text: str = ""
    label: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def legend_texts(threshold: int) -> list[str]:
    """What "< 10" and "×" mean, in plain words (also on the page)."""
    return [
        _("“< %(threshold)s” means: fewer than %(threshold)s people. We do not give the exact number, so nobody can be recognised.")
        % {"threshold": threshold},
        _(
            "“×” means: this number is left out too. Otherwise you could work out a small number from the other numbers, "
            "for example by subtracting them from the total."
        ),
        _("A number is never given for one person. The report has no names and no lists of people."),
    ]


def council_pdf_blocks(report: dict) -> list[Block]:
    period, previous = report["period"], report["previous"]
    blocks = [
        Block("title", _("Report for the client council")),
        Block("text", _("Municipality: %(name)s") % {"name": report["municipality"].name}),
        Block(
            "text", _("Quarter: %(period)s (with the quarter before: %(previous)s)") % {"period": period.label, "previous": previous.label}
        ),
        Block("text", _("Made on: %(day)s") % {"day": day_text(report["today"])}),
        Block("space"),
        Block("heading", _("How to read the numbers")),
        *(Block("text", text) for text in legend_texts(report["threshold"])),
    ]
    for theme in report["themes"]:
        blocks += [Block("space"), Block("heading", str(theme["label"]))]
        for table in theme["tables"]:
            indicator = table.indicator
            blocks += [Block("subheading", str(indicator.title)), Block("text", str(indicator.definition))]
            if indicator.denominator:
                blocks.append(Block("item", str(indicator.denominator), label=_("Out of")))
            heading = (str(indicator.breakdown) or "", *(f"{label} {p.label}" for p, _name, label in table.headings))
            rows = tuple((line.label, *(cell.text for cell in line.cells)) for line in table.grid)
            blocks.append(Block("table", rows=(heading, *rows)))
    blocks += [Block("space"), Block("heading", _("The checklist"))]
    for answer in report["checklist"]:
        blocks += [Block("subheading", answer.question), Block("item", answer.source, label=_("Source"))]
        if answer.not_measurable_reason:
            blocks.append(Block("item", answer.not_measurable_reason, label=_("Not measurable")))
        blocks += [Block("text", sentence) for sentence in answer.sentences]
    return blocks


class _Pdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="C")


def _lay_out(pdf: FPDF, block: Block) -> None:
    if block.kind in ("title", "heading"):
        pdf.start_section(block.text)
        pdf.set_font(FONT, "B", 18 if block.kind == "title" else 14)
        pdf.multi_cell(0, 9 if block.kind == "title" else 8, block.text, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "subheading":
        pdf.ln(2)
        pdf.start_section(block.text, level=1)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "text":
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, LINE, block.text, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "item":
        pdf.set_font(FONT, "B", 10)
        pdf.write(LINE, f"{block.label}: ")
        pdf.set_font(FONT, "", 10)
        pdf.write(LINE, block.text)
        pdf.ln(LINE)
    elif block.kind == "table":
        pdf.ln(1)
        pdf.set_font(FONT, "", 8)
        figures = len(block.rows[0]) - 1
        with pdf.table(
            col_widths=(3 * max(figures, 2) // 2, *([1] * figures)),
            text_align=("LEFT", *(["RIGHT"] * figures)),
            line_height=4.5,
            headings_style=FontFace(emphasis="BOLD"),
        ) as table:
            for row in block.rows:
                table.row(row)
    elif block.kind == "space":
        pdf.ln(4)


def council_pdf_bytes(report: dict) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_("Report for the client council"))
    pdf.set_lang("nl")
    pdf.add_page()
    for block in council_pdf_blocks(report):
        _lay_out(pdf, block)
    return bytes(pdf.output())
