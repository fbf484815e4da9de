"""Pages for analysts and policy officers: what works, for whom — aggregates only."""

import csv
import io

import numpy as np
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.insights.analysis.dataset import OUTCOMES
from maatpak.insights.analysis.labels import COVARIATE_LABELS
from maatpak.insights.analysis.survival import curves_by
from maatpak.trajectories.models import IntermediateGoalKind
from maatpak.insights.selectors import SEGMENTS, analysis_dataset, cost_benefit, effect_report, gross_tables, require_analysis_role

OUTCOME_LABELS = {
    "work_6m": _("Paid work within 6 months"), "work_12m": _("Paid work within 12 months"), "work_24m": _("Paid work within 24 months"),
    "durable_work": _("Durable work (at least 6 months)"), "benefit_exit_12m": _("Left the benefit within 12 months"), "ladder_up_12m": _("A ladder step up within 12 months"),
    **{f"goal_{kind.value}": format_lazy(_("Intermediate goal reached: {}"), kind.label) for kind in IntermediateGoalKind},
}
GROUP_LABELS = {
    "instrument": _("Instrument"), "provider": _("Provider"), "sol_group": _("Sol group"), "ladder_rung": _("Ladder rung at start"),
    "barriers": _("Number of barriers"), "age_band": _("Age band"), "months_on_benefit_band": _("Months on benefit"),
}

COST_GROUPS = ("instrument", "provider")


def _km_svg(frame, group):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = curves_by(frame.dropna(subset=[group]), group)
    biggest = sorted(curves.items(), key=lambda item: -item[1].n)[:6]
    if not biggest:
        return "", []
    fig, ax = plt.subplots(figsize=(7, 3.6))
    summary = []
    for value, km in biggest:
        if len(km.times):
            ax.step(np.concatenate([[0], km.times]), 1 - np.concatenate([[1.0], km.survival]), where="post", label=f"{value} (N={km.n})")
        summary.append({"group": value, "n": km.n, "median": km.median, "at_180": 1 - km.at(180), "at_365": 1 - km.at(365), "at_730": 1 - km.at(730),
                        "risk_365": km.at_risk_at(365, frame.loc[frame[group] == value, "days_to_work_or_censor"].to_numpy())})
    ax.set_xlabel("Dagen sinds start traject")
    ax.set_ylabel("Aandeel aan het werk")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):].replace("<svg", '<svg role="img" aria-label="Kaplan-Meier-curves: aandeel aan het werk in de tijd; de tabel eronder geeft de cijfers"', 1), summary


@login_required
def effectiveness(request):
    require_analysis_role(request.user)
    outcome = request.GET.get("outcome", "work_24m")
    if outcome not in OUTCOMES:
        outcome = "work_24m"
    curve_group = request.GET.get("curves", "provider")
    if curve_group not in ("provider", "sol_group", "instrument"):
        curve_group = "provider"
    frame = analysis_dataset(user=request.user)
    tables = gross_tables(frame, outcome=outcome)
    curve_frame = frame.explode("instruments").rename(columns={"instruments": "instrument"}) if curve_group == "instrument" and len(frame) else frame
    chart, curve_rows = _km_svg(curve_frame, curve_group) if len(frame) else ("", [])
    effect = None
    treatment = request.GET.get("treatment", "").strip()
    segment = request.GET.get("segment") or None
    error = ""
    if treatment and len(frame):
        try:
            effect = effect_report(frame, treatment=treatment, outcome=outcome, segment=segment if segment in SEGMENTS else None)
        except ValueError as exc:
            error = str(exc)
    instruments = sorted({code for codes in frame.get("instruments", []) for code in codes}) if len(frame) else []
    providers = sorted(frame["provider"].dropna().unique()) if len(frame) else []
    audit_record(actor=request.user, action=AuditAction.READ, purpose="effectiveness analysis", detail={"outcome": outcome, "treatment": treatment})
    return render(request, "insights/effectiveness.html", {
        "outcome": outcome, "outcomes": OUTCOME_LABELS, "covariate_labels": COVARIATE_LABELS, "tables": [(GROUP_LABELS[k], k, t.to_dict("records")) for k, t in tables.items()], "n": len(frame),
        "chart": chart, "curve_rows": curve_rows, "curve_group": curve_group, "effect": effect, "treatment": treatment, "segment": segment or "", "segments": {k: GROUP_LABELS[k] for k in SEGMENTS},
        "instruments": instruments, "providers": providers, "error": error, "costs": [(GROUP_LABELS[g], g, cost_benefit(frame, group=g).to_dict("records")) for g in COST_GROUPS] if len(frame) else [],
    })


@login_required
def export(request, table):
    """CSV of one gross-rate table (or the cost–benefit table) for the chosen outcome."""
    require_analysis_role(request.user)
    outcome = request.GET.get("outcome", "work_24m")
    if outcome not in OUTCOMES:
        raise Http404
    frame = analysis_dataset(user=request.user)
    if table == "cost_benefit":
        group = request.GET.get("group", "instrument")
        if group not in COST_GROUPS:
            raise Http404
        data = cost_benefit(frame, group=group)
    else:
        data = gross_tables(frame, outcome=outcome).get(table)
    if data is None:
        raise Http404
    audit_record(actor=request.user, action=AuditAction.EXPORT, purpose=f"effectiveness {table} CSV", detail={"outcome": outcome})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wat-werkt-{table}-{outcome}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(list(data.columns))
    for row in data.itertuples(index=False):
        writer.writerow(list(row))
    return response
