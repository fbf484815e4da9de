"""The monitoring table as CSV (semicolon-separated, for Dutch Excel) and XLSX (openpyxl).
Cells go through core.spreadsheet, so a provider or contract name never runs as a formula."""

from django.http import HttpResponse

from maatpak.core.spreadsheet import csv_response, xlsx_response
from maatpak.insights.monitoring import COLUMNS, rows_for_export


def monitoring_rows(result: dict) -> tuple[list[str], list[list]]:
    """Header and rows: every provider, then every contract, then each kind of provider."""
    return [label for _, label in COLUMNS], rows_for_export(result["providers"]) + rows_for_export(result["contracts"]) + rows_for_export(
        result["kinds"]
    )


def monitoring_csv_response(result: dict, filename: str) -> HttpResponse:
    header, rows = monitoring_rows(result)
    return csv_response(header, rows, filename=filename)


def monitoring_xlsx_response(result: dict, filename: str) -> HttpResponse:
    header, rows = monitoring_rows(result)
    return xlsx_response(header, rows, filename=filename, sheet_title="Contractmonitoring", freeze="B2")
