import pytest

from maatpak.accounts.roles import Role
from tests.factories import ParticipantFactory, TeamFactory, UserFactory


@pytest.fixture
def team(municipality):
    return TeamFactory(municipality=municipality, name="Team Noord")


@pytest.fixture
def team_lead(municipality, team):
    return UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team, username="tl")


@pytest.fixture
def team_consultant(municipality, team):
    return UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team, username="km1", first_name="Kim")


def make_participant_with_login(municipality, consultant, username):
    user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username=username)
    participant = ParticipantFactory(municipality=municipality, consultant=consultant, user=user)
    return participant


@pytest.fixture
def me(municipality, team_consultant):
    return make_participant_with_login(municipality, team_consultant, "sam")


@pytest.fixture
def someone_else(municipality, team_consultant):
    return make_participant_with_login(municipality, team_consultant, "alex")
