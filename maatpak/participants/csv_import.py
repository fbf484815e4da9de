"""What the CSV imports share (inlezen): the caseload import here and the history import in
insights. An error names its line (the header is line 1) and column; a result counts rows.
A cell obeys the text rule of every form (core.text): no invisible control characters and no
characters that change the reading direction; such a row is reported, never stripped."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from maatpak.core.text import text_problem


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("line %(line)s, column %(column)s: %(message)s") % {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    already_present: int = 0
    errors: list = field(default_factory=list)
    dry_run: bool = False


def read_rows(text: str, columns, *, delimiter: str = ",", fold_header: bool = False) -> tuple[list[tuple[int, dict]], RowError | None]:
    """The data rows of a CSV text as (line, row), or the error that names the columns missing
    from the header. `fold_header`: header names count without surrounding spaces and case."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = reader.fieldnames or []
    if fold_header:
        header = reader.fieldnames = [(name or "").strip().lower() for name in header]
    missing = [c for c in columns if c not in header]
    if missing:
        return [], RowError(1, ", ".join(missing), _("these columns are missing from the header row"))
    try:
        return list(enumerate(reader, start=2)), None
    except csv.Error:
        # A cell longer than the csv module allows (128 KB), or a quote that is never closed.
        return [], RowError(
            reader.line_num,
            "-",
            _(
                "this line cannot be read: a cell is far too long or a quote is not closed. Open the file in a spreadsheet and save it again as CSV"
            ),
        )


def cell_errors(line: int, row: dict) -> list[RowError]:
    """One error per cell of `row` ({column: text}) that the text rule refuses."""
    errors = []
    for column, value in row.items():
        problem = text_problem(value)
        if problem:
            errors.append(RowError(line, column, problem))
    return errors


def length_errors(line: int, row: dict, limits: dict[str, int]) -> list[RowError]:
    """One error per cell longer than its column's limit ({column: the most characters})."""
    errors = []
    for column, limit in limits.items():
        problem = text_problem(row[column], max_length=limit)
        if problem:
            errors.append(RowError(line, column, problem))
    return errors
