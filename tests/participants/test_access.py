"""Requirement (issue 3, access): least privilege for dossiers, in one place
(`participants.access`). A consultant opens their own caseload and their team colleagues'
(cover), a team lead their team's; every other role, another team and another municipality
get the same 404 as a dossier that does not exist."""

import pytest
from django.http import Http404

from maatpak.accounts.roles import Role
from maatpak.participants.policies import dossier_policy
from tests.factories import MunicipalityFactory, ParticipantFactory, ProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(municipality, team, kim, lead):
    colleague = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team, username="collega")
    other_team = TeamFactory(municipality=municipality, name="Team Zuid")
    stranger = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=other_team, username="zuid")
    elsewhere = MunicipalityFactory()
    far = UserFactory(role=Role.CONSULTANT, municipalities=[elsewhere], username="ver")
    return {
        "own": ParticipantFactory(municipality=municipality, consultant=kim),
        "colleague": ParticipantFactory(municipality=municipality, consultant=colleague),
        "other_team": ParticipantFactory(municipality=municipality, consultant=stranger),
        "unassigned": ParticipantFactory(municipality=municipality, consultant=None),
        "other_municipality": ParticipantFactory(municipality=elsewhere, consultant=far),
    }


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("kim", {"own", "colleague"}),
        ("lead", {"own", "colleague"}),
    ],
)
def test_consultant_and_team_lead_see_their_team_only(world, kim, lead, who, allowed):
    user = {"kim": kim, "lead": lead}[who]
    visible = {name for name, p in world.items() if dossier_policy.instances_for(user, "view").filter(pk=p.pk).exists()}
    assert visible == allowed
    for name, p in world.items():
        if name in allowed:
            assert dossier_policy.get(user, "view", p.pk) == p
        else:
            with pytest.raises(Http404):
                dossier_policy.get(user, "view", p.pk)


def test_consultant_without_team_sees_only_own(municipality, world):
    loner = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], username="alleen")
    mine = ParticipantFactory(municipality=municipality, consultant=loner)
    assert list(dossier_policy.instances_for(loner, "view")) == [mine]


@pytest.mark.parametrize("role", [r for r in Role.values if r not in (Role.CONSULTANT, Role.TEAM_LEAD)])
def test_every_other_role_sees_no_dossier(municipality, world, role):
    provider = ProviderFactory(municipality=municipality) if role == Role.PROVIDER_STAFF else None
    user = UserFactory(role=role, municipalities=[municipality], provider=provider)
    assert not dossier_policy.instances_for(user, "view").exists()
    with pytest.raises(Http404):
        dossier_policy.get(user, "view", world["own"].pk)


def test_nonsense_ids_are_404_too(kim):
    for pk in (999999, "abc", None):
        with pytest.raises(Http404):
            dossier_policy.get(kim, "view", pk)
