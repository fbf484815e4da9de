"""Requirement: every role sees only what it needs (DESIGN: access tested as a matrix of
role × screen → allowed/denied). Screens of the later issues add their own matrices."""

import pytest
from django.urls import reverse

from maatpak.accounts.roles import Role
from tests.factories import ParticipantFactory, ProviderFactory, TeamFactory, UserFactory

ALLOWED, DENIED, NOT_FOUND = 200, 403, 404

# screen → {role: expected status}; roles not named are DENIED.
MATRIX = {
    "privacy:audit_log": {Role.PRIVACY_OFFICER: ALLOWED, Role.ADMIN: ALLOWED},
    "employers:list": {Role.JOB_COACH: ALLOWED, Role.CONSULTANT: ALLOWED},
    "surveys:council_feedback": {Role.COUNCIL_MEMBER: ALLOWED, Role.POLICY_OFFICER: ALLOWED},
    "portal:change_requests": {Role.TEAM_LEAD: ALLOWED},
    "portal:inbox": {Role.CONSULTANT: ALLOWED, Role.TEAM_LEAD: ALLOWED},
    # Participant pages answer 404 to everyone but the participant: nothing to find there.
    "portal:plan": {Role.PARTICIPANT: ALLOWED, **{r: NOT_FOUND for r in Role if r != Role.PARTICIPANT}},
    "portal:reports": {Role.PARTICIPANT: ALLOWED, **{r: NOT_FOUND for r in Role if r != Role.PARTICIPANT}},
}


def _user_for(role, municipality):
    team = TeamFactory(municipality=municipality) if role in (Role.TEAM_LEAD, Role.CONSULTANT) else None
    provider = ProviderFactory(municipality=municipality) if role == Role.PROVIDER_STAFF else None
    user = UserFactory(role=role, municipalities=[municipality], team=team, provider=provider)
    if role == Role.PARTICIPANT:
        ParticipantFactory(municipality=municipality, user=user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("screen", sorted(MATRIX))
@pytest.mark.parametrize("role", list(Role))
def test_role_screen_matrix(client, municipality, screen, role):
    client.force_login(_user_for(role, municipality))
    expected = MATRIX[screen].get(role, DENIED)
    assert client.get(reverse(screen)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("screen", sorted(MATRIX))
def test_anonymous_visitors_are_sent_to_a_login_page(client, screen):
    response = client.get(reverse(screen))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_django_admin_is_for_municipality_administrators_only(client, municipality, role):
    """Even with staff status, only the administrator role gets the (scoped) Django admin
    without being given Django permissions one by one; without staff status nobody does. The
    administrator gets accounts and reference data, never dossier content (issue 14)."""
    user = _user_for(role, municipality)
    client.force_login(user)
    reference = reverse("admin:accounts_team_changelist")
    dossier = reverse("admin:participants_participant_changelist")
    assert client.get(reference).status_code == 302  # no staff status: sent to the admin log-in
    user.is_staff = True
    user.save()
    assert client.get(reference).status_code == (ALLOWED if role == Role.ADMIN else DENIED)
    assert client.get(dossier).status_code == DENIED
