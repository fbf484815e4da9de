"""Issue 13, must-show 2: the net-effect, Kaplan–Meier and monitoring figures computed on a
municipality whose data was entered only through services (tests/insights/service_world.py: no
demo generator, no factory or ORM `.create()` for a participant's rows).

Two kinds of checks:
- the figures are right where the history makes them known (placements, work within 6/12/24
  months, durability from the recorded follow-up checks, goal improvement from the confirmed
  statuses, only imposed sanctions counted, benefit exits, the contract's placements and reports);
- self-enforcing: EVERY outcome column of the what-works data set (`dataset.OUTCOMES`), every
  covariate and treatment, and every figure of contract monitoring (`monitoring.Figures`) has at
  least one known, non-zero value here. An outcome someone adds that no service can write makes
  these tests fail, and the failure names it.
"""

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.utils import timezone

from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.employers.models import Placement
from maatpak.insights.analysis.costbenefit import cost_benefit
from maatpak.insights.analysis.dataset import COVARIATES, OUTCOMES
from maatpak.insights.monitoring import Figures, contract_monitoring
from maatpak.insights.selectors import CURVE_GROUPS, analysis_dataset, effect_report, survival_table
from maatpak.participants.models import Benefit, DomainAssessment, LadderAssessment, Participant, SolAssessment
from maatpak.trajectories.models import (
    Agreement,
    EndReport,
    Goal,
    GoalStatus,
    IntermediateGoalKind,
    PlannedInstrument,
    ProgressReport,
    Referral,
    Sanction,
    SanctionStatus,
    Signature,
    Trajectory,
)
from tests.insights.service_world import (
    CONTRACT_PRICE_CENTS,
    DEBT_SUPPORT,
    EXTERNAL,
    IN_HOUSE,
    STILL_RUNNING,
    TREATMENT,
    build_world,
    has_benefit,
)

# django_db on every test also makes pytest-django create the test database before the module's
# fixture runs (without a marked test it would not, and the fixture would reach the real one).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Figures that no service can write yet. Each entry is a finding, reported with issue 13: keep
# this list honest — the test below fails as soon as one of them gets a value, so it must shrink.
NOT_WRITABLE_YET = {
    # SurveyResponse (satisfaction per provider) is written by no service, screen, API or import.
    "satisfaction": "no service writes a SurveyResponse",
    "satisfaction_n": "no service writes a SurveyResponse",
}
# Monitoring's labels and flags, not figures (`small_n` is `ended < 10`; `notes` is never filled
# by contract_monitoring at all).
MONITORING_LABELS = {"provider", "kind", "contract", "provider_id", "small_n", "notes"}
PERIOD_YEARS = 4


@pytest.fixture(scope="module")
def result(django_db_setup, django_db_blocker):
    """Build the world, compute every figure as a policy officer of that municipality would see
    it, then roll the world back: the tests read only the computed figures."""
    today = timezone.localdate()
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not a test database: {name}"
        world = build_world(today=today)
        officer = world.policy_officer
        frame = analysis_dataset(user=officer)
        figures = {
            "today": today,
            "specs": {s.index: s for s in world.specs},
            "frame": frame.set_index("trajectory_id").rename(index={pk: index for index, pk in world.trajectories.items()}),
            "effects": {
                treatment: effect_report(frame, treatment=treatment, outcome="work_12m", segment="sol_group")
                for treatment in (TREATMENT, "integral", "sanction", f"provider:{EXTERNAL}")
            },
            "curves": {group: survival_table(frame, group=group) for group in CURVE_GROUPS},
            "costs": {group: cost_benefit(frame, group=group) for group in ("instrument", "provider")},
            "monitoring": contract_monitoring(
                user=officer, period_start=today - relativedelta(years=PERIOD_YEARS), period_end=today, today=today
            ),
            "placements": Placement.objects.filter(municipality=world.municipality).count(),
            "sanctions": dict(Sanction.objects.filter(municipality=world.municipality).values_list("participant__reference", "status")),
            "benefit_ends": sorted(
                Benefit.objects.filter(municipality=world.municipality, end_date__isnull=False).values_list("end_reason", flat=True)
            ),
            "unaudited": _rows_without_audited_creation(world.municipality),
        }
        transaction.set_rollback(True)
    return figures


# The rows a person's history consists of; each service that makes one writes a CREATE event.
# (The consultant's closing report is logged as the trajectory's UPDATE to "closed", so only the
# providers' end reports are checked here.)
AUDITED_ROWS = (
    Participant,
    Benefit,
    DomainAssessment,
    LadderAssessment,
    SolAssessment,
    Trajectory,
    Goal,
    PlannedInstrument,
    Agreement,
    Signature,
    Referral,
    ProgressReport,
    EndReport,
    Placement,
    Sanction,
)


def _rows_without_audited_creation(municipality) -> dict:
    """{model: ids} of rows with no CREATE event in the audit log: a row written past the
    services (a factory, `.create()`, the demo generator) would show up here."""
    gaps = {}
    for model in AUDITED_ROWS:
        rows = model.objects.filter(municipality=municipality)
        if model is EndReport:
            rows = rows.filter(referral__isnull=False)
        ids = {str(pk) for pk in rows.values_list("pk", flat=True)}
        audited = set(
            AuditEvent.objects.filter(action=AuditAction.CREATE, object_type=model.__name__, object_id__in=ids).values_list(
                "object_id", flat=True
            )
        )
        if not ids or ids - audited:
            gaps[model.__name__] = sorted(ids - audited) or "no rows at all"
    return gaps


def known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def nonzero(value) -> bool:
    """Known and not zero; a monitoring fraction "lasted/known" counts when something lasted."""
    if isinstance(value, str):
        return value.split("/")[0].strip() not in ("", "0", "–")
    return known(value) and bool(value)


# --- what the history says, derived from the specs (not from the analysis code) -------------


def follow_up_months(spec, today) -> float:
    return (today - spec.start).days / (365.25 / 12)


def expected_work(spec, months, today):
    if spec.work_after_months is not None and spec.work_after_months <= months:
        return 1.0
    return 0.0 if today >= spec.start + relativedelta(months=months) else np.nan


def expected_durable(spec, today):
    if spec.work_after_months is None:
        return 0.0 if today >= spec.start + relativedelta(months=30) else np.nan
    return {"lasting": 1.0, "ended_after_6": 1.0, "short": 0.0, "pending": np.nan}[spec.job_fate]


def expected_benefit_exit(spec):
    if spec.repeat or not has_benefit(spec):
        return np.nan  # no benefit ran at the start (the repeater's ended before the second trajectory)
    return 1.0 if spec.benefit_end is not None and spec.benefit_end[0] <= 12 else 0.0


def expected_goals(spec) -> dict:
    statuses = [status for _kind, status in spec.goals]
    row = {}
    if any(s in (GoalStatus.REACHED, GoalStatus.PARTLY_REACHED) for s in statuses):
        row["goal_improved"] = 1.0
    elif set(statuses) == {GoalStatus.NOT_REACHED}:
        row["goal_improved"] = 0.0
    for kind, status in spec.goals:
        if status == GoalStatus.REACHED:
            row[f"goal_{kind}"] = 1.0
        elif status != GoalStatus.OPEN and row.get(f"goal_{kind}") != 1.0:
            row[f"goal_{kind}"] = 0.0
    return row


def imposed(spec) -> bool:
    return spec.sanction is not None and spec.sanction[-1:] in (("impose",), ("rejected",))


def same(actual, expected) -> bool:
    return (not known(actual) and not known(expected)) or actual == expected


# --- the data set --------------------------------------------------------------------------


def test_the_history_was_written_by_services_only(result):
    assert result["unaudited"] == {}


def test_every_trajectory_entered_through_services_is_in_the_data_set(result):
    frame, specs = result["frame"], result["specs"]
    assert sorted(frame.index) == sorted(specs)
    assert frame.loc[max(specs), "repeat"] and not frame.drop(index=max(specs))["repeat"].any()
    assert {s.index: s.start for s in specs.values()} == frame["start"].to_dict()
    assert (frame["provider"] == EXTERNAL).sum() == 24 and (frame["provider"] == IN_HOUSE).sum() == 13
    assert frame["provider"].isna().sum() == 12


@pytest.mark.parametrize("column", ["work_6m", "work_12m", "work_24m", "durable_work", "benefit_exit_12m", "ladder_up_12m"])
def test_outcomes_are_what_was_recorded(result, column):
    frame, specs, today = result["frame"], result["specs"], result["today"]
    expect = {
        "work_6m": lambda s: expected_work(s, 6, today),
        "work_12m": lambda s: expected_work(s, 12, today),
        "work_24m": lambda s: expected_work(s, 24, today),
        "durable_work": lambda s: expected_durable(s, today),
        "benefit_exit_12m": expected_benefit_exit,
        "ladder_up_12m": lambda s: 1.0 if s.ladder_up else 0.0,
    }[column]
    wrong = {i: (frame.loc[i, column], expect(s)) for i, s in specs.items() if not same(frame.loc[i, column], expect(s))}
    assert not wrong, f"{column}: (data set, recorded) per trajectory {wrong}"


def test_placements_and_their_follow_up_checks(result):
    frame, specs = result["frame"], result["specs"]
    workers = [s for s in specs.values() if s.work_after_months is not None]
    assert result["placements"] == len(workers) == 20
    assert frame["work_event"].sum() == len(workers)
    # Durability at 6 months: lasting jobs and jobs ended after their 6-month check count; a job
    # ended at 2 months does not; a job whose 6-month check is due but not recorded is unknown.
    assert frame["durable_work"].sum() == sum(1 for s in workers if s.job_fate in ("lasting", "ended_after_6"))
    pending = {s.index for s in workers if s.job_fate == "pending"}
    assert pending and frame.loc[sorted(pending), "durable_work"].isna().all()


def test_goal_improvement_counts_only_confirmed_statuses(result):
    frame, specs = result["frame"], result["specs"]
    goal_columns = ["goal_improved", *(f"goal_{k.value}" for k in IntermediateGoalKind)]
    for index, spec in specs.items():
        expected = expected_goals(spec)
        for column in goal_columns:
            assert same(frame.loc[index, column], expected.get(column, np.nan)), (index, column)
    # Seed 003's measure: the share that improved on at least one goal, among the known.
    improved = [expected_goals(s).get("goal_improved") for s in specs.values()]
    assert frame["goal_improved"].mean() == pytest.approx(np.mean([v for v in improved if v is not None]))
    # A provider's proposal nobody confirmed leaves the goal open (people whose goals stayed open).
    assert frame.loc[[i for i, s in specs.items() if {st for _k, st in s.goals} == {GoalStatus.OPEN}], "goal_improved"].isna().all()


def test_only_imposed_sanctions_count(result):
    frame, specs = result["frame"], result["specs"]
    statuses = sorted(result["sanctions"].values())
    assert statuses == sorted([SanctionStatus.IMPOSED] * 5 + [SanctionStatus.WITHDRAWN, SanctionStatus.REVOKED, SanctionStatus.PROPOSED])
    assert {i for i in specs if frame.loc[i, "sanction"] == 1} == {i for i, s in specs.items() if imposed(s)}
    assert result["effects"]["sanction"]["treated_n"] == 5


def test_benefit_ends_carry_their_divosa_reason(result):
    specs = result["specs"]
    reasons = sorted(s.benefit_end[1] for s in specs.values() if s.benefit_end is not None and has_benefit(s))
    assert result["benefit_ends"] == reasons and {"work", "self_employment", "partner_income", "education"} <= set(reasons)


def test_treatments_integral_and_instruments(result):
    frame, specs = result["frame"], result["specs"]
    assert frame[f"instrument_{TREATMENT}"].sum() == 24
    assert frame["integral"].sum() == sum(1 for s in specs.values() if DEBT_SUPPORT in s.instruments) == 6


# --- the net effect, Kaplan–Meier and costs -------------------------------------------------


def test_net_effect_of_the_instrument(result):
    specs, report = result["specs"], result["effects"][TREATMENT]
    treated = [s for s in specs.values() if TREATMENT in s.instruments]
    control = [s for s in specs.values() if TREATMENT not in s.instruments]
    assert (report["treated_n"], report["control_n"]) == (len(treated), len(control)) == (24, 25)

    def in_work(group):
        return sum(1 for s in group if s.work_after_months is not None and s.work_after_months <= 12) / len(group)

    assert report["gross_treated"] == pytest.approx(in_work(treated), abs=1e-4)
    assert report["gross_control"] == pytest.approx(in_work(control), abs=1e-4)
    assert known(report["effect"]) and report["ci_low"] <= report["effect"] <= report["ci_high"]
    assert report["balance"] and report["segments"] and report["segment_left_out"] == 0
    provider = result["effects"][f"provider:{EXTERNAL}"]
    assert (provider["treated_n"], provider["gross_treated"]) == (24, report["gross_treated"])


def test_kaplan_meier_time_to_work(result):
    specs, today = result["specs"], result["today"]
    rows = {row["group"]: row for row in result["curves"]["provider"]}
    external = [s for s in specs.values() if s.provider == EXTERNAL]
    assert rows[EXTERNAL]["n"] == 24 and rows[IN_HOUSE]["n"] == 13
    # Everybody with the external provider is followed more than 730 days: no censoring before.
    assert all((today - s.start).days > 730 for s in external)
    found = sum(1 for s in external if s.work_start is not None and (s.work_start - s.start).days <= 730)
    assert rows[EXTERNAL]["in_work_730"] == pytest.approx(found / 24)
    assert rows[EXTERNAL]["at_risk"][0] == 24 and known(rows[EXTERNAL]["median"])
    for group in CURVE_GROUPS:
        assert result["curves"][group], group
        assert sum(row["n"] for row in result["curves"][group]) >= len(specs)


def test_cost_benefit_tables(result):
    for group, table in result["costs"].items():
        assert len(table), group


# --- contract monitoring --------------------------------------------------------------------


def placed(spec) -> bool:
    """Monitoring's placement: paid work from the referral's start to 3 months after its end."""
    end = spec.referral_end
    return end is not None and spec.work_start is not None and spec.referral_start <= spec.work_start <= end + dt.timedelta(days=90)


def test_monitoring_per_provider_is_what_was_recorded(result):
    specs = result["specs"]
    providers = {f.provider: f for f in result["monitoring"]["providers"]}
    external = [s for s in specs.values() if s.provider == EXTERNAL]
    ended = [s for s in external if s.index not in STILL_RUNNING]
    hits = [s for s in ended if placed(s)]
    f = providers[EXTERNAL]
    assert (f.referrals, f.active, f.ended, f.placed) == (24, 1, len(ended), len(hits))
    lasted = [s for s in hits if s.job_fate in ("lasting", "ended_after_6")]
    answered = [s for s in hits if s.job_fate != "pending"]
    assert f.durable_6m == f"{len(lasted)}/{len(answered)}"
    assert f.reports_due == 24 and f.on_time_percent == pytest.approx(100 * sum(not s.late_report for s in external) / 24)
    assert f.reports_missing_fields == sum(not s.complete_report for s in external)
    assert f.reports_overdue_now == 1  # the referral still running has not reported since its first report
    assert f.missing_end_reports == sum(1 for s in ended if not s.end_report) + 1  # and the running one is past its planned end
    assert f.cost_cents == len(ended) * CONTRACT_PRICE_CENTS
    assert f.target_placements == math.ceil(0.3 * len(ended))
    in_house = providers[IN_HOUSE]
    assert (in_house.referrals, in_house.ended, in_house.repeat_share) == (13, 12, pytest.approx(1 / 13))


# --- self-enforcing: every figure the analyses read can be written by a service -------------


def test_every_outcome_the_analyses_read_was_written_by_a_service(result):
    frame = result["frame"]
    columns = [*OUTCOMES, "benefit_months_24m", "days_to_work_or_censor", "work_event"]
    empty = [c for c in columns if not frame[c].map(nonzero).any()]
    assert not empty, f"outcomes no service wrote in this world (add a service, or the world must use it): {empty}"


def test_every_covariate_and_treatment_was_written_by_a_service(result):
    frame = result["frame"]
    columns = [*COVARIATES, "sanction", "integral", "cost_cents", "provider", "sol_group", "monthly_benefit_cents"]
    empty = sorted(c for c in columns if c not in NOT_WRITABLE_YET and not frame[c].map(nonzero).any())
    assert not empty, f"covariates or treatments no service wrote in this world: {empty}"


def test_every_monitoring_figure_was_written_by_a_service(result):
    rows = [f for part in ("providers", "contracts", "kinds") for f in result["monitoring"][part]]
    assert rows
    figures = [f.name for f in dataclasses.fields(Figures) if f.name not in MONITORING_LABELS]
    empty = sorted(name for name in figures if name not in NOT_WRITABLE_YET and not any(nonzero(getattr(f, name)) for f in rows))
    assert not empty, f"monitoring figures no service wrote in this world: {empty}"


def test_the_known_gaps_are_still_gaps(result):
    """The list of figures no service can write must shrink as services come: once one has a
    value here, remove it from NOT_WRITABLE_YET."""
    frame = result["frame"]
    rows = [f for part in ("providers", "contracts", "kinds") for f in result["monitoring"][part]]
    written = [
        name
        for name in NOT_WRITABLE_YET
        if (name in frame and frame[name].map(nonzero).any()) or any(nonzero(getattr(f, name, None)) for f in rows)
    ]
    assert not written, f"now written by a service, remove from NOT_WRITABLE_YET: {written}"
