"""Contract monitoring (contractmonitoring) for policy officers and team leads, with exports.

It reads referrals, placements and survey answers, so it lives here, above those apps."""

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.policy import AGGREGATES, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.insights.monitoring import contract_monitoring
from maatpak.insights.monitoring_charts import placement_rate_chart, timeliness_chart
from maatpak.insights.monitoring_exports import monitoring_csv_response, monitoring_xlsx_response

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("Until"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_start"] > data["period_end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


def _period(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"period_start": (today - relativedelta(months=12)).isoformat(), "period_end": today.isoformat()})
    if form.is_valid():
        return form, form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    return form, today - relativedelta(months=12), today


@login_required
def monitoring(request):
    require(request.user, AGGREGATES, "view_monitoring")
    form, start, end = _period(request)
    result = contract_monitoring(user=request.user, period_start=start, period_end=end, today=min(end, timezone.localdate()))
    audit_record(actor=request.user, action=AuditAction.READ, purpose="contract monitoring")
    return render(
        request,
        "insights/monitoring.html",
        {
            "form": form,
            "result": result,
            "chart": placement_rate_chart(result["providers"]),
            "timeliness_chart": timeliness_chart(result["providers"]),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def monitoring_export(request, fmt):
    require(request.user, AGGREGATES, "view_monitoring")
    response_for = {"csv": monitoring_csv_response, "xlsx": monitoring_xlsx_response}.get(fmt)
    if response_for is None:
        raise Http404
    _form, start, end = _period(request)
    result = contract_monitoring(user=request.user, period_start=start, period_end=end, today=min(end, timezone.localdate()))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        purpose=f"contract monitoring {fmt}",
        detail={"from": start.isoformat(), "to": end.isoformat()},
    )
    filename = f"contractmonitoring-{start:%Y%m%d}-{end:%Y%m%d}"
    return response_for(result, filename)
