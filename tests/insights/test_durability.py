"""Issue 13: the analyses count only what a person recorded. Durability at 6, 12 and 24 months
reads the follow-up checks (docs/methods.md, "Durability"), on placements and checks entered
only through the services; a sanction counts only when imposed; goal outcomes read the statuses
the consultant confirmed, partly reached counting as improvement."""

import datetime as dt
import math

import pytest
from dateutil.relativedelta import relativedelta

from maatpak.accounts.roles import Role
from maatpak.employers.models import PlacementEndReason, PlacementKind
from maatpak.employers.selectors import placement_lasted
from maatpak.employers.services import follow_up_record, placement_end, placement_record
from maatpak.insights.analysis.dataset import build_dataset
from maatpak.insights.monitoring import _durability
from maatpak.trajectories.goals import goal_status_confirm
from maatpak.trajectories.models import Goal, GoalStatus, PlanVersion, SanctionStatus
from tests.factories import EmployerFactory, ParticipantFactory, SanctionFactory, TeamFactory, TrajectoryFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
D = dt.date


def ago(months, days=0):
    return TODAY - relativedelta(months=months) - dt.timedelta(days=days)


# --- the rule itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "checks", "months", "expected"),
    [
        (D(2025, 4, 1), [], 6, False),  # ended after 3 months: a known failure
        (D(2025, 8, 1), [], 6, True),  # ended after the moment
        (None, [], 6, True),  # no checks at all (imported history): running counts, as before
        (None, [(None, None)], 6, None),  # the check is due but not recorded: unknown, never a failure
        (None, [(D(2025, 7, 5), True)], 6, True),  # a check on or after the moment found them working
        (None, [(D(2025, 4, 1), True), (None, None)], 6, None),  # an earlier check says nothing about the moment
        (None, [(D(2025, 5, 1), False)], 6, False),  # a check that found them no longer working ends it
        (None, [(D(2025, 7, 5), True)], 12, None),  # 12 months: the check is due, not recorded
        (None, [(D(2025, 7, 5), True)], 24, None),  # 24 months: still to come (censored)
    ],
)
def test_the_durability_rule(end, checks, months, expected):
    assert placement_lasted(start_date=D(2025, 1, 1), end_date=end, checks=checks, months=months, today=D(2026, 3, 1)) is expected


def test_an_end_after_today_is_not_known_yet():
    assert placement_lasted(start_date=D(2025, 1, 1), end_date=D(2025, 12, 1), checks=[], months=12, today=D(2025, 11, 1)) is None


# --- on data entered through the services -------------------------------------------------------


@pytest.fixture
def km(municipality):
    return UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=TeamFactory(municipality=municipality))


@pytest.fixture
def recorded(municipality, km):
    """Four paid jobs, recorded and followed up only through the services."""
    employer = EmployerFactory(municipality=municipality)

    def placement(start, **extra):
        person = ParticipantFactory(municipality=municipality, consultant=km)
        return placement_record(actor=km, participant=person, kind=PlacementKind.REGULAR, employer=employer, start_date=start, **extra)

    def checked(p, months, working=True, **extra):
        follow_up_record(actor=km, follow_up=p.follow_ups.get(months=months), checked_on=TODAY, still_working=working, **extra)
        p.refresh_from_db()

    # Working at 6 and at 12 months, as the checks say; the 24-month moment is still to come.
    steady = placement(ago(13))
    checked(steady, 6)
    checked(steady, 12)
    # Left after 2 months: the 3-month check found them no longer working and ended it.
    left = placement(ago(8))
    checked(left, 3, working=False, ended_on=ago(6), end_reason=PlacementEndReason.RESIGNED)
    # 7 months in, the 6-month check not recorded yet: unknown, never a failure.
    unchecked = placement(ago(7))
    # Ended with a reason after 7 months: lasted 6, not 12.
    ended = placement(ago(14))
    placement_end(actor=km, placement=ended, end_date=ago(7), end_reason=PlacementEndReason.CONTRACT_ENDED)
    ended.refresh_from_db()
    # 3 months old: censored at every moment.
    young = placement(ago(3))
    return {"steady": steady, "left": left, "unchecked": unchecked, "ended": ended, "young": young}


def _lasted(p, months):
    return placement_lasted(
        start_date=p.start_date,
        end_date=p.end_date,
        checks=[(c.checked_on, c.still_working) for c in p.follow_ups.all()],
        months=months,
        today=TODAY,
    )


def test_durability_per_placement_from_recorded_checks(recorded):
    assert {name: (_lasted(p, 6), _lasted(p, 12), _lasted(p, 24)) for name, p in recorded.items()} == {
        "steady": (True, True, None),
        "left": (False, False, False),
        "unchecked": (None, None, None),
        "ended": (True, False, False),
        "young": (None, None, None),
    }


def test_contract_monitoring_durability_reads_the_checks(recorded):
    placements = list(recorded.values())
    assert _durability(placements, 6, TODAY) == "2/3"
    assert _durability(placements, 12, TODAY) == "1/3"
    assert _durability(placements, 24, TODAY) == "0/2"


def test_what_works_durable_work_reads_the_checks(recorded, municipality):
    def trajectory_of(p, months_before):
        return TrajectoryFactory(participant=p.participant, status="active", started_on=p.start_date - relativedelta(months=months_before))

    rows = {name: trajectory_of(p, 1).pk for name, p in recorded.items()}
    frame = build_dataset(municipality_ids=[municipality.id], today=TODAY).set_index("trajectory_id")
    durable = {name: frame.loc[pk, "durable_work"] for name, pk in rows.items()}
    assert durable["steady"] == 1.0 and durable["ended"] == 1.0
    assert math.isnan(durable["unchecked"])  # the check is due: unknown, not a failure
    assert math.isnan(durable["young"]) and math.isnan(durable["left"])  # follow-up shorter than 30 months


# --- a sanction counts only when imposed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "counted"),
    [
        (SanctionStatus.PROPOSED, 0.0),
        (SanctionStatus.HEARD, 0.0),
        (SanctionStatus.WITHDRAWN, 0.0),
        (SanctionStatus.REVOKED, 0.0),
        (SanctionStatus.IMPOSED, 1.0),
    ],
)
def test_a_sanction_counts_in_the_analyses_only_when_imposed(municipality, status, counted):
    sanction = SanctionFactory(
        agreement__plan__trajectory__participant__municipality=municipality, status=status, municipality=municipality
    )
    trajectory = sanction.trajectory
    trajectory.started_on, trajectory.status = D(2025, 1, 1), "active"
    trajectory.save()
    frame = build_dataset(municipality_ids=[municipality.id], today=D(2026, 1, 1))
    assert frame.set_index("trajectory_id").loc[trajectory.pk, "sanction"] == counted


# --- goal outcomes read the confirmed statuses ----------------------------------------------------


def test_goal_outcomes_read_the_confirmed_statuses_partly_counting_as_improvement(municipality, km):
    def trajectory_with_goals(*statuses):
        person = ParticipantFactory(municipality=municipality, consultant=km)
        trajectory = TrajectoryFactory(participant=person, consultant=km, status="active", started_on=ago(6))
        plan = PlanVersion.objects.create(
            municipality=municipality,
            trajectory=trajectory,
            number=1,
            end_goal_kind="regular_work",
            end_goal="Werk",
            planned_start=ago(6),
            planned_end=TODAY,
            created_by=km,
        )
        for kind, status in statuses:
            goal = Goal.objects.create(municipality=municipality, plan=plan, kind=kind, description="d", measure="m", target_date=TODAY)
            goal_status_confirm(actor=km, goal=goal, status=status, status_on=ago(1))
        return trajectory.pk

    reached = trajectory_with_goals(("health", GoalStatus.REACHED), ("finances", GoalStatus.NOT_REACHED))
    partly = trajectory_with_goals(("health", GoalStatus.PARTLY_REACHED), ("finances", GoalStatus.OPEN))
    none = trajectory_with_goals(("health", GoalStatus.NOT_REACHED), ("finances", GoalStatus.NOT_REACHED))
    still_open = trajectory_with_goals(("health", GoalStatus.OPEN), ("finances", GoalStatus.NOT_REACHED))
    frame = build_dataset(municipality_ids=[municipality.id], today=TODAY).set_index("trajectory_id")
    assert frame.loc[reached, ["goal_improved", "goal_health", "goal_finances"]].tolist() == [1.0, 1.0, 0.0]
    assert frame.loc[partly, ["goal_improved", "goal_health"]].tolist() == [1.0, 0.0]  # partly: improved, not reached
    assert math.isnan(frame.loc[partly, "goal_finances"])  # still open: unknown
    assert frame.loc[none, "goal_improved"] == 0.0
    assert math.isnan(frame.loc[still_open, "goal_improved"])
    # "About half improved on at least one intermediate goal" (seed 003): the share among the known.
    known = frame["goal_improved"].dropna()
    assert known.mean() == pytest.approx(2 / 3)
