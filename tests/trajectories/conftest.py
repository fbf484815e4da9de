import datetime as dt

import pytest

from maatpak.accounts.roles import Role
from maatpak.trajectories import services
from tests.factories import InstrumentFactory, ParticipantFactory, TeamFactory, UserFactory


@pytest.fixture
def team(municipality):
    return TeamFactory(municipality=municipality, name="Team Noord")


@pytest.fixture
def km(municipality, team):
    return UserFactory(
        role=Role.CONSULTANT, municipalities=[municipality], team=team, username="kim", first_name="Kim", last_name="de Vries"
    )


@pytest.fixture
def person(municipality, km):
    user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="sanne")
    return ParticipantFactory(municipality=municipality, consultant=km, user=user, first_name="Sanne")


@pytest.fixture
def instrument(municipality):
    return InstrumentFactory(municipality=municipality, code="SOLL", name="Sollicitatietraining", default_cost_cents=45000)


def complete_plan(actor, trajectory, instrument):
    """Fill a draft plan with everything plan_agree requires."""
    services.plan_save_draft(
        actor=actor,
        trajectory=trajectory,
        expected_version=trajectory.version,
        end_goal_kind="regular_work",
        end_goal="Werk in de groenvoorziening",
        planned_start=dt.date(2026, 1, 5),
        planned_end=dt.date(2026, 12, 31),
        fallback_if_no_job="Vrijwilligerswerk bij de kinderboerderij",
        situation="",
        education_plan="",
        mentor="",
    )
    trajectory.refresh_from_db()
    goal = services.goal_add(
        actor=actor,
        trajectory=trajectory,
        kind="daily_structure",
        description="Elke ochtend op tijd beginnen",
        measure="Vier weken op tijd",
        target_date=dt.date(2026, 3, 1),
    )
    services.idea_add(
        actor=actor,
        trajectory=trajectory,
        idea="Ik wil buiten werken, met mijn handen",
        supported=True,
        response="We zoeken een plek in de groenvoorziening.",
    )
    services.instrument_add(
        actor=actor,
        trajectory=trajectory,
        instrument=instrument,
        start_date=dt.date(2026, 1, 10),
        end_date=dt.date(2026, 3, 10),
        serves_goal=goal,
    )
    services.agreement_add(
        actor=actor,
        trajectory=trajectory,
        party="participant",
        description="Ik solliciteer twee keer per maand",
        deadline=dt.date(2026, 6, 1),
    )
    services.agreement_add(
        actor=actor,
        trajectory=trajectory,
        party="municipality",
        description="De gemeente regelt kinderopvang",
        deadline=dt.date(2026, 2, 1),
    )
    trajectory.refresh_from_db()
    return trajectory


@pytest.fixture
def active_trajectory(km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    plan = trajectory.latest_plan()
    services.plan_sign(
        actor=km, plan=plan, party="consultant", method="in_person", signed_on=dt.date(2026, 1, 5), signer_name="Kim de Vries"
    )
    services.plan_sign(actor=km, plan=plan, party="participant", method="paper", signed_on=dt.date(2026, 1, 5), signer_name="Sanne Jansen")
    trajectory.refresh_from_db()
    return trajectory
