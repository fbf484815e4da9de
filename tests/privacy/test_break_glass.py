"""Requirement (issue 14, item 3): break the glass. Opening a dossier outside one's own caseload
(a team colleague's participant, or any dossier for a team lead) asks for a purpose first; the
purpose is an audit event linked to the participant and marked {"break_glass": true}; it opens
that dossier for a limited time within the same log-in. The privacy officer sees these
accesses as a separate list, filtered by period and person, scoped like the audit log."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.casework.break_glass import dossier_open_with_purpose
from maatpak.participants.policies import break_glass_grants, purpose_needed
from tests.casework.conftest import give_purpose
from tests.factories import (
    MunicipalityFactory,
    ParticipantFactory,
    ProgressReportFactory,
    ProviderFactory,
    ReferralFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    municipality = MunicipalityFactory(code="GM0090")
    north, south = TeamFactory(municipality=municipality), TeamFactory(municipality=municipality)
    km = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=north, username="km")
    colleague = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=north, username="collega")
    south_km = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=south, username="zuid")
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=north, username="teamleider")
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipalities=[municipality], username="fg")
    own = ParticipantFactory(municipality=municipality, consultant=km, first_name="Eigen")
    covered = ParticipantFactory(municipality=municipality, consultant=colleague, first_name="Collega")
    other_team = ParticipantFactory(municipality=municipality, consultant=south_km, first_name="Zuid")
    return {
        "municipality": municipality,
        "km": km,
        "colleague": colleague,
        "lead": lead,
        "officer": officer,
        "own": own,
        "covered": covered,
        "other_team": other_team,
        "trajectory": TrajectoryFactory(participant=covered, consultant=colleague, status="active"),
    }


def _dossier(p):
    return reverse("participants:dossier", args=[p.pk])


def _purpose_url(p):
    return reverse("participants:purpose", args=[p.pk])


def _grants(user):
    return AuditEvent.objects.filter(actor=user, detail__break_glass=True)


def test_own_caseload_opens_without_a_purpose(client, world):
    client.force_login(world["km"])
    assert client.get(_dossier(world["own"])).status_code == 200
    # The purpose page lets them straight through.
    response = client.get(_purpose_url(world["own"]))
    assert response.status_code == 302 and response["Location"] == _dossier(world["own"])
    assert not _grants(world["km"]).exists()
    with pytest.raises(ValidationError):
        dossier_open_with_purpose(actor=world["km"], participant=world["own"], reason="other", explanation="x")


def test_a_colleagues_dossier_asks_for_a_purpose_then_opens(client, world):
    km, covered = world["km"], world["covered"]
    client.force_login(km)
    response = client.get(_dossier(covered))
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == _purpose_url(covered) and parse_qs(location.query)["next"] == [_dossier(covered)]
    page = client.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200 and "Waarom opent u dit dossier?" in content and "Vervanging van een collega" in content
    # Without a reason and an explanation: refused in Dutch, nothing opens.
    refused = client.post(_purpose_url(covered), {"next": _dossier(covered)})
    content = refused.content.decode()
    assert refused.status_code == 400 and "Kies waarom u dit dossier opent." in content
    assert "Schrijf in een paar woorden op waarom u dit dossier nodig hebt." in content
    assert not _grants(km).exists() and client.get(_dossier(covered)).status_code == 302
    # With them: the purpose is written in the audit log, linked to the participant.
    given = client.post(
        _purpose_url(covered), {"next": _dossier(covered), "reason": "covering_colleague", "explanation": "Collega is ziek, ik neem waar."}
    )
    assert given.status_code == 302 and given["Location"] == _dossier(covered)
    grant = _grants(km).get()
    assert grant.participant_id == covered.pk and grant.action == "read" and grant.purpose == "break the glass: covering_colleague"
    assert grant.detail == {
        "break_glass": True,
        "reason": "covering_colleague",
        "explanation": "Collega is ziek, ik neem waar.",
        "hours": 8,
    }
    # Now the dossier and its trajectory open, and are logged as usual; another one does not.
    assert client.get(_dossier(covered)).status_code == 200
    assert client.get(reverse("trajectories:detail", args=[world["trajectory"].pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=km, participant_id=covered.pk, purpose="integral dossier").count() == 1
    other = ParticipantFactory(municipality=world["municipality"], consultant=world["colleague"])
    assert client.get(_dossier(other)).status_code == 302


def test_a_dossier_outside_every_relation_stays_the_same_404(client, world):
    client.force_login(world["km"])
    missing = reverse("participants:purpose", args=[world["other_team"].pk + 1000])
    for url in (_dossier(world["other_team"]), _purpose_url(world["other_team"]), missing):
        assert client.get(url).status_code == 404
    assert client.post(_purpose_url(world["other_team"]), {"reason": "other", "explanation": "x"}).status_code == 404
    with pytest.raises(Http404):
        dossier_open_with_purpose(actor=world["km"], participant=world["other_team"], reason="other", explanation="x")
    assert not _grants(world["km"]).exists()


def test_a_team_lead_needs_a_purpose_for_any_dossier_but_not_for_the_team_pages(client, world):
    lead = world["lead"]
    client.force_login(lead)
    assert client.get(reverse("participants:team")).status_code == 200
    assert client.get(reverse("participants:caseload")).status_code == 200
    assert client.get(reverse("portal:change_requests")).status_code == 200
    for p in (world["own"], world["covered"]):
        assert urlparse(client.get(_dossier(p))["Location"]).path == _purpose_url(p)
    give_purpose(lead, world["own"])
    assert client.get(_dossier(world["own"])).status_code == 200
    assert client.get(_dossier(world["covered"])).status_code == 302


def test_forms_sent_without_a_purpose_save_nothing_and_go_to_the_question(client, world):
    covered = world["covered"]
    client.force_login(world["km"])
    url = reverse("participants:dossier_section", args=[covered.pk, "wishes"])
    response = client.post(url, {"wishes-kind": "wish", "wishes-text": "Buiten werken"})
    assert response.status_code == 302 and urlparse(response["Location"]).path == _purpose_url(covered)
    # htmx follows a whole-page redirect to the question.
    response = client.post(url, {"wishes-kind": "wish", "wishes-text": "Buiten werken"}, HTTP_HX_REQUEST="true")
    assert urlparse(response["HX-Redirect"]).path == _purpose_url(covered)
    plan_form = client.post(reverse("trajectories:action", args=[world["trajectory"].pk, "goal"]), {})
    assert parse_qs(urlparse(plan_form["Location"]).query)["next"] == [reverse("trajectories:detail", args=[world["trajectory"].pk])]
    assert not covered.wishes.exists()


def test_a_purpose_holds_for_the_set_hours_and_the_current_log_in_only(client, world, settings):
    km, covered = world["km"], world["covered"]
    client.force_login(km)
    give_purpose(km, covered, reason="participant_question", explanation="Zij belde over haar uitkering.")
    assert not purpose_needed(km, covered)
    assert break_glass_grants(km, now=timezone.now() + dt.timedelta(hours=7, minutes=59)).exists()
    assert not break_glass_grants(km, now=timezone.now() + dt.timedelta(hours=8, minutes=1)).exists()
    settings.MAATPAK_BREAK_GLASS_HOURS = 10
    assert break_glass_grants(km, now=timezone.now() + dt.timedelta(hours=9)).exists()
    # A new log-in closes it: the purpose must be given again.
    client.logout()
    client.force_login(km)
    km.refresh_from_db()
    assert purpose_needed(km, covered)
    assert client.get(_dossier(covered)).status_code == 302


def test_the_purpose_page_never_sends_anyone_elsewhere(client, world):
    covered = world["covered"]
    client.force_login(world["km"])
    response = client.post(
        _purpose_url(covered), {"next": "https://evil.example/", "reason": "team_consultation", "explanation": "Casusoverleg dinsdag"}
    )
    assert response["Location"] == _dossier(covered)


def test_the_explanation_is_limited_and_refused_in_dutch(client, world):
    client.force_login(world["km"])
    response = client.post(_purpose_url(world["covered"]), {"reason": "other", "explanation": "x" * 301})
    assert response.status_code == 400 and "300" in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        dossier_open_with_purpose(actor=world["km"], participant=world["covered"], reason="curiosity", explanation="zomaar")
    assert "reason" in exc.value.message_dict
    assert not _grants(world["km"]).exists()


def test_provider_staff_and_participants_are_not_asked(client, world):
    provider = ProviderFactory(municipality=world["municipality"])
    coach = UserFactory(role=Role.PROVIDER_STAFF, municipalities=[world["municipality"]], provider=provider)
    referral = ReferralFactory(trajectory=world["trajectory"], provider=provider)
    report = ProgressReportFactory(referral=referral, author=coach)
    client.force_login(coach)
    assert client.get(reverse("providers:referral", args=[referral.pk])).status_code == 200
    assert client.get(reverse("providers:report_detail", args=["progress", report.pk])).status_code == 200
    assert not purpose_needed(coach, world["covered"])
    participant_login = UserFactory(role=Role.PARTICIPANT, municipalities=[world["municipality"]])
    world["covered"].user = participant_login
    world["covered"].save()
    assert not purpose_needed(participant_login, world["covered"])
    # The consultant reading the same report of a colleague's participant is asked first.
    client.force_login(world["km"])
    response = client.get(reverse("providers:report_detail", args=["progress", report.pk]))
    assert urlparse(response["Location"]).path == _purpose_url(world["covered"])


# --- the privacy officer's list -------------------------------------------------------------------


def test_the_privacy_officer_sees_the_accesses_with_their_purpose(client, world):
    client.force_login(world["km"])
    give_purpose(world["km"], world["covered"], reason="covering_colleague", explanation="Ik neem waar voor Bas.")
    client.force_login(world["lead"])
    give_purpose(world["lead"], world["own"], reason="team_lead_task", explanation="Klacht van de deelnemer.")
    # Another municipality's accesses never show.
    elsewhere = MunicipalityFactory(code="GM0687")
    b_lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[elsewhere], team=TeamFactory(municipality=elsewhere), username="b-lead")
    b_km = UserFactory(role=Role.CONSULTANT, municipalities=[elsewhere], team=b_lead.team)
    give_purpose(b_lead, ParticipantFactory(municipality=elsewhere, consultant=b_km), explanation="Elders bekeken")
    client.force_login(world["officer"])
    log = client.get(reverse("privacy:audit_log")).content.decode()
    assert reverse("privacy:break_glass") in log
    response = client.get(reverse("privacy:break_glass"))
    content = response.content.decode()
    assert response.status_code == 200 and "2 toegangen met een reden" in content
    assert "Ik neem waar voor Bas." in content and "Klacht van de deelnemer." in content and "Elders bekeken" not in content
    assert "Vervanging van een collega" in content and world["covered"].reference in content and "Teamleider" in content
    # By person, and by period.
    content = client.get(reverse("privacy:break_glass"), {"actor": "teamleider"}).content.decode()
    assert "Klacht van de deelnemer." in content and "Ik neem waar voor Bas." not in content
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    content = client.get(reverse("privacy:break_glass"), {"date_from": tomorrow}).content.decode()
    assert "Geen toegangen gevonden" in content
    inverted = client.get(reverse("privacy:break_glass"), {"date_from": tomorrow, "date_to": timezone.localdate().isoformat()})
    assert "De begindatum ligt na de einddatum." in inverted.content.decode()
    # Reading the list is itself logged.
    assert AuditEvent.objects.filter(actor=world["officer"], purpose="break the glass review").count() == 4


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.TEAM_LEAD, Role.ANALYST, Role.PROVIDER_STAFF])
def test_other_roles_may_not_see_the_list(client, world, role):
    provider = ProviderFactory(municipality=world["municipality"]) if role == Role.PROVIDER_STAFF else None
    client.force_login(UserFactory(role=role, municipalities=[world["municipality"]], provider=provider))
    assert client.get(reverse("privacy:break_glass")).status_code == 403
