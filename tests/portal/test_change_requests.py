"""Requirement (issue 5.4): a request for another consultant must be answered. The team lead
sees open requests first, the longest-waiting on top, with how long each has waited and how
many wait; a request of a participant without a consultant reaches the municipality's team
leads instead of nobody.

Issue 14.7: one open request per participant, enforced by the database, and a second answer to
an answered request is refused with a clear message, never written over the first. (The same
with two simultaneous threads on PostgreSQL: test_change_request_concurrency.py.)"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
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
        consultant_change_answer(actor=elsewhere, request=request, status="refused", answer="nee", expected_version=request.version)
    client.force_login(team_lead)
    assert "Ik heb niemand." in client.get(reverse("portal:change_requests")).content.decode()
    response = client.post(
        reverse("portal:change_request_answer", args=[request.pk]),
        {"status": "granted", "new_consultant": team_consultant.pk, "answer": "Kim wordt uw klantmanager.", "version": request.version},
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


# --- one open request, versioned answers (issue 14.7) -------------------------------------------


@pytest.mark.django_db
def test_the_database_holds_one_open_request_per_participant(me):
    consultant_change_request(actor=me.user, participant=me)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultantChangeRequest.objects.create(municipality=me.municipality, participant=me, status="open")
    # Answered requests do not count: a participant may ask again after an answer.
    ConsultantChangeRequest.objects.filter(participant=me).update(status="refused")
    ConsultantChangeRequest.objects.create(municipality=me.municipality, participant=me, status="open")
    assert ConsultantChangeRequest.objects.filter(participant=me).count() == 2


@pytest.mark.django_db
def test_asking_twice_gives_the_dutch_message_and_stores_one_request(client, me):
    first = consultant_change_request(actor=me.user, participant=me, reason="Het klikt niet.")
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        consultant_change_request(actor=me.user, participant=me, reason="Nog een keer.")
    assert refused.value.code == "already_open"
    assert refused.value.messages == [
        f"U heeft op {timezone.localdate():%d-%m-%Y} al gevraagd om een andere klantmanager. De teamleider beantwoordt eerst dat verzoek."
    ]
    assert list(ConsultantChangeRequest.objects.filter(participant=me)) == [first]
    assert AuditEvent.objects.count() == audit_before  # the refused insert left no audit row behind
    client.force_login(me.user)
    response = client.post(reverse("portal:say_change"), {"change-reason": "Via de website."})
    assert response.status_code == 200
    assert "al gevraagd om een andere klantmanager" in response.content.decode()
    assert ConsultantChangeRequest.objects.filter(participant=me).count() == 1


def _answer(client, request, version, *, status="refused", answer="Nee, want ...", new_consultant=""):
    return client.post(
        reverse("portal:change_request_answer", args=[request.pk]),
        {"status": status, "answer": answer, "new_consultant": new_consultant, "version": version},
    )


@pytest.mark.django_db
def test_a_second_answer_is_refused_and_the_first_stays(client, me, team_lead, team_consultant, municipality, team):
    """Two team leads open the same request (both see version 1); the first answers. The second
    answer is refused with who answered and when, and nothing of it is saved."""
    request = consultant_change_request(actor=me.user, participant=me)
    colleague = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team, first_name="Ria", last_name="Bos")
    other = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team)
    client.force_login(colleague)
    seen_version = int(
        client.get(reverse("portal:change_request_answer", args=[request.pk]))
        .content.decode()
        .split('name="version" value="')[1]
        .split('"')[0]
    )
    assert seen_version == request.version == 1
    assert (
        _answer(client, request, seen_version, status="granted", answer="U krijgt een ander.", new_consultant=other.pk).status_code == 302
    )
    client.force_login(team_lead)
    response = _answer(client, request, seen_version, answer="Nee.")
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        f"Dit verzoek is al beantwoord door Ria Bos op {timezone.localdate():%d-%m-%Y} (toegekend). Uw antwoord is niet opgeslagen."
        in content
    )
    assert "U krijgt een ander." in content and 'name="answer"' not in content  # the answer shown, no form
    request.refresh_from_db()
    me.refresh_from_db()
    assert (request.status, request.answer, request.answered_by, request.version) == ("granted", "U krijgt een ander.", colleague, 2)
    assert me.consultant == other


@pytest.mark.django_db
def test_an_answer_based_on_an_old_version_is_refused_as_a_stale_edit(client, me, team_lead):
    request = consultant_change_request(actor=me.user, participant=me)
    ConsultantChangeRequest.objects.filter(pk=request.pk).update(version=2)  # changed meanwhile, still open
    client.force_login(team_lead)
    for version in (1, "abc", "²", ""):
        response = _answer(client, request, version)
        assert response.status_code == 200
        assert "Iemand anders heeft" in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.answer, request.version) == ("open", "", 2)
    assert _answer(client, request, 2).status_code == 302


@pytest.mark.django_db
def test_the_service_refuses_a_stale_answer_and_leaves_the_consultant(me, team_lead, municipality, team):
    request = consultant_change_request(actor=me.user, participant=me)
    other = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team)
    stale_copy = ConsultantChangeRequest.objects.get(pk=request.pk)
    consultant_change_answer(actor=team_lead, request=request, status="refused", answer="Nee.", expected_version=1)
    with pytest.raises(ValidationError) as refused:
        consultant_change_answer(
            actor=team_lead, request=stale_copy, status="granted", answer="Toch wel.", new_consultant=other, expected_version=1
        )
    assert refused.value.code == "answered"
    assert stale_copy.status == "refused" and stale_copy.answer == "Nee."  # the copy now shows what is stored
    me.refresh_from_db()
    assert me.consultant != other
