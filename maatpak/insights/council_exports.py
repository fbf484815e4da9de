"""Every table of the council report as CSV (semicolon-separated, for Dutch Excel) and XLSX.

One line per indicator × quarter × row, with the figures as the SAME texts the page shows: a
suppressed figure is exported as "< 10" or "×", never its value (the texts come from the
protected cells the page prints). Cells go through core.spreadsheet, so no label ever
runs as a formula.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from maatpak.core.spreadsheet import csv_response, xlsx_response
from maatpak.insights.council_report import COLUMNS, column_label


def council_rows(report: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows: per theme, per indicator, the chosen quarter then the previous one."""
    header = [
        _("Theme"),
        _("Indicator code"),
        _("Indicator"),
        _("Quarter"),
        _("Row"),
        *(column_label(name) for name in COLUMNS),
    ]
    rows = []
    for theme in report["themes"]:
        for table in theme["tables"]:
            for result in (table.current, table.previous):
                for row in (*result.rows, result.total):
                    rows.append(
                        [
                            str(theme["label"]),
                            table.indicator.code,
                            str(table.indicator.title),
                            result.period.code,
                            row.label,
                            *(getattr(row, name).text if name in table.columns else "" for name in COLUMNS),
                        ]
                    )
    return header, rows


def council_csv_response(report: dict, filename: str) -> HttpResponse:
    header, rows = council_rows(report)
    return csv_response(header, rows, filename=filename)


def council_xlsx_response(report: dict, filename: str) -> HttpResponse:
    header, rows = council_rows(report)
    return xlsx_response(header, rows, filename=filename, sheet_title="Tabellen")
