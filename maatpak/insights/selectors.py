"""Aggregate effectiveness figures for analysts and policy officers — never a person."""

import math

import pandas as pd
from django.utils.translation import gettext

from maatpak.accounts.policy import AGGREGATES, require
from maatpak.core.tenancy import municipality_ids_for
from maatpak.insights.analysis.costbenefit import cost_benefit  # noqa: F401  (re-exported for the views)
from maatpak.insights.analysis.dataset import COVARIATES, OUTCOMES, build_dataset, treatment_column
from maatpak.insights.analysis.labels import covariate_label
from maatpak.insights.analysis.propensity import estimate_effect
from maatpak.insights.analysis.rates import SMALL_GROUP, rate_table
from maatpak.insights.analysis.survival import curves_by

CURVE_GROUPS = ("provider", "instrument", "sol_group")
AT_RISK_DAYS = (0, 90, 180, 365, 730)
SHARE_DAYS = (180, 365, 730)
SEGMENTS = {
    "sol_group": "Sol group",
    "ladder_rung": "Ladder rung at start",
    "barriers": "Number of barriers",
    "age_band": "Age band",
    "months_on_benefit_band": "Months on benefit",
}


def analysis_dataset(*, user=None, municipality_ids=None):
    """The analysis data set of the user's municipalities (403 for roles without the
    `view_effectiveness` row), or of `municipality_ids` for the management command."""
    if user is not None:
        require(user, AGGREGATES, "view_effectiveness")
        municipality_ids = municipality_ids_for(user)
    return build_dataset(municipality_ids=municipality_ids)


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 4)


def _segment_value(value) -> str:
    """Ladder rungs are stored as floats (unknown is NaN): show rung 2 as "2", not "2.0"."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def treatment_choices(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The instrument codes and provider names that occur in the history: the treatments that
    can be compared (besides `sanction` and `integral`)."""
    if not len(frame):
        return [], []
    return sorted({code for codes in frame["instruments"] for code in codes}), sorted(frame["provider"].dropna().unique())


def check_treatment(frame: pd.DataFrame, treatment: str) -> None:
    """A typo (NOPE) would otherwise compare nobody with everybody and report "too few people"."""
    instruments, providers = treatment_choices(frame)
    if treatment in ("sanction", "integral") or treatment in instruments:
        return
    if treatment.startswith("provider:") and treatment.split(":", 1)[1] in providers:
        return
    raise ValueError(
        gettext(
            "Unknown treatment “%(treatment)s”. Choose an instrument code used in the history (%(codes)s), “sanction”, “integral” or “provider:NAME” with a provider from the history (%(providers)s)."
        )
        % {
            "treatment": treatment,
            "codes": ", ".join(instruments) or "–",
            "providers": ", ".join(providers) or "–",
        }
    )


def effect_report(frame: pd.DataFrame, *, treatment: str, outcome: str, segment: str | None = None) -> dict:
    """The net effect of `treatment` on `outcome`, in the CLI's JSON shape."""
    if outcome not in OUTCOMES:
        raise ValueError(
            gettext("Unknown outcome “%(outcome)s”; choose one of: %(choices)s") % {"outcome": outcome, "choices": ", ".join(OUTCOMES)}
        )
    if not len(frame):
        raise ValueError(gettext("There are no trajectories in this history yet, so there is nothing to compare."))
    check_treatment(frame, treatment)
    column = treatment_column(frame, treatment)
    covariates = [c for c in COVARIATES if c in frame]
    effect = estimate_effect(frame, treatment=column, outcome=outcome, covariates=covariates)
    result = {
        "treatment": treatment,
        "outcome": outcome,
        "method": effect.method,
        "treated_n": effect.treated_n,
        "control_n": effect.control_n,
        "gross_treated": _clean(effect.gross_treated),
        "gross_control": _clean(effect.gross_control),
        "effect": _clean(effect.effect),
        "ci_low": _clean(effect.ci_low),
        "ci_high": _clean(effect.ci_high),
        "balance": effect.balance,
        "warnings": list(effect.warnings),
        "segments": [],
        "segment_left_out": None,
        "cautions": [],
    }
    if treatment != "sanction":
        # Instruments and the integral approach come from the latest plan version, providers
        # from the first referral (docs/methods.md): help added later counts from the start.
        result["cautions"].append(
            gettext(
                "This treatment is read from the latest plan version (instruments) or the first referral (provider), as if it applied from the start of the trajectory. "
                "Help that was added later, after months without work, is counted from the start too: people who stayed longer get more help, which can make it look better than it is."
            )
        )
    if segment:
        if segment not in frame:
            raise ValueError(
                gettext("Unknown segment “%(segment)s”; choose one of: %(choices)s") % {"segment": segment, "choices": ", ".join(SEGMENTS)}
            )
        # Groupby leaves out people whose value is unknown (e.g. no Sol assessment): say how many.
        result["segment_left_out"] = int(frame[segment].isna().sum())
        for value, part in frame.groupby(segment, sort=True):
            sub = estimate_effect(part, treatment=column, outcome=outcome, covariates=covariates)
            result["segments"].append(
                {
                    "segment": _segment_value(value),
                    "treated_n": sub.treated_n,
                    "control_n": sub.control_n,
                    "effect": _clean(sub.effect),
                    "ci_low": _clean(sub.ci_low),
                    "ci_high": _clean(sub.ci_high),
                    "warnings": sub.warnings,
                }
            )
    return result


def gross_tables(frame: pd.DataFrame, *, outcome: str) -> dict:
    """Gross rates by instrument, provider and each segment."""
    tables = {}
    if len(frame):
        exploded = frame.explode("instruments").rename(columns={"instruments": "instrument"})
        tables["instrument"] = rate_table(exploded.dropna(subset=["instrument"]), group="instrument", outcome=outcome)
        tables["provider"] = rate_table(
            frame.assign(provider=frame["provider"].fillna(gettext("(no provider)"))), group="provider", outcome=outcome
        )
        for segment in SEGMENTS:
            tables[segment] = rate_table(frame, group=segment, outcome=outcome)
    return tables


def _missing_label(group: str) -> str:
    return {"provider": gettext("(no provider)"), "instrument": gettext("(no instrument)")}.get(group, gettext("unknown"))


def survival_table(frame: pd.DataFrame, *, group: str) -> list[dict]:
    """Kaplan–Meier per group, largest group first: N, median days to work, the share in work
    after SHARE_DAYS and the numbers still at risk (followed and without work) at AT_RISK_DAYS.
    People without a value (no provider, no instrument, no Sol group) form their own group
    rather than vanishing; groups under SMALL_GROUP are flagged like the gross tables."""
    if group not in CURVE_GROUPS:
        raise ValueError(
            gettext("Unknown group “%(group)s”; choose one of: %(choices)s") % {"group": group, "choices": ", ".join(CURVE_GROUPS)}
        )
    if not len(frame):
        return []
    data = frame.explode("instruments").rename(columns={"instruments": "instrument"}) if group == "instrument" else frame
    data = data.assign(**{group: data[group].astype(object).where(data[group].notna(), _missing_label(group))})
    rows = []
    for value, km in curves_by(data, group).items():
        durations = data.loc[data[group] == value, "days_to_work_or_censor"].dropna().to_numpy()
        rows.append(
            {
                "group": value,
                "n": km.n,
                "small": km.n < SMALL_GROUP,
                "median": km.median,
                "curve": km,
                **{f"in_work_{day}": 1 - km.at(day) for day in SHARE_DAYS},
                "at_risk": [km.at_risk_at(day, durations) for day in AT_RISK_DAYS],
            }
        )
    return sorted(rows, key=lambda row: (-row["n"], str(row["group"])))


def survival_export(frame: pd.DataFrame, *, group: str) -> pd.DataFrame:
    """The Kaplan–Meier table as one row per group, for the CSV export."""
    records = []
    for row in survival_table(frame, group=group):
        records.append(
            {
                group: row["group"],
                "n": row["n"],
                "small_group": row["small"],
                "median_days": row["median"],
                **{f"share_in_work_{day}": round(row[f"in_work_{day}"], 4) for day in SHARE_DAYS},
                **{f"at_risk_{day}": count for day, count in zip(AT_RISK_DAYS, row["at_risk"], strict=False)},
            }
        )
    return pd.DataFrame(records, dtype=object)


def effect_export(report: dict) -> pd.DataFrame:
    """The net effect, its balance table and the effect per segment in one long table: the
    `section` column says which part a row belongs to (effect, balance, segment)."""
    base = {
        "section": "",
        "name": "",
        "treated_n": None,
        "control_n": None,
        "gross_treated": None,
        "gross_control": None,
        "effect": None,
        "ci_low": None,
        "ci_high": None,
        "smd_before": None,
        "smd_after": None,
        "notes": "",
    }
    rows = [
        {
            **base,
            "section": "effect",
            "name": report["treatment"],
            **{k: report[k] for k in ("treated_n", "control_n", "gross_treated", "gross_control", "effect", "ci_low", "ci_high")},
            "notes": " | ".join([*report["warnings"], *report["cautions"]]),
        }
    ]
    for balance in report["balance"]:
        rows.append(
            {
                **base,
                "section": "balance",
                "name": covariate_label(balance["covariate"]),
                "smd_before": balance["smd_before"],
                "smd_after": balance["smd_after"],
            }
        )
    for part in report["segments"]:
        rows.append(
            {
                **base,
                "section": "segment",
                "name": part["segment"],
                **{k: part[k] for k in ("treated_n", "control_n", "effect", "ci_low", "ci_high")},
                "notes": " | ".join(part["warnings"]),
            }
        )
    if report["segment_left_out"]:
        rows.append(
            {
                **base,
                "section": "segment",
                "name": gettext("unknown (left out)"),
                "treated_n": None,
                "control_n": None,
                "notes": gettext("%(count)s people left out: their value is unknown") % {"count": report["segment_left_out"]},
            }
        )
    return pd.DataFrame(rows, dtype=object)
