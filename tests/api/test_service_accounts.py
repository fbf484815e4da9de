"""An API key acts through a service account with a staff role; that account is a system, not
a person, so it is never offered as a participant's consultant."""

import pytest

from maatpak.accounts.roles import Role
from maatpak.casework.selectors import team_consultants
from maatpak.participants.intake import consultants_of
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_service_account_is_never_offered_as_a_consultant(keys, municipality):
    service_account = keys["a"]["api_key"].user
    person = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=service_account.team)
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=service_account.team)
    assert list(consultants_of([municipality])) == [person]
    assert list(team_consultants(user=lead)) == [person]
