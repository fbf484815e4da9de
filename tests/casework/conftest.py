import pytest

from maatpak.accounts.roles import Role
from tests.factories import UserFactory
from tests.trajectories.conftest import active_trajectory, instrument, km, person, team  # noqa: F401 (fixtures)


@pytest.fixture
def lead(municipality, team):  # noqa: F811 (the imported fixture)
    return UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team, username="lead")
