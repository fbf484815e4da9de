"""Net effect with a comparison group: propensity scores and inverse-probability weighting.

1. A logistic regression (statsmodels GLM, binomial) predicts treatment from the recorded
   covariates: the propensity score.
2. Treated people get weight 1/p, comparison people 1/(1−p) (the average treatment effect,
   ATE), with weights stabilised by the treated share.
3. The effect is the weighted difference in outcome rates, estimated as a weighted least
   squares regression of the outcome on treatment with robust (HC1) standard errors, which
   gives the 95 % confidence interval; clustered by person when people have several
   trajectories in the data.
4. Balance: standardised mean differences (SMD) of each covariate before and after weighting;
   |SMD| > 0.1 after weighting means the groups are still not comparable on it.
5. Overlap: people with scores near 0 or 1 have no real counterpart; weights are trimmed to
   [0.01, 0.99] and the share outside is reported.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from django.utils.translation import gettext as _

from maatpak.insights.analysis.labels import covariate_label

SMD_LIMIT = 0.1
TRIM = (0.01, 0.99)
MIN_GROUP = 20


@dataclass
class Effect:
    treated_n: int
    control_n: int
    gross_treated: float | None
    gross_control: float | None
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    balance: list = field(default_factory=list)
    overlap_outside: float = 0.0
    warnings: list = field(default_factory=list)
    method: str = field(
        default_factory=lambda: _(
            "inverse probability weighting (average treatment effect) with propensity scores from a logistic regression"
        )
    )


def _smd(x: np.ndarray, t: np.ndarray, w: np.ndarray) -> float:
    def moments(mask):
        ww = w[mask]
        mean = np.average(x[mask], weights=ww)
        var = np.average((x[mask] - mean) ** 2, weights=ww)
        return mean, var

    m1, v1 = moments(t == 1)
    m0, v0 = moments(t == 0)
    pooled = np.sqrt((v1 + v0) / 2)
    return 0.0 if pooled == 0 else float((m1 - m0) / pooled)


def estimate_effect(frame: pd.DataFrame, *, treatment: str, outcome: str, covariates: list[str]) -> Effect:
    data = frame.dropna(subset=[outcome]).copy()
    t = data[treatment].astype(int).to_numpy()
    y = data[outcome].astype(float).to_numpy()
    treated_n, control_n = int(t.sum()), int((1 - t).sum())
    result = Effect(
        treated_n,
        control_n,
        float(y[t == 1].mean()) if treated_n else None,
        float(y[t == 0].mean()) if control_n else None,
        None,
        None,
        None,
    )
    if treated_n < MIN_GROUP or control_n < MIN_GROUP:
        result.warnings.append(
            _(
                "Too few people to compare (treated %(treated)s, comparison group %(control)s; at least %(minimum)s each). No net effect was calculated."
            )
            % {"treated": treated_n, "control": control_n, "minimum": MIN_GROUP}
        )
        return result
    usable = [c for c in covariates if data[c].nunique(dropna=True) > 1]
    x = data[usable].astype(float)
    x = x.fillna(x.mean())
    design = sm.add_constant(x.to_numpy(), has_constant="add")
    try:
        model = sm.GLM(t, design, family=sm.families.Binomial()).fit()
        score = np.asarray(model.predict(design))
    except (np.linalg.LinAlgError, ValueError) as exc:
        result.warnings.append(
            _("The model for the chance of getting this treatment could not be estimated (%(error)s); no net effect was calculated.")
            % {"error": exc}
        )
        return result
    outside = (score < TRIM[0]) | (score > TRIM[1])
    result.overlap_outside = float(outside.mean())
    score = np.clip(score, *TRIM)
    share = t.mean()
    weights = np.where(t == 1, share / score, (1 - share) / (1 - score))
    wls = sm.WLS(y, sm.add_constant(t.astype(float)), weights=weights)
    people = data.get("participant_id", None)
    if people is not None and people.notna().all() and people.nunique() < len(data):
        # Someone with several trajectories counts more than once, and their outcomes go
        # together: standard errors clustered by person, or the interval would be too narrow.
        wls = wls.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(people)[0]})
    else:
        wls = wls.fit(cov_type="HC1")
    result.effect = float(wls.params[1])
    low, high = wls.conf_int(alpha=0.05)[1]
    result.ci_low, result.ci_high = float(low), float(high)
    values = x.to_numpy()
    ones = np.ones_like(weights)
    for index, name in enumerate(usable):
        before, after = _smd(values[:, index], t, ones), _smd(values[:, index], t, weights)
        result.balance.append({"covariate": name, "smd_before": round(before, 3), "smd_after": round(after, 3)})
    # Plain names (as in the balance table), never the data set's column names.
    unbalanced = [covariate_label(b["covariate"]) for b in result.balance if abs(b["smd_after"]) > SMD_LIMIT]
    if unbalanced:
        result.warnings.append(
            _("Caution: after weighting, the groups are still not comparable on: %(covariates)s. The effect may be biased.")
            % {"covariates": ", ".join(unbalanced)}
        )
    if result.overlap_outside > 0.05:
        result.warnings.append(
            _(
                "%(share)s of the people have almost no counterpart in the other group (chance below 1 %% or above 99 %%). Compare with caution."
            )
            % {"share": f"{result.overlap_outside:.0%}"}
        )
    return result
