import datetime as dt

import pytest

from maatpak.trajectories.models import Goal, PlannedInstrument, PlanVersion, Referral
from tests.factories import ContractFactory, InstrumentFactory, ParticipantFactory, TrajectoryFactory, UserFactory


@pytest.fixture
def case(municipality, consultant):
    """One participant with a plan (one intermediate goal, one instrument with the provider),
    a referral to that provider under a contract, and a coach of that provider."""
    contract = ContractFactory(
        provider__municipality=municipality,
        provider__name="Werkfit",
        reporting_interval_days=30,
        intake_due_days=10,
        end_report_due_days=14,
    )
    provider = contract.provider
    coach = UserFactory(role="provider_staff", municipalities=[municipality], provider=provider, username="coach")
    participant = ParticipantFactory(municipality=municipality, consultant=consultant, first_name="Ali", last_name="Yilmaz")
    trajectory = TrajectoryFactory(
        participant=participant, consultant=consultant, status="active", started_on=dt.date.today() - dt.timedelta(days=100)
    )
    plan = PlanVersion.objects.create(
        municipality=municipality,
        trajectory=trajectory,
        number=1,
        end_goal_kind="regular_work",
        end_goal="Werk in de groenvoorziening",
        planned_start=dt.date.today() - dt.timedelta(days=100),
        planned_end=dt.date.today() + dt.timedelta(days=200),
        created_by=consultant,
    )
    goal = Goal.objects.create(
        municipality=municipality,
        plan=plan,
        kind="daily_structure",
        description="Elke dag op tijd op",
        measure="4 weken geen verzuim",
        target_date=dt.date.today() + dt.timedelta(days=60),
    )
    instrument = PlannedInstrument.objects.create(
        municipality=municipality,
        plan=plan,
        instrument=InstrumentFactory(municipality=municipality),
        provider=provider,
        start_date=dt.date.today() - dt.timedelta(days=90),
        end_date=dt.date.today() + dt.timedelta(days=90),
    )
    referral = Referral.objects.create(
        municipality=municipality,
        trajectory=trajectory,
        provider=provider,
        contract=contract,
        proposed_on=dt.date.today() - dt.timedelta(days=40),
    )
    return {
        "coach": coach,
        "consultant": consultant,
        "participant": participant,
        "referral": referral,
        "goal": goal,
        "instrument": instrument,
        "provider": provider,
        "contract": contract,
    }
