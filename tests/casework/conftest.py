import pytest

from maatpak.accounts.roles import Role
from maatpak.casework.break_glass import dossier_open_with_purpose
from tests.factories import UserFactory
from tests.trajectories.conftest import active_trajectory, instrument, km, person, team  # noqa: F401 (fixtures)


@pytest.fixture
def lead(municipality, team):  # noqa: F811 (the imported fixture)
    return UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team, username="lead")


def give_purpose(user, participant, reason="team_lead_task", explanation="Controle door de teamleider"):
    """Break the glass for a test: `user` states a purpose for `participant`'s dossier (after
    logging in: a purpose holds within the log-in it was given in)."""
    return dossier_open_with_purpose(actor=user, participant=participant, reason=reason, explanation=explanation)
