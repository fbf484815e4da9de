"""The council report (rapport voor de cliëntenraad): page, PDF and every table as CSV or XLSX.

The views are thin: `council_report.council_report` decides what may be published; these only
read the choice from the query string, log the access and render. Nothing here links to a person.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation

from maatpak.accounts.policy import AGGREGATES, permits
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.insights.council_exports import council_csv_response, council_xlsx_response
from maatpak.insights.council_pdf import council_pdf_bytes
from maatpak.insights.council_report import council_report as build_report

PURPOSE = "council report"


def _report(request) -> dict:
    return build_report(
        user=request.user, period_code=request.GET.get("period", ""), municipality_id=request.GET.get("municipality") or None
    )


def _query(report: dict) -> str:
    """The choice actually shown (after any refusal), so the downloads match the page."""
    return urlencode({"period": report["period"].code, "municipality": report["municipality"].pk})


def _log(request, report: dict, action: str, what: str) -> None:
    audit_record(
        actor=request.user,
        action=action,
        municipality_id=report["municipality"].pk,
        purpose=f"{PURPOSE} {what}".strip(),
        detail={"period": report["period"].code, "municipality": report["municipality"].pk},
    )


@login_required
def council_report(request):
    report = _report(request)
    _log(request, report, AuditAction.READ, "")
    return render(
        request,
        "insights/council_report.html",
        {"report": report, "query": _query(report), "can_edit_checklist": permits(request.user, AGGREGATES, "edit_checklist")},
    )


@login_required
def council_report_pdf(request):
    # The PDF is always Dutch: the labels and cell texts are made in the active language.
    with translation.override("nl"):
        report = _report(request)
        data = council_pdf_bytes(report)
    _log(request, report, AuditAction.EXPORT, "pdf")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.pdf"'
    return response


@login_required
def council_export(request, fmt):
    response_for = {"csv": council_csv_response, "xlsx": council_xlsx_response}.get(fmt)
    report = _report(request)  # first: a role without the report gets 403, whatever the format
    if response_for is None:
        raise Http404
    _log(request, report, AuditAction.EXPORT, fmt)
    return response_for(report, _filename(report))


def _filename(report: dict) -> str:
    return f"rapport-clientenraad-{report['municipality'].code}-{report['period'].code}"
