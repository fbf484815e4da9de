"""Requirement (issue 5.4): a request for another consultant must be answered. The team lead
sees open requests first, the longest-waiting on top, with how long each has waited and how
many wait; a request of a participant without a consultant reaches the municipality's team
leads instead of nobody."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.participants.models import ConsultantAssignment
from maatpak.portal.models import ConsultantChangeRequest
from maatpak.portal.services import (
    change_request_list_for_team_lead,
    change_request_rows_for_team_lead,
    consultant_change_answer,
    consultant_change_request,
)
from tests.factories import TeamFactory, UserFactory
from tests.portal.conftest import make_participant_with_login


def _request(participant, *, days_ago, status="open"):
    request = consultant_change_request(actor=participant.user, participant=participant)
    ConsultantChangeRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago), status=status)
    return request


@pytest.mark.django_db
def test_open_requests_come_first_oldest_on_top(municipality, team_consultant, team_lead):
    people = [make_participant_with_login(municipality, team_consultant, f"p{i}") for i in range(4)]
    granted = _request(people[0], days_ago=1, status="granted")  # alphabetically before "open"
    recent = _request(people[1], days_ago=2)
    oldest = _request(people[2], days_ago=20)
    refused_old = _request(people[3], days_ago=30, status="refused")
    assert list(change_request_list_for_team_lead(user=team_lead)) == [oldest, recent, granted, refused_old]
    rows, open_count = change_request_rows_for_team_lead(user=team_lead)
    assert open_count == 2
    assert [r.waiting_days for r in rows] == [20, 2, None, None]


@pytest.mark.django_db
def test_the_list_page_shows_the_count_and_the_waiting_time(client, municipality, team_consultant, team_lead):
    _request(make_participant_with_login(municipality, team_consultant, "p1"), days_ago=12)
    client.force_login(team_lead)
    content = client.get(reverse("portal:change_requests")).content.decode()
    assert "1 wacht op uw antwoord" in content
    assert "12 dagen" in content


@pytest.mark.django_db
def test_request_without_a_consultant_reaches_every_team_lead_of_the_municipality(
    client, municipality, other_municipality, team_lead, team_consultant
):
    orphan = make_participant_with_login(municipality, None, "zonder")
    request = consultant_change_request(actor=orphan.user, participant=orphan, reason="Ik heb niemand.")
    assert request.consultant is None
    other_team_lead = UserFactory(
        role=Role.TEAM_LEAD, municipalities=[municipality], team=TeamFactory(municipality=municipality, name="Zuid")
    )
    elsewhere = UserFactory(
        role=Role.TEAM_LEAD, municipalities=[other_municipality], team=TeamFactory(municipality=other_municipality, name="Elders")
    )
    assert request in change_request_list_for_team_lead(user=team_lead)
    assert request in change_request_list_for_team_lead(user=other_team_lead)
    assert request not in change_request_list_for_team_lead(user=elsewhere)
    with pytest.raises(PermissionDenied):
        consultant_change_answer(actor=elsewhere, request=request, status="refused", answer="nee")
    client.force_login(team_lead)
    assert "Ik heb niemand." in client.get(reverse("portal:change_requests")).content.decode()
    response = client.post(
        reverse("portal:change_request_answer", args=[request.pk]),
        {"status": "granted", "new_consultant": team_consultant.pk, "answer": "Kim wordt uw klantmanager."},
    )
    assert response.status_code == 302
    orphan.refresh_from_db()
    request.refresh_from_db()
    assert orphan.consultant == team_consultant and request.status == "granted"
    assert ConsultantAssignment.objects.get(participant=orphan, end_date__isnull=True).consultant == team_consultant


@pytest.mark.django_db
def test_the_team_leads_start_page_says_how_many_requests_wait(client, municipality, team_consultant, team_lead):
    people = [make_participant_with_login(municipality, team_consultant, f"s{i}") for i in range(3)]
    _request(people[0], days_ago=3)
    _request(people[1], days_ago=1)
    _request(people[2], days_ago=5, status="refused")
    client.force_login(team_lead)
    content = client.get(reverse("home")).content.decode()
    assert "2 verzoeken wachten op uw antwoord." in content
