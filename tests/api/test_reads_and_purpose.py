"""Requirement (issue 14.2, 14.3 on the API): every API read that shows a participant's data is
one audit row linked to that participant (lists: one per participant shown), and a dossier
outside the caller's own caseload opens only after a stated purpose, as on the pages."""

import pytest
from django.urls import reverse

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from tests.api.conftest import bearer
from tests.api.problems import problem
from tests.factories import (
    EndReportFactory,
    ParticipantFactory,
    PlanVersionFactory,
    ProgressReportFactory,
    ProviderFactory,
    ReferralFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _reads(actor, purpose):
    return AuditEvent.objects.filter(actor=actor, action="read", purpose=purpose)


def test_a_providers_referral_list_logs_one_read_per_participant(client, municipality):
    provider = ProviderFactory(municipality=municipality)
    coach = UserFactory(role=Role.PROVIDER_STAFF, municipalities=[municipality], provider=provider)
    referrals = [ReferralFactory(trajectory__participant__municipality=municipality, provider=provider) for _ in range(3)]
    client.force_login(coach)
    assert len(client.get(reverse("api:provider-referrals")).json()) == 3
    shown = sorted(_reads(coach, "provider api referral list").values_list("participant_id", flat=True))
    assert shown == sorted(r.trajectory.participant_id for r in referrals)
    client.get(reverse("api:provider-referral", args=[referrals[0].pk]))
    assert _reads(coach, "provider api referral").get().participant_id == referrals[0].trajectory.participant_id


def test_the_portal_api_links_plan_and_report_reads_to_the_participant(client, municipality):
    user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality])
    me = ParticipantFactory(municipality=municipality, user=user)
    trajectory = TrajectoryFactory(participant=me, status="active")
    PlanVersionFactory(trajectory=trajectory)
    report = ProgressReportFactory(referral__trajectory=trajectory)
    EndReportFactory(trajectory=trajectory)
    client.force_login(user)
    assert client.get(reverse("api:portal-my-plan")).status_code in (200, 204)
    client.get(reverse("api:portal-my-report", args=["progress", report.pk]))
    for event in AuditEvent.objects.filter(actor=user, action="read"):
        assert event.participant_id == me.pk, event.purpose


def test_a_colleagues_dossier_needs_a_purpose_first_and_then_opens(client, municipality):
    team = TeamFactory(municipality=municipality)
    colleague = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team)
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team)
    participant = ParticipantFactory(municipality=municipality, consultant=colleague)
    client.force_login(lead)
    url = reverse("api:participant-dossier", args=[participant.pk])
    refused = client.get(url)
    assert refused.status_code == 403 and problem(refused)["type"] == "urn:maatpak:problem:purpose-required"
    assert not AuditEvent.objects.filter(actor=lead, participant_id=participant.pk, purpose="api dossier").exists()
    purpose_url = reverse("api:participant-purpose", args=[participant.pk])
    assert client.post(purpose_url, {"reason": "team_lead_task"}, content_type="application/json").status_code == 400
    stated = client.post(
        purpose_url, {"reason": "team_lead_task", "explanation": "Klacht over de begeleiding"}, content_type="application/json"
    )
    assert stated.status_code == 201 and stated.json()["participant"] == participant.pk
    grant = AuditEvent.objects.get(actor=lead, participant_id=participant.pk, detail__break_glass=True)
    assert grant.detail["explanation"] == "Klacht over de begeleiding"
    assert client.get(url).status_code == 200


def test_an_own_participant_needs_no_purpose(client, keys):
    a = keys["a"]
    assert client.get(reverse("api:participant-dossier", args=[a["participant"].pk]), **bearer(a["key"])).status_code == 200
    response = client.post(
        reverse("api:participant-purpose", args=[a["participant"].pk]),
        {"reason": "other", "explanation": "x"},
        content_type="application/json",
        **bearer(a["key"]),
    )
    assert response.status_code == 400 and problem(response)["detail"]
    assert not AuditEvent.objects.filter(detail__break_glass=True).exists()
