"""Costs against benefit saved, per instrument or provider (kosten–baten).

Per group: the average trajectory cost, and the average months on benefit in the 24 months after
the start compared with everyone who did not get that instrument / provider. The difference in
months × the group's average monthly benefit is the gross saving; cost minus saving is the net
result. Break-even: the months of benefit one trajectory must save to pay for itself. The share
that went up a ladder rung stands beside it as the non-monetary gain. Gross, not net: the
effect section adjusts for who gets what.
"""

import numpy as np
import pandas as pd


def _mean(series) -> float:
    series = series.dropna()
    return float(series.mean()) if len(series) else np.nan


def cost_benefit(frame: pd.DataFrame, *, group: str = "instrument") -> pd.DataFrame:
    if not len(frame):
        return pd.DataFrame()
    rows = []
    if group == "instrument":
        values = sorted({code for codes in frame["instruments"] for code in codes})
        membership = {value: frame["instruments"].apply(lambda codes, value=value: value in codes) for value in values}
    else:
        values = sorted(frame[group].dropna().unique())
        membership = {value: frame[group] == value for value in values}
    for value in values:
        part, others = frame[membership[value]], frame[~membership[value]]
        # Unknown costs (imported rows without one) are left out of the average, not read as 0.
        cost = _mean(part["cost_cents"])
        months, months_others = _mean(part["benefit_months_24m"]), _mean(others["benefit_months_24m"])
        monthly = _mean(part["monthly_benefit_cents"].replace(0, np.nan))
        saved_months = months_others - months if not (np.isnan(months) or np.isnan(months_others)) else np.nan
        saved_cents = saved_months * monthly if not (np.isnan(saved_months) or np.isnan(monthly)) else np.nan
        rows.append(
            {
                group: value,
                "n": len(part),
                "n_known": int(part["benefit_months_24m"].notna().sum()),
                "average_cost_cents": None if np.isnan(cost) else round(cost),
                "benefit_months": None if np.isnan(months) else round(months, 1),
                "benefit_months_others": None if np.isnan(months_others) else round(months_others, 1),
                "months_saved": None if np.isnan(saved_months) else round(saved_months, 1),
                "saved_cents": None if np.isnan(saved_cents) else round(saved_cents),
                "net_cents": None if np.isnan(saved_cents) or np.isnan(cost) else round(saved_cents - cost),
                "break_even_months": None if np.isnan(monthly) or np.isnan(cost) else round(cost / monthly, 1),
                "ladder_up_share": None if part["ladder_up_12m"].dropna().empty else round(float(part["ladder_up_12m"].dropna().mean()), 3),
                "n_cost_known": int(part["cost_cents"].notna().sum()),
            }
        )
    # object dtype keeps None as None (a float column would turn it into NaN, which the page
    # and the CSV would show as "nan").
    return pd.DataFrame(rows, dtype=object)
