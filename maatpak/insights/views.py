"""Pages for analysts and policy officers: what works, for whom — aggregates only."""

import numpy as np
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.policy import AGGREGATES, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.spreadsheet import csv_writer
from maatpak.insights.analysis.dataset import OUTCOMES
from maatpak.insights.analysis.labels import COVARIATE_LABELS
from maatpak.insights.monitoring_charts import chart_figure, svg_image
from maatpak.insights.selectors import (
    AT_RISK_DAYS,
    CURVE_GROUPS,
    SEGMENTS,
    analysis_dataset,
    cost_benefit,
    effect_export,
    effect_report,
    gross_tables,
    survival_export,
    survival_table,
    treatment_choices,
)
from maatpak.trajectories.models import IntermediateGoalKind

OUTCOME_LABELS = {
    "work_6m": _("Paid work within 6 months"),
    "work_12m": _("Paid work within 12 months"),
    "work_24m": _("Paid work within 24 months"),
    "durable_work": _("Durable work (at least 6 months)"),
    "benefit_exit_12m": _("Left the benefit within 12 months"),
    "ladder_up_12m": _("A ladder step up within 12 months"),
    "goal_improved": _("Improved on at least one intermediate goal"),
    **{f"goal_{kind.value}": format_lazy(_("Intermediate goal reached: {}"), kind.label) for kind in IntermediateGoalKind},
}
GROUP_LABELS = {
    "instrument": _("Instrument"),
    "provider": _("Provider"),
    "sol_group": _("Sol group"),
    "ladder_rung": _("Ladder rung at start"),
    "barriers": _("Number of barriers"),
    "age_band": _("Age band"),
    "months_on_benefit_band": _("Months on benefit"),
}

COST_GROUPS = ("instrument", "provider")
# More curves than this make the chart unreadable; the table under it has every group.
CHART_GROUPS = 6


def _km_svg(rows):
    """Kaplan–Meier curves as an `<img>` (see monitoring_charts: plain-text labels, CSP-safe).
    Handles and labels go to the legend explicitly, so a group named "_…" is not left out."""
    if not rows:
        return ""
    with chart_figure(figsize=(7, 3.6)) as (fig, ax):
        lines, labels = [], []
        for row in rows:
            km = row["curve"]
            if len(km.times):
                (line,) = ax.step(np.concatenate([[0], km.times]), 1 - np.concatenate([[1.0], km.survival]), where="post")
                lines.append(line)
                labels.append(f"{row['group']} (N={km.n})")
        ax.set_xlabel(str(_("Days since the start of the trajectory")))
        ax.set_ylabel(str(_("Share in work")))
        ax.set_ylim(0, 1)
        ax.legend(lines, labels, fontsize=7, loc="upper left")
        return svg_image(fig, str(_("Kaplan–Meier curves: share in work over time; the tables below give the figures")))


def _records(table):
    """Rows for a template: pandas' NaN (unknown) becomes None, which the template shows as –."""
    return [
        {key: (None if isinstance(value, float) and np.isnan(value) else value) for key, value in row.items()}
        for row in table.to_dict("records")
    ]


@login_required
def effectiveness(request):
    require(request.user, AGGREGATES, "view_effectiveness")
    outcome = request.GET.get("outcome", "work_24m")
    if outcome not in OUTCOMES:
        outcome = "work_24m"
    curve_group = request.GET.get("curves", "provider")
    if curve_group not in CURVE_GROUPS:
        curve_group = "provider"
    frame = analysis_dataset(user=request.user)
    tables = gross_tables(frame, outcome=outcome)
    curve_rows = survival_table(frame, group=curve_group)
    chart = _km_svg(curve_rows[:CHART_GROUPS])
    effect = None
    treatment = request.GET.get("treatment", "").strip()
    segment = request.GET.get("segment") or None
    segment = segment if segment in SEGMENTS else None
    error = ""
    if treatment and len(frame):
        try:
            effect = effect_report(frame, treatment=treatment, outcome=outcome, segment=segment)
        except ValueError as exc:
            error = str(exc)
    instruments, providers = treatment_choices(frame)
    audit_record(
        actor=request.user, action=AuditAction.READ, purpose="effectiveness analysis", detail={"outcome": outcome, "treatment": treatment}
    )
    return render(
        request,
        "insights/effectiveness.html",
        {
            "outcome": outcome,
            "outcomes": OUTCOME_LABELS,
            "covariate_labels": COVARIATE_LABELS,
            "tables": [(GROUP_LABELS[k], k, t.to_dict("records")) for k, t in tables.items()],
            "n": len(frame),
            "chart": chart,
            "curve_rows": curve_rows,
            "charted_n": min(len(curve_rows), CHART_GROUPS),
            "left_out_of_chart": curve_rows[CHART_GROUPS:],
            "at_risk_days": AT_RISK_DAYS,
            "curve_group": curve_group,
            "curve_label": GROUP_LABELS[curve_group],
            "effect": effect,
            "treatment": treatment,
            "segment": segment or "",
            "segment_label": GROUP_LABELS.get(segment, ""),
            "segments": {k: GROUP_LABELS[k] for k in SEGMENTS},
            "instruments": instruments,
            "providers": providers,
            "error": error,
            "costs": [(GROUP_LABELS[g], g, _records(cost_benefit(frame, group=g))) for g in COST_GROUPS] if len(frame) else [],
        },
    )


@login_required
def export(request, table):
    """CSV of one gross-rate table, the cost–benefit table, the net effect (with its balance
    table and effect per group) or the Kaplan–Meier table, for the chosen outcome."""
    require(request.user, AGGREGATES, "view_effectiveness")
    outcome = request.GET.get("outcome", "work_24m")
    if outcome not in OUTCOMES:
        raise Http404
    frame = analysis_dataset(user=request.user)
    detail = {"outcome": outcome}
    name = f"wat-werkt-{table}-{outcome}"
    if table == "cost_benefit":
        group = request.GET.get("group", "instrument")
        if group not in COST_GROUPS:
            raise Http404
        data = cost_benefit(frame, group=group)
    elif table == "effect":
        treatment, segment = request.GET.get("treatment", "").strip(), request.GET.get("segment") or None
        if not len(frame) or (segment is not None and segment not in SEGMENTS):
            raise Http404
        try:
            data = effect_export(effect_report(frame, treatment=treatment, outcome=outcome, segment=segment))
        except ValueError as exc:
            raise Http404 from exc
        detail.update(treatment=treatment, segment=segment)
    elif table == "survival":
        group = request.GET.get("curves", "provider")
        if group not in CURVE_GROUPS:
            raise Http404
        data = survival_export(frame, group=group)
        detail["group"], name = group, f"wat-werkt-tijd-tot-werk-{group}"
    else:
        data = gross_tables(frame, outcome=outcome).get(table)
    if data is None:
        raise Http404
    audit_record(actor=request.user, action=AuditAction.EXPORT, purpose=f"effectiveness {table} CSV", detail=detail)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv_writer(response)
    writer.writerow(list(data.columns))
    for row in data.itertuples(index=False):
        writer.writerow(["" if value is None or (isinstance(value, float) and np.isnan(value)) else value for value in row])
    return response
