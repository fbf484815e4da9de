"""Cells for CSV and XLSX exports that a spreadsheet shows as text, never runs as a formula.

A provider name, instrument or group label typed by somebody can start with `=`, `+`, `-` or
`@` (or a tab or carriage return, which some spreadsheets skip before reading a formula). Opened
in Excel or LibreOffice, `=HYPERLINK("https://…","klik")` would become a live formula (CSV or
formula injection). Every export writes its cells through this module, which prefixes such text
with an apostrophe (the OWASP advice) and, in XLSX, stores the cell explicitly as a string.
Numbers, dates and empty cells are written as they are: `-3` as a number is a number, not text.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value for a spreadsheet cell: text that could start a formula gets a leading `'`;
    any other value is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_writer(stream, *, delimiter: str = ";"):
    """A `csv.writer` on `stream` whose rows pass through `safe_cell`: `writerow` and
    `writerows` work as usual. Semicolon-separated by default, as Dutch Excel expects."""
    return _SafeCsvWriter(csv.writer(stream, delimiter=delimiter))


class _SafeCsvWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def xlsx_append(sheet, row) -> None:
    """Append `row` to an openpyxl worksheet. Text is escaped with `safe_cell` and typed as a
    string (data type "s"), so openpyxl never stores it as a formula; characters a worksheet
    cannot hold (control characters) are dropped rather than failing the whole export."""
    sheet.append([_xlsx_cell(sheet, value) for value in row])


def _xlsx_cell(sheet, value) -> Cell:
    if not isinstance(value, str):
        return Cell(sheet, value=value)
    cell = Cell(sheet, value=safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value)))
    cell.data_type = "s"
    return cell


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_csv(stream, header, rows) -> None:
    """A header and rows, semicolon-separated, every cell through `safe_cell`."""
    writer = csv_writer(stream)
    writer.writerow(header)
    writer.writerows(rows)


def xlsx_bytes(header, rows, *, sheet_title: str, freeze: str = "A2") -> bytes:
    """One worksheet with the header frozen at `freeze`, every cell through `xlsx_append`."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in [header, *rows]:
        xlsx_append(sheet, row)
    sheet.freeze_panes = freeze
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_response(header, rows, *, filename: str):
    """A download of `filename`.csv (UTF-8, semicolons: Dutch Excel opens it as columns)."""
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    write_csv(response, header, rows)
    return response


def xlsx_response(header, rows, *, filename: str, sheet_title: str, freeze: str = "A2"):
    """A download of `filename`.xlsx with one worksheet."""
    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(header, rows, sheet_title=sheet_title, freeze=freeze), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
