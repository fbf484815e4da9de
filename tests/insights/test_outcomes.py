"""Requirement (issue 6.1): each outcome definition in docs/methods.md, computed from the native
models — paid work within 6/12/24 months, durable work, benefit exit, ladder step up, intermediate
goals — with censored people (short follow-up, moved away) unknown rather than failures.
Also the cost–benefit table (issue 6.5) and that the data set needs a fixed number of queries."""

import datetime as dt
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maatpak.insights.analysis.costbenefit import cost_benefit
from maatpak.insights.analysis.dataset import build_dataset, treatment_column
from maatpak.participants.models import DomainAssessment
from maatpak.trajectories.models import Goal, PlannedInstrument, PlanVersion
from tests.factories import (
    BenefitFactory,
    InstrumentFactory,
    LadderAssessmentFactory,
    ParticipantFactory,
    PlacementFactory,
    SolAssessmentFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 1, 1)


def started(municipality, on, **person):
    participant = ParticipantFactory(municipality=municipality, **person)
    return TrajectoryFactory(participant=participant, status="active", started_on=on)


def plan(trajectory, *, code, cost):
    version = PlanVersion.objects.create(
        municipality=trajectory.municipality,
        trajectory=trajectory,
        number=1,
        end_goal_kind="regular_work",
        end_goal="Werk",
        planned_start=trajectory.started_on,
        planned_end=trajectory.started_on + dt.timedelta(days=180),
        created_by=trajectory.consultant,
    )
    instrument = InstrumentFactory(municipality=trajectory.municipality, code=code) if isinstance(code, str) else code
    PlannedInstrument.objects.create(
        municipality=trajectory.municipality,
        plan=version,
        instrument=instrument,
        start_date=trajectory.started_on,
        end_date=trajectory.started_on + dt.timedelta(days=90),
        cost_cents=cost,
    )
    return version, instrument


def row(frame, trajectory):
    return frame.set_index("trajectory_id").loc[trajectory.pk]


def known(value):
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def test_work_within_windows_and_durable_work(municipality):
    early = started(municipality, dt.date(2022, 1, 1))
    PlacementFactory(participant=early.participant, start_date=dt.date(2022, 5, 1), end_date=None)
    short_job = started(municipality, dt.date(2021, 1, 1))
    PlacementFactory(participant=short_job.participant, start_date=dt.date(2021, 9, 1), end_date=dt.date(2021, 10, 1))
    volunteer = started(municipality, dt.date(2021, 1, 1))
    PlacementFactory(participant=volunteer.participant, kind="volunteer", start_date=dt.date(2021, 2, 1))
    frame = build_dataset(municipality_ids=[municipality.pk], today=TODAY)

    e = row(frame, early)
    assert (e.work_6m, e.work_12m, e.work_24m, e.durable_work) == (1, 1, 1, 1)  # ongoing job, 8 months so far
    assert (e.days_to_work_or_censor, e.work_event) == (120, 1)
    s = row(frame, short_job)
    assert (s.work_6m, s.work_12m, s.work_24m, s.durable_work) == (0, 1, 1, 0)  # a one-month job is not durable
    v = row(frame, volunteer)
    assert (v.work_24m, v.work_event) == (0, 0)  # volunteer work is not paid work


def test_short_follow_up_and_moving_away_are_unknown_not_failures(municipality):
    recent = started(municipality, dt.date(2024, 6, 1))
    moved = started(municipality, dt.date(2022, 1, 1), moved_away_on=dt.date(2022, 4, 1))
    frame = build_dataset(municipality_ids=[municipality.pk], today=TODAY)

    r = row(frame, recent)
    assert r.work_6m == 0 and not known(r.work_12m) and not known(r.work_24m) and not known(r.durable_work)
    assert (r.days_to_work_or_censor, r.work_event) == (214, 0)  # censored today
    m = row(frame, moved)
    assert not known(m.work_6m) and (m.days_to_work_or_censor, m.work_event) == (90, 0)  # censored on moving away


def test_covariates_at_start_benefit_exit_and_ladder_step(municipality):
    trajectory = started(municipality, dt.date(2021, 1, 1), sex="f", education_level="vmbo", birth_date=dt.date(1990, 6, 1))
    person = trajectory.participant
    BenefitFactory(participant=person, start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 6, 1), monthly_amount_cents=120_000)
    LadderAssessmentFactory(participant=person, rung=2, assessed_on=dt.date(2020, 12, 1))
    LadderAssessmentFactory(participant=person, rung=3, assessed_on=dt.date(2021, 8, 1))
    LadderAssessmentFactory(participant=person, rung=1, assessed_on=dt.date(2019, 1, 1))
    SolAssessmentFactory(participant=person, group="B2", assessed_on=dt.date(2020, 12, 1))
    author = UserFactory(municipalities=[municipality])
    DomainAssessment.objects.create(
        municipality=municipality, participant=person, domain="health_mental", score=2, assessed_on=dt.date(2020, 12, 1), author=author
    )
    DomainAssessment.objects.create(
        municipality=municipality, participant=person, domain="income_debts", score=4, assessed_on=dt.date(2020, 12, 1), author=author
    )
    # the intake within three months after the start counts; a later assessment does not
    DomainAssessment.objects.create(
        municipality=municipality, participant=person, domain="language", score=1, assessed_on=dt.date(2021, 2, 15), author=author
    )
    DomainAssessment.objects.create(
        municipality=municipality, participant=person, domain="housing", score=1, assessed_on=dt.date(2021, 6, 1), author=author
    )
    frame = build_dataset(municipality_ids=[municipality.pk], today=TODAY)

    r = row(frame, trajectory)
    assert (r.age, r.age_band, r.sex_female, r.education_low) == (30, "27–44", 1, 1)
    assert (r.months_on_benefit, r.months_on_benefit_band, r.monthly_benefit_cents) == (12, "12–35", 120_000)
    assert (r.ladder_rung, r.sol_group, r.sol_far) == (2, "B2", 1)
    assert (r.health_mental, r.debts, r.language, r.barriers) == (1, 0, 1, 2) and not known(r.housing)
    assert r.benefit_exit_12m == 1 and r.benefit_months_24m == pytest.approx(151 / (365.25 / 12))
    assert r.ladder_up_12m == 1


def test_no_step_up_is_a_failure_only_after_twelve_months(municipality):
    old = started(municipality, dt.date(2021, 1, 1))
    recent = started(municipality, dt.date(2024, 9, 1))
    for trajectory in (old, recent):
        LadderAssessmentFactory(participant=trajectory.participant, rung=3, assessed_on=trajectory.started_on)
        BenefitFactory(participant=trajectory.participant, start_date=dt.date(2020, 1, 1), end_date=None)
    frame = build_dataset(municipality_ids=[municipality.pk], today=TODAY)
    assert row(frame, old).ladder_up_12m == 0 and row(frame, old).benefit_exit_12m == 0 and row(frame, old).benefit_months_24m == 24
    assert not known(row(frame, recent).ladder_up_12m) and not known(row(frame, recent).benefit_exit_12m)
    assert not known(row(frame, recent).benefit_months_24m)


def test_intermediate_goals_instruments_and_costs(municipality):
    trajectory = started(municipality, dt.date(2022, 1, 1))
    version, _ = plan(trajectory, code="WERKFIT", cost=150_000)
    for kind, status in (("health", "reached"), ("finances", "not_reached"), ("social_skills", "open")):
        Goal.objects.create(
            municipality=municipality, plan=version, kind=kind, description="d", measure="m", target_date=dt.date(2022, 6, 1), status=status
        )
    frame = build_dataset(municipality_ids=[municipality.pk], today=TODAY)
    r = row(frame, trajectory)
    assert (r.goal_health, r.goal_finances) == (1, 0) and not known(r.goal_social_skills)
    assert r.instruments == ["WERKFIT"] and r.instrument_WERKFIT == 1 and r.cost_cents == 150_000


def test_other_municipalities_stay_out(municipality, other_municipality):
    started(municipality, dt.date(2022, 1, 1))
    started(other_municipality, dt.date(2022, 1, 1))
    assert len(build_dataset(municipality_ids=[municipality.pk], today=TODAY)) == 1


def test_the_data_set_takes_a_fixed_number_of_queries(municipality):
    def count():
        with CaptureQueriesContext(connection) as queries:
            build_dataset(municipality_ids=[municipality.pk], today=TODAY)
        return len(queries)

    few = None
    for day in range(1, 8):
        trajectory = started(municipality, dt.date(2022, 2, day))
        PlacementFactory(participant=trajectory.participant, start_date=dt.date(2022, 5, day))
        plan(trajectory, code=f"I{day}", cost=1000)
        few = few or count()
    assert count() == few


def test_cost_benefit_compares_benefit_months_with_everyone_else(municipality):
    instrument = None
    for index in range(4):
        trajectory = started(municipality, dt.date(2021, 1, 1))
        treated = index < 2
        if treated:
            _, instrument = plan(trajectory, code=instrument or "JOBHUNT", cost=300_000)
        # treated people leave the benefit after ~6 months, the others stay the full 24 months
        BenefitFactory(
            participant=trajectory.participant,
            start_date=dt.date(2020, 1, 1),
            monthly_amount_cents=100_000,
            end_date=dt.date(2021, 7, 2) if treated else None,
        )
        LadderAssessmentFactory(participant=trajectory.participant, rung=2, assessed_on=dt.date(2021, 1, 1))
        if treated and index == 0:
            LadderAssessmentFactory(participant=trajectory.participant, rung=3, assessed_on=dt.date(2021, 6, 1))
    frame = build_dataset(municipality_ids=[municipality.pk], today=TODAY)
    table = cost_benefit(frame).set_index("instrument")
    r = table.loc["JOBHUNT"]
    assert (r.n, r.n_known, r.average_cost_cents) == (2, 2, 300_000)
    assert r.benefit_months == pytest.approx(6.0, abs=0.05) and r.benefit_months_others == 24
    assert r.months_saved == pytest.approx(18.0, abs=0.05)
    assert r.saved_cents == pytest.approx(1_800_000, rel=0.01) and r.net_cents == pytest.approx(1_500_000, rel=0.02)
    assert r.break_even_months == 3.0 and r.ladder_up_share == 0.5


def test_integral_approach_means_instruments_from_two_clusters_besides_diagnosis(municipality):
    combined = started(municipality, dt.date(2022, 1, 1))
    version, _ = plan(combined, code=InstrumentFactory(municipality=municipality, code="SCHULD", cluster="support"), cost=0)
    PlannedInstrument.objects.create(
        municipality=municipality,
        plan=version,
        instrument=InstrumentFactory(municipality=municipality, code="BEMID", cluster="mediation"),
        start_date=combined.started_on,
        end_date=combined.started_on,
        cost_cents=0,
    )
    single = started(municipality, dt.date(2022, 1, 1))
    version, _ = plan(single, code=InstrumentFactory(municipality=municipality, code="CURSUS", cluster="courses"), cost=0)
    PlannedInstrument.objects.create(
        municipality=municipality,
        plan=version,
        instrument=InstrumentFactory(municipality=municipality, code="DIAG", cluster="diagnosis"),
        start_date=single.started_on,
        end_date=single.started_on,
        cost_cents=0,
    )
    frame = build_dataset(municipality_ids=[municipality.pk], today=TODAY)
    assert row(frame, combined).integral == 1 and row(frame, single).integral == 0
    assert treatment_column(frame, "integral") == "integral"
