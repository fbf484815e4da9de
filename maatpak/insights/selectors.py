"""Aggregate effectiveness figures for analysts and policy officers — never a person."""

import math

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from maatpak.accounts.roles import Role
from maatpak.core.tenancy import municipality_ids_for
from maatpak.insights.analysis.costbenefit import cost_benefit  # noqa: F401  (re-exported for the views)
from maatpak.insights.analysis.dataset import COVARIATES, OUTCOMES, build_dataset, treatment_column
from maatpak.insights.analysis.propensity import estimate_effect
from maatpak.insights.analysis.rates import rate_table

ANALYSIS_ROLES = frozenset({Role.ANALYST, Role.POLICY_OFFICER})
SEGMENTS = {"sol_group": "Sol group", "ladder_rung": "Ladder rung at start", "barriers": "Number of barriers", "age_band": "Age band", "months_on_benefit_band": "Months on benefit"}


def require_analysis_role(user):
    if user.role not in ANALYSIS_ROLES:
        raise PermissionDenied


def analysis_dataset(*, user=None, municipality_ids=None):
    if user is not None:
        require_analysis_role(user)
        municipality_ids = municipality_ids_for(user)
    return build_dataset(municipality_ids=municipality_ids)


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 4)


def effect_report(frame: pd.DataFrame, *, treatment: str, outcome: str, segment: str | None = None) -> dict:
    """The net effect of `treatment` on `outcome`, in the CLI's JSON shape."""
    if outcome not in OUTCOMES:
        raise ValueError(f"Unknown outcome {outcome!r}; choose one of: {', '.join(OUTCOMES)}")
    column = treatment_column(frame, treatment)
    covariates = [c for c in COVARIATES if c in frame]
    effect = estimate_effect(frame, treatment=column, outcome=outcome, covariates=covariates)
    result = {
        "treatment": treatment, "outcome": outcome, "method": effect.method, "treated_n": effect.treated_n, "control_n": effect.control_n,
        "gross_treated": _clean(effect.gross_treated), "gross_control": _clean(effect.gross_control), "effect": _clean(effect.effect),
        "ci_low": _clean(effect.ci_low), "ci_high": _clean(effect.ci_high), "balance": effect.balance, "warnings": list(effect.warnings), "segments": [],
    }
    if segment:
        if segment not in frame:
            raise ValueError(f"Unknown segment {segment!r}; choose one of: {', '.join(SEGMENTS)}")
        for value, part in frame.groupby(segment, sort=True):
            sub = estimate_effect(part, treatment=column, outcome=outcome, covariates=covariates)
            result["segments"].append({
                "segment": str(value), "treated_n": sub.treated_n, "control_n": sub.control_n, "effect": _clean(sub.effect),
                "ci_low": _clean(sub.ci_low), "ci_high": _clean(sub.ci_high), "warnings": sub.warnings,
            })
    return result


def gross_tables(frame: pd.DataFrame, *, outcome: str) -> dict:
    """Gross rates by instrument, provider and each segment."""
    tables = {}
    if len(frame):
        exploded = frame.explode("instruments").rename(columns={"instruments": "instrument"})
        tables["instrument"] = rate_table(exploded.dropna(subset=["instrument"]), group="instrument", outcome=outcome)
        tables["provider"] = rate_table(frame.assign(provider=frame["provider"].fillna(gettext("(no provider)"))), group="provider", outcome=outcome)
        for segment in SEGMENTS:
            tables[segment] = rate_table(frame, group=segment, outcome=outcome)
    return tables
