"""Requirement (issue 3.4, 3.3): a plan is signed by both sides on its current version only, its
hand-over to the participant is recorded, a referral goes to a provider with that provider's
contract, and team leads open their team's plans while the admin cannot bypass the rules."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.trajectories import referrals, services
from maatpak.trajectories.models import Referral, Trajectory
from tests.casework.conftest import give_purpose
from tests.factories import ContractFactory, ProviderFactory, UserFactory
from tests.trajectories.conftest import complete_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    trajectory.refresh_from_db()
    return trajectory


def test_signing_rules(km, person, agreed):
    plan = agreed.latest_plan()
    with pytest.raises(ValidationError):  # only the participant signs in the portal
        services.plan_sign(actor=km, plan=plan, party="participant", method="portal", signed_on=dt.date.today(), signer_name="Sanne")
    with pytest.raises(ValidationError):  # no signing in the future
        services.plan_sign(
            actor=km, plan=plan, party="consultant", method="in_person", signed_on=dt.date.today() + dt.timedelta(days=1), signer_name="Kim"
        )
    with pytest.raises(PermissionDenied):  # a participant signs only for themselves
        services.plan_sign(
            actor=person.user, plan=plan, party="consultant", method="portal", signed_on=dt.date.today(), signer_name="Sanne"
        )
    services.plan_sign(actor=km, plan=plan, party="consultant", method="in_person", signed_on=dt.date.today(), signer_name="Kim")
    with pytest.raises(ValidationError):
        services.plan_sign(actor=km, plan=plan, party="consultant", method="in_person", signed_on=dt.date.today(), signer_name="Kim")
    agreed.refresh_from_db()
    new = services.plan_revise(actor=km, trajectory=agreed, reason="Andere startdatum", expected_version=agreed.version)
    with pytest.raises(ValidationError):  # version 1 is history now
        services.plan_sign(actor=km, plan=plan, party="participant", method="paper", signed_on=dt.date.today(), signer_name="Sanne")
    assert new.signatures.count() == 0


def test_handover_is_recorded_and_audited(km, agreed):
    plan = agreed.latest_plan()
    with pytest.raises(ValidationError):
        services.plan_handover_record(actor=km, plan=plan, channel="paper", handed_over_on=dt.date.today() + dt.timedelta(days=2))
    handover = services.plan_handover_record(actor=km, plan=plan, channel="mail", handed_over_on=dt.date.today())
    assert plan.handovers.get() == handover
    assert AuditEvent.objects.filter(actor=km, action="create", object_id=str(handover.pk), participant_id=agreed.participant_id).exists()


def test_referral_needs_a_contract_of_that_provider(km, municipality, agreed):
    provider, other = ProviderFactory(municipality=municipality), ProviderFactory(municipality=municipality)
    plan = agreed.latest_plan()
    services.plan_sign(actor=km, plan=plan, party="consultant", method="in_person", signed_on=dt.date.today(), signer_name="Kim")
    services.plan_sign(actor=km, plan=plan, party="participant", method="paper", signed_on=dt.date.today(), signer_name="Sanne")
    agreed.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        referrals.referral_propose(actor=km, trajectory=agreed, provider=provider, contract=ContractFactory(provider=other))
    assert "contract" in exc.value.message_dict
    referral = referrals.referral_propose(
        actor=km, trajectory=agreed, provider=provider, contract=ContractFactory(provider=provider), shared_information="Alleen het plan"
    )
    assert referral.status == "proposed" and Referral.objects.filter(trajectory=agreed).count() == 1


def test_team_lead_opens_the_plan_and_the_create_page_shows_the_previous_conclusion(client, municipality, team, km, person, agreed):
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team)
    client.force_login(lead)
    give_purpose(lead, person)  # break the glass: a team lead opens a dossier for a stated purpose
    assert client.get(reverse("trajectories:detail", args=[agreed.pk])).status_code == 200
    services.trajectory_close(
        actor=km,
        trajectory=agreed,
        conclusion="Sanne wil eerst haar taalniveau verbeteren",
        outcome="none",
        expected_version=agreed.version,
    )
    client.force_login(km)
    page = client.get(reverse("trajectories:create", args=[person.pk])).content.decode()
    assert "Sanne wil eerst haar taalniveau verbeteren" in page
    response = client.post(reverse("trajectories:create", args=[person.pk]), {"repeat_reason": ""})
    assert response.status_code == 400 and "Leg uit" in response.content.decode()
    assert Trajectory.objects.filter(participant=person).count() == 1


def test_admin_shows_but_cannot_change_dossier_data(rf, agreed):
    model_admin = admin.site._registry[Trajectory]
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert (
        not model_admin.has_change_permission(request, agreed)
        and not model_admin.has_add_permission(request)
        and not model_admin.has_delete_permission(request, agreed)
    )
