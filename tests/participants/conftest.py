import datetime as dt

import pytest

from maatpak.accounts.roles import Role
from maatpak.participants.models import Contact, DomainAssessment, LadderAssessment, SolAssessment
from maatpak.trajectories.models import Agreement, PlanVersion, ProgressReport, Referral, Trajectory
from tests.factories import ContractFactory, LadderDefinitionFactory, ParticipantFactory, TeamFactory, UserFactory


@pytest.fixture
def team(municipality):
    return TeamFactory(municipality=municipality, name="Team Noord")


@pytest.fixture
def kim(municipality, team):
    return UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team, username="kim", first_name="Kim")


@pytest.fixture
def lead(municipality, team):
    return UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team, username="lead")


def populate(municipality, consultant, n, *, start=0):
    """n participants with the rows the caseload and dossier read (trajectory, referral,
    reports, assessments, contacts), so query counts can be compared across sizes."""
    contract = ContractFactory(provider__municipality=municipality, reporting_interval_days=30)
    ladder = LadderDefinitionFactory()
    people = []
    for i in range(n):
        p = ParticipantFactory(
            municipality=municipality, consultant=consultant, last_name=f"Persoon{start + i:03d}", registered_on=dt.date(2024, 1, 1)
        )
        t = Trajectory.objects.create(
            municipality=municipality, participant=p, consultant=consultant, status="active", started_on=dt.date(2025, 1, 1)
        )
        plan = PlanVersion.objects.create(
            municipality=municipality,
            trajectory=t,
            number=1,
            end_goal_kind="regular_work",
            end_goal="Werk",
            planned_start=dt.date(2025, 1, 1),
            planned_end=dt.date(2025, 12, 31),
            agreed_on=dt.date(2025, 1, 1),
            created_by=consultant,
        )
        Agreement.objects.create(
            municipality=municipality, plan=plan, party="municipality", description="Opvang", deadline=dt.date(2025, 3, 1)
        )
        r = Referral.objects.create(
            municipality=municipality,
            trajectory=t,
            provider=contract.provider,
            contract=contract,
            status="active",
            proposed_on=dt.date(2025, 1, 2),
            intake_on=dt.date(2025, 1, 10),
            started_on=dt.date(2025, 1, 15),
        )
        ProgressReport.objects.create(
            municipality=municipality,
            referral=r,
            due_on=dt.date(2025, 2, 14),
            submitted_on=dt.date(2025, 2, 20),
            activities="x",
            attendance="good",
            next_steps="y",
            author=consultant,
        )
        DomainAssessment.objects.create(
            municipality=municipality, participant=p, domain="health_mental", score=2, assessed_on=dt.date(2025, 1, 5), author=consultant
        )
        LadderAssessment.objects.create(
            municipality=municipality, participant=p, definition=ladder, rung=2, assessed_on=dt.date(2025, 1, 5), author=consultant
        )
        SolAssessment.objects.create(
            municipality=municipality, participant=p, group="B1", assessed_on=dt.date(2025, 1, 5), author=consultant
        )
        Contact.objects.create(municipality=municipality, participant=p, occurred_on=dt.date(2025, 2, 1), channel="phone", staff=consultant)
        people.append(p)
    return people
