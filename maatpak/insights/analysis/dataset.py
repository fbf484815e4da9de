"""The analysis data set: one row per trajectory, built from the native models with a fixed
number of queries. Imported history and trajectories recorded in Maatpak flow in alike.

Outcome columns are 1 (yes), 0 (no) or NaN (unknown: not enough follow-up yet). Censored people
are never counted as failures. docs/methods.md defines each column in plain language.
"""

import datetime as dt
from collections import defaultdict

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from maatpak.employers.models import PAID_WORK_KINDS, Placement, PlacementFollowUp
from maatpak.employers.selectors import placement_lasted
from maatpak.insights.bands import age_band, months_on_benefit_band
from maatpak.insights.models import BARRIER_DOMAINS, ImportedTrajectory
from maatpak.participants.models import (
    BARRIER_THRESHOLD,
    Benefit,
    BenefitType,
    DomainAssessment,
    EducationLevel,
    LadderAssessment,
    Participant,
    SolAssessment,
)
from maatpak.trajectories.goals import IMPROVED_STATUSES
from maatpak.trajectories.models import (
    Goal,
    GoalStatus,
    InstrumentCluster,
    IntermediateGoalKind,
    PlannedInstrument,
    PlanVersion,
    Referral,
    Sanction,
    SanctionStatus,
    Trajectory,
)

COVARIATES = ["age", "sex_female", "education_low", "months_on_benefit", "ladder_rung", "sol_far", *list(BARRIER_DOMAINS)]
OUTCOMES = {
    "work_6m": "Paid work within 6 months of the start",
    "work_12m": "Paid work within 12 months of the start",
    "work_24m": "Paid work within 24 months of the start",
    "durable_work": "Paid work within 24 months that lasted at least 6 months (follow-up checks)",
    "benefit_exit_12m": "Benefit ended within 12 months of the start",
    "ladder_up_12m": "At least one rung up the participation ladder within 12 months",
    "goal_improved": "Improved on at least one intermediate goal (reached or partly reached, as the consultant confirmed)",
    **{f"goal_{kind.value}": f"Intermediate goal reached: {kind.value}" for kind in IntermediateGoalKind},
}
DURABLE_MONTHS = 6
DAYS_PER_MONTH = 365.25 / 12
INTAKE_GRACE_DAYS = 92
# Integral approach (integrale aanpak): the plan combines instruments from at least two of IWI's
# clusters besides diagnosis — e.g. debt support with job mediation — rather than one kind of help.
INTEGRAL_MIN_CLUSTERS = 2


def _latest_before(rows, day):
    """The last (date, value) on or before `day`; else the intake: the first one within
    INTAKE_GRACE_DAYS after it (intakes are often written up a few weeks into the trajectory)."""
    before = [r for r in rows if r[0] <= day]
    if before:
        return before[-1]
    if rows and (rows[0][0] - day).days <= INTAKE_GRACE_DAYS:
        return rows[0]
    return None


def _outcome_within(event_day, start, months, follow_up_end):
    limit = start + relativedelta(months=months)
    if event_day is not None and start <= event_day <= limit:
        return 1.0
    return 0.0 if follow_up_end >= limit else np.nan


def _benefit_months(benefit, start, follow_up_end, horizon=24):
    """Months on benefit in the `horizon` months after the start (for cost–benefit); NaN when
    the benefit still ran at the end of a follow-up shorter than the horizon."""
    if benefit is None:
        return np.nan
    limit = start + relativedelta(months=horizon)
    end = benefit["end_date"]
    if end is not None and end <= limit and end <= follow_up_end:
        return max(0.0, (end - start).days / DAYS_PER_MONTH)
    return float(horizon) if follow_up_end >= limit else np.nan


def _durable_work(placements, checks, start, follow_up_end):
    """1 when a paid job starting within 24 months of the start lasted DURABLE_MONTHS (the
    durability rule of employers.selectors.placement_lasted, with follow-up checks); NaN while
    such a job's answer is not known yet, or no job and follow-up shorter than 30 months; else 0."""
    answers = [
        placement_lasted(start_date=begin, end_date=end, checks=checks.get(pk, ()), months=DURABLE_MONTHS, today=follow_up_end)
        for begin, end, pk in placements
        if start <= begin <= start + relativedelta(months=24)
    ]
    if any(a is True for a in answers):
        return 1.0
    if any(a is None for a in answers):
        return np.nan
    return 0.0 if follow_up_end >= start + relativedelta(months=24 + DURABLE_MONTHS) else np.nan


def _goal_outcomes(goals) -> dict:
    """The goal outcomes of one trajectory from the confirmed statuses of its goals (kind, status).

    `goal_<kind>`: 1 when a goal of that kind was reached, 0 when one was confirmed partly or not
    reached (and none of that kind reached); unknown while open. `goal_improved`: 1 when any goal
    was reached or partly reached, 0 when every goal was confirmed not reached; unknown otherwise."""
    row = {}
    for kind, status in goals:
        key = f"goal_{kind}"
        if status == GoalStatus.REACHED:
            row[key] = 1.0
        elif status in (GoalStatus.PARTLY_REACHED, GoalStatus.NOT_REACHED) and row.get(key) != 1.0:
            row[key] = 0.0
    statuses = {status for _, status in goals}
    if statuses & IMPROVED_STATUSES:
        row["goal_improved"] = 1.0
    elif statuses == {GoalStatus.NOT_REACHED}:
        row["goal_improved"] = 0.0
    return row


def _grouped(queryset, keys: tuple, values: tuple) -> defaultdict:
    """The rows' `values` as tuples, grouped by `keys` in the queryset's order: {key: [(values), ...]}.
    A key of one field is that field's value, of several a tuple."""
    grouped = defaultdict(list)
    for row in queryset.values_list(*keys, *values):
        key = row[: len(keys)]
        grouped[key[0] if len(keys) == 1 else key].append(row[len(keys) :])
    return grouped


def build_dataset(*, municipality_ids, today: dt.date | None = None) -> pd.DataFrame:
    today = today or timezone.localdate()
    trajectories = list(
        Trajectory.objects.filter(municipality_id__in=municipality_ids, started_on__isnull=False).values(
            "id", "participant_id", "started_on", "ended_on", "status", "previous_id"
        )
    )
    if not trajectories:
        return pd.DataFrame(columns=["trajectory_id", "participant_id", "start", *COVARIATES, *list(OUTCOMES)])
    pids = {t["participant_id"] for t in trajectories}
    tids = [t["id"] for t in trajectories]
    people = {
        p["id"]: p
        for p in Participant.objects.filter(id__in=pids).values(
            "id", "birth_date", "sex", "education_level", "moved_away_on", "registered_on"
        )
    }
    benefits = defaultdict(list)
    for b in (
        Benefit.objects.filter(participant_id__in=pids)
        .exclude(type=BenefitType.NONE)
        .order_by("start_date")
        .values("participant_id", "start_date", "end_date", "monthly_amount_cents")
    ):
        benefits[b["participant_id"]].append(b)
    domains = _grouped(
        DomainAssessment.objects.filter(participant_id__in=pids, domain__in=BARRIER_DOMAINS.values()).order_by("assessed_on", "id"),
        ("participant_id", "domain"),
        ("assessed_on", "score"),
    )
    ladders = _grouped(
        LadderAssessment.objects.filter(participant_id__in=pids).order_by("assessed_on", "id"), ("participant_id",), ("assessed_on", "rung")
    )
    sols = _grouped(
        SolAssessment.objects.filter(participant_id__in=pids).order_by("assessed_on", "id"), ("participant_id",), ("assessed_on", "group")
    )
    placements = _grouped(
        Placement.objects.filter(participant_id__in=pids, kind__in=PAID_WORK_KINDS).order_by("start_date"),
        ("participant_id",),
        ("start_date", "end_date", "id"),
    )
    checks = _grouped(
        PlacementFollowUp.objects.filter(placement__participant_id__in=pids, placement__kind__in=PAID_WORK_KINDS),
        ("placement_id",),
        ("checked_on", "still_working"),
    )
    latest_plan = {}
    for plan_id, tid in (
        PlanVersion.objects.filter(trajectory_id__in=tids).order_by("trajectory_id", "number").values_list("id", "trajectory_id")
    ):
        latest_plan[tid] = plan_id
    plan_to_trajectory = {v: k for k, v in latest_plan.items()}
    instruments, clusters, costs = defaultdict(set), defaultdict(set), defaultdict(int)
    for plan_id, code, cluster, cost in PlannedInstrument.objects.filter(plan_id__in=latest_plan.values()).values_list(
        "plan_id", "instrument__code", "instrument__cluster", "cost_cents"
    ):
        instruments[plan_to_trajectory[plan_id]].add(code)
        clusters[plan_to_trajectory[plan_id]].add(cluster)
        costs[plan_to_trajectory[plan_id]] += cost
    # Goal statuses are confirmed on the plan in force (trajectories.goals), so they are read there:
    # a revision still being agreed holds only copies.
    in_force = {}
    for plan_id, tid in PlanVersion.objects.filter(trajectory_id__in=tids).in_force_first().values_list("id", "trajectory_id"):
        in_force.setdefault(tid, plan_id)
    goals = defaultdict(list)
    for tid, kind, status in Goal.objects.filter(plan_id__in=in_force.values()).values_list("plan__trajectory_id", "kind", "status"):
        goals[tid].append((kind, status))
    providers = {}
    for tid, name in (
        Referral.objects.filter(trajectory_id__in=tids).order_by("proposed_on", "id").values_list("trajectory_id", "provider__name")
    ):
        providers.setdefault(tid, name)
    # Imported rows with an empty cost: the trajectory's cost is unknown, not the sum of the rest.
    cost_unknown = set(ImportedTrajectory.objects.filter(trajectory_id__in=tids, cost_unknown=True).values_list("trajectory_id", flat=True))
    # Only an imposed sanction is a sanction: a proposal, one withdrawn after the hearing or
    # revoked on objection is not.
    sanctioned = set(Sanction.objects.filter(trajectory_id__in=tids, status=SanctionStatus.IMPOSED).values_list("trajectory_id", flat=True))

    rows = []
    for t in trajectories:
        pid, start = t["participant_id"], t["started_on"]
        person = people[pid]
        follow_up_end = min(d for d in (today, person["moved_away_on"]) if d is not None)
        age = relativedelta(start, person["birth_date"]).years
        benefit = next(
            (b for b in reversed(benefits[pid]) if b["start_date"] <= start and (b["end_date"] is None or b["end_date"] >= start)), None
        )
        months = None
        if benefit is not None:
            delta = relativedelta(start, benefit["start_date"])
            months = delta.years * 12 + delta.months
        ladder_at_start = _latest_before(ladders[pid], start)
        sol = _latest_before(sols[pid], start)
        row = {
            "trajectory_id": t["id"],
            "participant_id": pid,
            "start": start,
            "status": t["status"],
            "repeat": t["previous_id"] is not None,
            "age": age,
            "age_band": age_band(age),
            "sex_female": 1.0 if person["sex"] == "f" else 0.0,
            "education_low": 1.0 if person["education_level"] in (EducationLevel.NONE, EducationLevel.LOWER_SECONDARY) else 0.0,
            "months_on_benefit": months,
            "months_on_benefit_band": months_on_benefit_band(months),
            "monthly_benefit_cents": benefit["monthly_amount_cents"] if benefit else 0,
            "ladder_rung": ladder_at_start[1] if ladder_at_start else None,
            "sol_group": sol[1] if sol else None,
            "sol_far": None if sol is None else (1.0 if sol[1].startswith("B") else 0.0),
            "provider": providers.get(t["id"]),
            "sanction": 1.0 if t["id"] in sanctioned else 0.0,
            "cost_cents": np.nan if t["id"] in cost_unknown else costs.get(t["id"], 0),
            "instruments": sorted(instruments.get(t["id"], ())),
            "integral": 1.0 if len(clusters.get(t["id"], set()) - {InstrumentCluster.DIAGNOSIS}) >= INTEGRAL_MIN_CLUSTERS else 0.0,
        }
        for column, domain in BARRIER_DOMAINS.items():
            found = _latest_before(domains[(pid, domain)], start)
            row[column] = None if found is None else (1.0 if found[1] <= BARRIER_THRESHOLD else 0.0)
        row["barriers"] = int(sum(row[c] or 0 for c in BARRIER_DOMAINS))
        first_work = next((p for p in placements[pid] if p[0] >= start), None)
        work_day = first_work[0] if first_work else None
        for months_ in (6, 12, 24):
            row[f"work_{months_}m"] = _outcome_within(work_day, start, months_, follow_up_end)
        row["durable_work"] = _durable_work(placements[pid], checks, start, follow_up_end)
        exit_day = benefit["end_date"] if benefit else None
        row["benefit_months_24m"] = _benefit_months(benefit, start, follow_up_end)
        row["benefit_exit_12m"] = np.nan if benefit is None else _outcome_within(exit_day, start, 12, follow_up_end)
        later = [r for on, r in ladders[pid] if start < on <= start + relativedelta(months=12)]
        if row["ladder_rung"] is None:
            row["ladder_up_12m"] = np.nan
        elif any(r > row["ladder_rung"] for r in later):
            row["ladder_up_12m"] = 1.0
        else:
            row["ladder_up_12m"] = 0.0 if follow_up_end >= start + relativedelta(months=12) else np.nan
        row.update(_goal_outcomes(goals.get(t["id"], ())))
        if work_day is not None:
            row["days_to_work_or_censor"], row["work_event"] = (work_day - start).days, 1
        else:
            row["days_to_work_or_censor"], row["work_event"] = max(0, (follow_up_end - start).days), 0
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in OUTCOMES:
        if column not in frame:
            frame[column] = np.nan
    for code in sorted({c for r in rows for c in r["instruments"]}):
        frame[f"instrument_{code}"] = frame["instruments"].apply(lambda codes, code=code: 1.0 if code in codes else 0.0)
    return frame


def treatment_column(frame: pd.DataFrame, treatment: str) -> str:
    """Map a treatment name to a 0/1 column: an instrument code, `sanction`, `integral` or `provider:NAME`."""
    if treatment in ("sanction", "integral"):
        return treatment
    if treatment.startswith("provider:"):
        name = treatment.split(":", 1)[1]
        frame["provider_" + name] = (frame["provider"] == name).astype(float)
        return "provider_" + name
    column = f"instrument_{treatment}"
    if column not in frame:
        frame[column] = 0.0
    return column
