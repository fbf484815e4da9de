"""The right-of-access file as a readable PDF, in plain Dutch (B1).

Like the plan and report copies (`trajectories.pdf`): the text is built first as a list of blocks
(tested on its own), then laid out with fpdf2 and matplotlib's DejaVu font. One heading per kind
of data (also a PDF bookmark), each record as "label: value" lines with empty items left out
(the JSON keeps them); long texts wrap and break across pages. The file is always in Dutch:
build the report under `translation.override("nl")`.
"""

from dataclasses import dataclass

from django.utils import timezone
from fpdf import FPDF
from fpdf.fonts import FontFace

from maatpak.privacy.subject_access import SubjectAccessReport
from maatpak.trajectories.pdf import FONT_DIR, day_text

FONT = "DejaVu"
LINE = 5.5
TITLE = "Inzage: uw gegevens in Maatpak"
ACCESS_LOG_HEADING = "Wie heeft uw dossier bekeken?"
ACCESS_LOG_COLUMNS = ("Datum", "Tijd", "Organisatie", "Rol", "Wat", "Keer")

INTRO = (
    "In dit overzicht staat alles wat de gemeente in Maatpak over u heeft vastgelegd. "
    "U heeft hier recht op (Algemene verordening gegevensbescherming, artikel 15).",
    "Onder elk kopje staat één soort gegevens. Staat er 'Niets vastgelegd'? Dan heeft Maatpak daarover niets van u.",
    "Uw BSN staat er maar voor een deel in (alleen de laatste 3 cijfers). Zo is dit overzicht veiliger als u het bewaart of doorstuurt.",
)
GOOD_TO_KNOW = (
    "Klopt er iets niet? Dan mag u vragen om het te verbeteren of aan te vullen. Zeg het tegen uw klantmanager, "
    "of schrijf naar de functionaris gegevensbescherming van uw gemeente.",
    "Heeft u een vraag over wat de gemeente met uw gegevens doet? Of wilt u dat iets wordt verwijderd? "
    "Ook dan kunt u terecht bij de functionaris gegevensbescherming.",
    "Bent u het niet eens met hoe de gemeente met uw gegevens omgaat? Dan kunt u een klacht indienen bij de "
    "Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl).",
    "Wie uw dossier heeft bekeken, staat per dag, organisatie en rol. Namen van medewerkers staan er niet in.",
)


@dataclass(frozen=True)
class Block:
    """One piece of the PDF: kind is title, heading, text, number (of a record), item (label and
    text), table (rows, the first the column headings) or space."""

    kind: str
    text: str = ""
    label: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def subject_access_pdf_blocks(report: SubjectAccessReport) -> list[Block]:
    participant = report.participant
    blocks = [
        Block("title", TITLE),
        Block("text", f"Voor: {participant.full_name} (klantnummer {participant.reference})"),
        Block("text", f"Gemeente: {report.municipality_name}"),
        Block("text", f"Gemaakt op: {day_text(timezone.localtime(report.generated_at).date())}"),
    ]
    if report.request is not None:
        received = day_text(report.request.received_on) if report.request.received_on else "–"
        reference = f", kenmerk {report.request.reference}" if report.request.reference else ""
        blocks.append(Block("text", f"Uw verzoek om inzage is ontvangen op {received}{reference}."))
    blocks += [Block("space"), *(Block("text", text) for text in INTRO), Block("space"), Block("heading", ACCESS_LOG_HEADING)]
    if report.access_log:
        blocks.append(
            Block("text", "Per dag: welke organisatie, in welke rol, wat er gebeurde en hoe vaak. Uw eigen bezoeken staan er niet bij.")
        )
        rows = [
            (day_text(e.day), e.time_text, e.organisation, e.role_label, ", ".join(e.action_labels), str(e.count))
            for e in report.access_log
        ]
        blocks.append(Block("table", rows=(ACCESS_LOG_COLUMNS, *rows)))
    else:
        blocks.append(Block("text", "Niemand anders dan uzelf heeft uw dossier bekeken of gewijzigd."))
    for section in report.sections:
        blocks += [Block("space"), Block("heading", section.title)]
        if section.note:
            blocks.append(Block("text", section.note))
        if not section.records:
            blocks.append(Block("text", "Niets vastgelegd."))
        for number, record in enumerate(section.records, start=1):
            if len(section.records) > 1:
                blocks.append(Block("number", f"{number}."))
            blocks += [Block("item", item.text, label=item.label[:1].upper() + item.label[1:]) for item in record if item.text]
    blocks += [Block("space"), Block("heading", "Wat staat hier niet in?"), *(Block("text", text) for text in report.not_linked)]
    blocks += [Block("space"), Block("heading", "Goed om te weten"), *(Block("text", text) for text in GOOD_TO_KNOW)]
    return blocks


class _Pdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"Pagina {self.page_no()}/{{nb}}", align="C")


def _lay_out(pdf: FPDF, block: Block) -> None:
    if block.kind in ("title", "heading"):
        pdf.start_section(block.text)
        pdf.set_font(FONT, "B", 18 if block.kind == "title" else 13)
        pdf.multi_cell(0, 9 if block.kind == "title" else 8, block.text, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "text":
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, LINE, block.text, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "number":
        pdf.ln(1)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, LINE, block.text, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "item":
        # write() wraps and breaks pages for any length; a table cell taller than a page would not.
        pdf.set_font(FONT, "B", 10)
        pdf.write(LINE, f"{block.label}: ")
        pdf.set_font(FONT, "", 10)
        pdf.write(LINE, block.text)
        pdf.ln(LINE)
    elif block.kind == "table":
        pdf.ln(1)
        pdf.set_font(FONT, "", 9)
        with pdf.table(
            col_widths=(16, 14, 30, 20, 20, 8), text_align="LEFT", line_height=LINE, headings_style=FontFace(emphasis="BOLD")
        ) as table:
            for row in block.rows:
                table.row(row)
    elif block.kind == "space":
        pdf.ln(4)


def subject_access_pdf_bytes(report: SubjectAccessReport) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(TITLE)
    pdf.set_lang("nl")
    pdf.add_page()
    for block in subject_access_pdf_blocks(report):
        _lay_out(pdf, block)
    return bytes(pdf.output())
