"""Requirement (issue 5, audit): a participant who changes ids in a URL never reaches another
participant's plan, PDF, trajectory, dossier, API data or report — every attempt is 404 (or
403), and nothing is recorded on the other person's file. Also: the identity-broker log-in
(DigiD seam) logs in exactly the participant the broker verified, and nobody else."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.portal.identity import login_verified_participant
from maatpak.trajectories.models import PlanHandover, PlanVersion
from tests.factories import MunicipalityFactory, UserFactory
from tests.portal.factories import plan_for, reports_for


def _second_version(plan):
    return PlanVersion.objects.create(
        municipality=plan.municipality,
        trajectory=plan.trajectory,
        number=2,
        end_goal_kind=plan.end_goal_kind,
        end_goal="Tweede versie van iemand anders",
        planned_start=plan.planned_start,
        planned_end=plan.planned_end,
        fallback_if_no_job=plan.fallback_if_no_job,
        created_by=plan.created_by,
    )


@pytest.fixture
def mine(me, team_consultant):
    trajectory, plan = plan_for(me, consultant=team_consultant)
    return trajectory, plan, reports_for(trajectory, author=team_consultant)


@pytest.fixture
def theirs(someone_else, team_consultant):
    trajectory, plan = plan_for(someone_else, consultant=team_consultant)
    second = _second_version(plan)
    return trajectory, second, reports_for(trajectory, author=team_consultant)


@pytest.mark.django_db
def test_plan_pdf_without_a_plan_is_a_404_not_a_crash(client, me):
    client.force_login(me.user)
    assert client.post(reverse("portal:plan_pdf", args=[1])).status_code == 404
    assert not PlanHandover.objects.exists()


@pytest.mark.django_db
def test_plan_pdf_of_a_version_only_the_other_participant_has_is_a_404(client, me, mine, theirs):
    client.force_login(me.user)
    assert client.post(reverse("portal:plan_pdf", args=[1])).status_code == 200  # my own
    assert client.post(reverse("portal:plan_pdf", args=[2])).status_code == 404  # exists, but theirs
    assert client.get(reverse("portal:plan_version", args=[2])).status_code == 404
    assert not PlanHandover.objects.filter(plan=theirs[1]).exists()


@pytest.mark.django_db
def test_participant_cannot_reach_staff_urls_of_another_participant(client, me, someone_else, mine, theirs):
    client.force_login(me.user)
    their_trajectory, their_plan, _reports = theirs
    refused = (403, 404)
    assert client.get(reverse("trajectories:pdf", args=[their_trajectory.pk, their_plan.number])).status_code in refused
    assert client.get(reverse("trajectories:pdf", args=[mine[0].pk, 1])).status_code in refused  # staff screens are not for participants
    assert client.get(reverse("participants:dossier", args=[someone_else.pk])).status_code in refused
    assert client.get(reverse("participants:dossier", args=[me.pk])).status_code in refused
    assert client.get(f"/api/v1/participants/{someone_else.pk}/dossier/").status_code in refused
    assert client.get("/api/v1/caseload/").status_code in refused
    response = client.post(
        f"/api/v1/participants/{someone_else.pk}/wishes/", {"kind": "wish", "text": "x"}, content_type="application/json"
    )
    assert response.status_code in refused and not someone_else.wishes.exists()


@pytest.mark.django_db
def test_report_pdf_of_another_participant_is_a_404(client, me, mine, theirs):
    client.force_login(me.user)
    their_progress, their_end = theirs[2]
    assert client.get(reverse("providers:report_pdf", args=["progress", their_progress.pk])).status_code == 404
    assert client.get(reverse("providers:report_pdf", args=["end", their_end.pk])).status_code == 404
    assert client.get(reverse("providers:report_detail", args=["end", their_end.pk])).status_code == 404
    my_progress, _my_end = mine[2]
    response = client.get(reverse("providers:report_pdf", args=["progress", my_progress.pk]))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


def _request_with_session():
    request = RequestFactory().get("/portal/oidc/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    return request


@pytest.mark.django_db
def test_login_verified_participant_logs_in_that_participant_and_audits_it(me, someone_else, municipality):
    request = _request_with_session()
    user = login_verified_participant(request, municipality_code=municipality.code, bsn=me.bsn)
    assert user == me.user and request.user == me.user
    assert request.session[SESSION_KEY] == str(me.user.pk)
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=me.user).latest("at")
    assert event.purpose == "portal login via identity broker"


@pytest.mark.django_db
def test_login_verified_participant_refuses_everyone_else(me, municipality, team_consultant):
    # The right BSN in another municipality.
    other = MunicipalityFactory(code="GM0001", name="Elders")
    with pytest.raises(PermissionDenied):
        login_verified_participant(_request_with_session(), municipality_code=other.code, bsn=me.bsn)
    # A switched-off account.
    me.user.is_active = False
    me.user.save(update_fields=["is_active"])
    request = _request_with_session()
    with pytest.raises(PermissionDenied):
        login_verified_participant(request, municipality_code=municipality.code, bsn=me.bsn)
    assert SESSION_KEY not in request.session
    # A BSN that fails the 11-test.
    with pytest.raises(ValidationError):
        login_verified_participant(_request_with_session(), municipality_code=municipality.code, bsn="123456780")
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=me.user).exists()


@pytest.mark.django_db
def test_login_verified_participant_refuses_a_staff_account_linked_to_a_participant(municipality, team_consultant):
    from tests.factories import ParticipantFactory

    staff = UserFactory(role="consultant", municipalities=[municipality], username="staff-linked")
    participant = ParticipantFactory(municipality=municipality, consultant=team_consultant, user=staff)
    request = _request_with_session()
    with pytest.raises(PermissionDenied):
        login_verified_participant(request, municipality_code=municipality.code, bsn=participant.bsn)
    assert SESSION_KEY not in request.session and not request.user.is_authenticated
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=staff).exists()
