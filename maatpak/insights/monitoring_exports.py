"""The monitoring table as CSV (semicolon-separated, for Dutch Excel) and XLSX (openpyxl).
Cells go through core.spreadsheet, so a provider or contract name never runs as a formula."""

import io

from django.http import HttpResponse
from openpyxl import Workbook

from maatpak.core.spreadsheet import csv_writer, xlsx_append
from maatpak.insights.monitoring import COLUMNS, rows_for_export


def monitoring_rows(result: dict) -> tuple[list[str], list[list]]:
    """Header and rows: every provider, then every contract, then each kind of provider."""
    return [label for _, label in COLUMNS], rows_for_export(result["providers"]) + rows_for_export(result["contracts"]) + rows_for_export(
        result["kinds"]
    )


def monitoring_csv_response(result: dict, filename: str) -> HttpResponse:
    header, rows = monitoring_rows(result)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def monitoring_xlsx_response(result: dict, filename: str) -> HttpResponse:
    header, rows = monitoring_rows(result)
    book = Workbook()
    sheet = book.active
    sheet.title = "Contractmonitoring"
    for row in [header, *rows]:
        xlsx_append(sheet, row)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
