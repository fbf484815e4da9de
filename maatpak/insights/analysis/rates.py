"""Gross rates with N and Wilson 95 % confidence intervals; small groups flagged, never dropped."""

import pandas as pd
from django.utils.translation import gettext
from statsmodels.stats.proportion import proportion_confint

SMALL_GROUP = 10


def rate_table(frame: pd.DataFrame, *, group: str, outcome: str) -> pd.DataFrame:
    """One row per group: n (known outcome), successes, rate, ci_low, ci_high, small.

    Rows where the outcome is unknown (NaN: not enough follow-up) are left out of that group's
    N — they are neither successes nor failures — and counted in `unknown`.
    """
    rows = []
    for value, part in frame.groupby(group, dropna=False, sort=True):
        known = part[outcome].dropna()
        n, k = len(known), int(known.sum())
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson") if n else (float("nan"), float("nan"))
        rows.append(
            {
                group: gettext("unknown") if pd.isna(value) else value,
                "n": n,
                "successes": k,
                "rate": k / n if n else float("nan"),
                "ci_low": low,
                "ci_high": high,
                "unknown": int(part[outcome].isna().sum()),
                "small": n < SMALL_GROUP,
            }
        )
    return pd.DataFrame(rows)
