"""Audit of issue 4 (monitoring correctness), against hand-computed values: declined referrals
count only in their own period; missing end reports include open referrals past their planned
end and referrals ended because the trajectory closed (not the never-accepted ones); durability
counts a placement that already ended as a known failure; an in-house team's cost is the cost
recorded in the plan."""

import datetime as dt

import pytest

from maatpak.employers.models import Placement
from maatpak.insights.monitoring import _durability, contract_monitoring
from maatpak.trajectories import referrals as services
from maatpak.trajectories.models import EndReport, PlannedInstrument, PlanVersion, Referral, Trajectory
from tests.factories import ContractFactory, InstrumentFactory, ParticipantFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
PLANNED_END = D(2027, 6, 30)


@pytest.fixture
def world(municipality, consultant):
    officer = UserFactory(role="policy_officer", municipalities=[municipality])
    contract = ContractFactory(
        provider__municipality=municipality,
        provider__name="Werkfit",
        reference="C-W",
        price_per_trajectory_cents=200_000,
        placement_target_percent=30,
        bonus_per_placement_cents=0,
        malus_per_placement_cents=10_000,
        end_report_due_days=14,
    )
    werkfit = contract.provider

    def referral(*, status, proposed, planned_end=PLANNED_END, **dates):
        p = ParticipantFactory(municipality=municipality, consultant=consultant)
        t = Trajectory.objects.create(municipality=municipality, participant=p, consultant=consultant, status="active")
        PlanVersion.objects.create(
            municipality=municipality,
            trajectory=t,
            number=1,
            end_goal_kind="regular_work",
            end_goal="Werk",
            planned_start=proposed,
            planned_end=planned_end,
            created_by=consultant,
        )
        return Referral.objects.create(
            municipality=municipality, trajectory=t, provider=werkfit, contract=contract, status=status, proposed_on=proposed, **dates
        )

    rows = {
        # Declined in 2025: before the fix it counted in every later period (no end date).
        "declined_2025": referral(status="declined", proposed=D(2025, 11, 1), responded_on=D(2025, 11, 5), decline_reason="Vol"),
        "declined_2026": referral(status="declined", proposed=D(2026, 2, 1), responded_on=D(2026, 2, 3), decline_reason="Vol"),
        "proposed": referral(status="proposed", proposed=D(2026, 2, 10)),
        "running": referral(
            status="active", proposed=D(2026, 1, 2), responded_on=D(2026, 1, 3), intake_on=D(2026, 1, 5), started_on=D(2026, 1, 10)
        ),
        "past_plan_end": referral(
            status="active",
            proposed=D(2026, 1, 2),
            responded_on=D(2026, 1, 3),
            intake_on=D(2026, 1, 5),
            started_on=D(2026, 1, 10),
            planned_end=D(2026, 5, 1),
        ),
        "near_plan_end": referral(
            status="active",
            proposed=D(2026, 1, 2),
            responded_on=D(2026, 1, 3),
            intake_on=D(2026, 1, 5),
            started_on=D(2026, 1, 10),
            planned_end=D(2026, 6, 20),
        ),
    }
    # The consultant closes two trajectories while their referrals are open.
    services.referrals_close_with_trajectory(actor=consultant, trajectory=rows["proposed"].trajectory, closed_on=D(2026, 3, 1))
    services.referrals_close_with_trajectory(actor=consultant, trajectory=rows["running"].trajectory, closed_on=D(2026, 3, 15))
    return officer


def _werkfit(officer, start, end):
    return next(
        f for f in contract_monitoring(user=officer, period_start=start, period_end=end, today=end)["providers"] if f.provider == "Werkfit"
    )


def test_first_half_of_2026(world):
    f = _werkfit(world, D(2026, 1, 1), D(2026, 6, 30))
    # Referrals: declined_2026, proposed (ended 01-03), running (ended 15-03), past_plan_end,
    # near_plan_end = 5; declined_2025 is not in 2026. Active: the last two.
    assert (f.referrals, f.active) == (5, 2)
    # Ended: only "running" (accepted, ended with its trajectory); the never-accepted one is no
    # provider result. Target ceil(30 % × 1) = 1, none placed → malus € 100.
    assert (f.ended, f.placed, f.target_placements, f.bonus_malus_cents) == (1, 0, 1, -10_000)
    # Missing end reports on 30-06: "running" (ended 15-03, due 29-03) and "past_plan_end"
    # (planned end 01-05, due 15-05). "near_plan_end" is due 04-07: not yet.
    assert f.missing_end_reports == 2
    # Cost: one ended referral × € 2.000 contract price.
    assert f.cost_cents == 200_000


def test_second_half_of_2026(world):
    f = _werkfit(world, D(2026, 7, 1), D(2026, 12, 31))
    # Only the two still running count: declined and ended ones belong to earlier periods.
    assert (f.referrals, f.active, f.ended) == (2, 2, 0)
    # Both are now past their planned end + 14 days without an end report.
    assert f.missing_end_reports == 2


def test_end_report_sent_after_closing_is_no_longer_missing(world, municipality):
    r = Referral.objects.get(status="ended", started_on__isnull=False)
    EndReport.objects.create(
        municipality=municipality,
        trajectory=r.trajectory,
        referral=r,
        submitted_on=D(2026, 3, 20),
        conclusion="x",
        outcome="none",
        author=UserFactory(municipalities=[municipality]),
    )
    assert _werkfit(world, D(2026, 1, 1), D(2026, 6, 30)).missing_end_reports == 1


def test_durability_known_failures_and_censoring():
    today = D(2026, 12, 31)
    placements = [
        Placement(start_date=D(2026, 4, 15), end_date=D(2026, 8, 15)),  # 4 months: fails 6 and 12
        Placement(start_date=D(2025, 9, 1), end_date=D(2026, 11, 1)),  # 14 months: passes both
        Placement(start_date=D(2026, 9, 1), end_date=D(2026, 10, 1)),  # 1 month, ended: known failure at 6 and 12
        Placement(start_date=D(2026, 10, 1), end_date=None),  # running, 3 months old: censored at both
        Placement(start_date=D(2026, 5, 1), end_date=D(2027, 3, 1)),  # planned end after today, 8 months old: lasted 6, censored at 12
    ]
    assert _durability(placements, 6, today) == "2/4"
    assert _durability(placements, 12, today) == "1/3"


def test_in_house_cost_is_the_recorded_instrument_cost(municipality, consultant):
    officer = UserFactory(role="policy_officer", municipalities=[municipality])
    team = ProviderFactory(municipality=municipality, name="Werkplein", kind="in_house")
    other = ProviderFactory(municipality=municipality, name="Schuldhulp")
    p = ParticipantFactory(municipality=municipality, consultant=consultant)
    t = Trajectory.objects.create(municipality=municipality, participant=p, consultant=consultant, status="active")
    instrument = InstrumentFactory(municipality=municipality)
    for number, costs in ((1, [(team, 1_000_000)]), (2, [(team, 150_000), (team, 50_000), (other, 99_900)])):
        plan = PlanVersion.objects.create(
            municipality=municipality,
            trajectory=t,
            number=number,
            end_goal_kind="regular_work",
            end_goal="Werk",
            planned_start=D(2026, 1, 1),
            planned_end=D(2026, 12, 31),
            agreed_on=D(2026, 1, number),
            created_by=consultant,
        )
        for provider, cents in costs:
            PlannedInstrument.objects.create(
                municipality=municipality,
                plan=plan,
                instrument=instrument,
                provider=provider,
                start_date=D(2026, 1, 1),
                end_date=D(2026, 6, 1),
                cost_cents=cents,
            )
    r = Referral.objects.create(
        municipality=municipality,
        trajectory=t,
        provider=team,
        status="ended",
        proposed_on=D(2026, 1, 5),
        responded_on=D(2026, 1, 6),
        started_on=D(2026, 1, 10),
        ended_on=D(2026, 5, 31),
    )
    EndReport.objects.create(
        municipality=municipality,
        trajectory=t,
        referral=r,
        submitted_on=D(2026, 5, 31),
        conclusion="x",
        outcome="regular_work",
        author=consultant,
    )
    Placement.objects.create(municipality=municipality, participant=p, kind="regular", start_date=D(2026, 6, 1))
    f = next(
        f
        for f in contract_monitoring(user=officer, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), today=D(2026, 12, 31))[
            "providers"
        ]
        if f.provider == "Werkplein"
    )
    # Current plan (version 2), Werkplein's own instruments: € 1.500 + € 500 = € 2.000; one placement.
    assert (f.ended, f.placed, f.cost_cents, f.cost_per_placement_cents) == (1, 1, 200_000, 200_000)


def test_a_revision_still_being_drafted_does_not_move_the_planned_end(world, municipality):
    """Monitoring reads the plan the provider works to: a draft revision that slows the plan down
    counts only once it is agreed."""
    trajectory = Referral.objects.get(status="active", trajectory__plan_versions__planned_end=D(2026, 5, 1)).trajectory
    first = trajectory.plan_versions.get()
    draft = PlanVersion.objects.create(
        municipality=municipality,
        trajectory=trajectory,
        number=2,
        change_reason="Tempo verlaagd",
        end_goal_kind="regular_work",
        end_goal="Werk",
        planned_start=first.planned_start,
        planned_end=D(2027, 6, 30),
        created_by=first.created_by,
    )
    assert _werkfit(world, D(2026, 1, 1), D(2026, 6, 30)).missing_end_reports == 2
    PlanVersion.objects.filter(pk=draft.pk).update(agreed_on=D(2026, 6, 1))
    assert _werkfit(world, D(2026, 1, 1), D(2026, 6, 30)).missing_end_reports == 1
