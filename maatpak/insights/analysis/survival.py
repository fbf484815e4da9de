"""Time to work: Kaplan–Meier estimates with correct right-censoring.

Each trajectory contributes the days from its start to the first paid job (event) or to the
end of follow-up (censored): still on the trajectory today, moved away, or data end. The
estimation is statsmodels' SurvfuncRight; the numbers at risk are read off the same data.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.duration.survfunc import SurvfuncRight


@dataclass
class KaplanMeier:
    times: np.ndarray  # distinct event times
    survival: np.ndarray  # S(t) just after each event time (share not yet in work)
    at_risk: np.ndarray  # number at risk just before each event time
    events: np.ndarray  # number of events at each time
    median: float | None  # first time S(t) <= 0.5, None if never reached
    n: int

    def at(self, day: float) -> float:
        """S(day): the share still without work after `day` days."""
        index = np.searchsorted(self.times, day, side="right") - 1
        return 1.0 if index < 0 else float(self.survival[index])

    def at_risk_at(self, day: float, durations: np.ndarray) -> int:
        return int((durations >= day).sum())


def kaplan_meier(durations, events) -> KaplanMeier:
    durations = np.asarray(durations, dtype=float)
    events = np.asarray(events, dtype=int)
    if len(durations) == 0:
        return KaplanMeier(np.array([]), np.array([]), np.array([]), np.array([]), None, 0)
    if events.sum() == 0:
        return KaplanMeier(np.array([]), np.array([]), np.array([]), np.array([]), None, len(durations))
    fit = SurvfuncRight(durations, events)
    times, surv = np.asarray(fit.surv_times), np.asarray(fit.surv_prob)
    reached = np.nonzero(surv <= 0.5)[0]
    return KaplanMeier(
        times, surv, np.asarray(fit.n_risk), np.asarray(fit.n_events), float(times[reached[0]]) if len(reached) else None, len(durations)
    )


def curves_by(frame: pd.DataFrame, group: str) -> dict:
    """{group value: KaplanMeier} using columns `days_to_work_or_censor` and `work_event`."""
    result = {}
    for value, part in frame.groupby(group, sort=True):
        part = part.dropna(subset=["days_to_work_or_censor"])
        result[value] = kaplan_meier(part["days_to_work_or_censor"].to_numpy(), part["work_event"].astype(int).to_numpy())
    return result
