"""The policy officer's download of the Divosa benchmark file (statistics deliveries).

The SRG file for CBS holds a person key per provision, so it is made by a management command
(`export_srg`), never downloaded from a page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from maatpak.accounts.models import Municipality
from maatpak.accounts.policy import AGGREGATES, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.tenancy import municipality_ids_for
from maatpak.insights.statistics import DIVOSA_FORMATS, divosa_csv, divosa_lines, divosa_xlsx, quarter_range

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@login_required
def divosa_export(request, fmt):
    """GET `from` and `to` (quarter codes such as 2026-Q1; by default the last four ended
    quarters): the file for every municipality the user works for, each its own block."""
    require(request.user, AGGREGATES, "export_statistics")
    if fmt not in DIVOSA_FORMATS:
        raise Http404
    today = timezone.localdate()
    try:
        first, last = quarter_range(first_code=request.GET.get("from"), last_code=request.GET.get("to"), today=today)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    municipalities = list(Municipality.objects.filter(pk__in=municipality_ids_for(request.user)).order_by("code"))
    lines = divosa_lines(municipalities=municipalities, first=first, last=last, today=today)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        purpose=f"Divosa benchmark {fmt}",
        detail={"from": first.code, "to": last.code, "municipalities": [m.code for m in municipalities], "rows": len(lines)},
    )
    content = divosa_csv(lines) if fmt == "csv" else divosa_xlsx(lines)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="divosa-{first.code}-{last.code}.{fmt}"'
    return response
