"""Issue 13 item 4: a municipality default is answered and put right. The participant reports one
from the portal on a promise of the plan in force; the consultant must answer it (waiting on the
plan page and on the work list) and the participant reads the answer in the portal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatpak.trajectories import services
from maatpak.trajectories.models import MunicipalityDefault

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _promise(trajectory):
    return trajectory.latest_plan().agreements.get(party="municipality")


@pytest.fixture
def reported(person, active_trajectory):
    return services.municipality_default_report(
        actor=person.user, trajectory=active_trajectory, agreement=_promise(active_trajectory), description="Geen kinderopvang geregeld."
    )


def test_the_participant_reports_the_consultant_answers_and_resolves(km, person, active_trajectory, reported):
    assert reported.reported_by_participant and reported.answered_on is None and reported.remedy == ""
    with pytest.raises(ValidationError) as exc:  # an answer first
        services.municipality_default_resolve(actor=km, default=reported, resolution="Opvang geregeld", resolved_on=TODAY)
    assert exc.value.code == "not_answered"
    answered = services.municipality_default_answer(
        actor=km, default=reported, answer="Sorry, we regelen het deze week.", answered_on=TODAY
    )
    assert answered.answered_by == km and answered.answered_on == TODAY
    with pytest.raises(ValidationError):  # once
        services.municipality_default_answer(actor=km, default=reported, answer="Nogmaals", answered_on=TODAY)
    resolved = services.municipality_default_resolve(actor=km, default=reported, resolution="Opvang bij De Boei.", resolved_on=TODAY)
    assert resolved.resolved_on == TODAY and resolved.resolution == "Opvang bij De Boei."
    with pytest.raises(ValidationError):
        services.municipality_default_resolve(actor=km, default=reported, resolution="Nogmaals", resolved_on=TODAY)


def test_report_refusals(km, person, active_trajectory, reported):
    promise = _promise(active_trajectory)
    with pytest.raises(ValidationError) as exc:  # one open report per promise
        services.municipality_default_report(
            actor=person.user, trajectory=active_trajectory, agreement=promise, description="Nog steeds niet"
        )
    assert "agreement" in exc.value.message_dict
    mine = active_trajectory.latest_plan().agreements.get(party="participant")
    with pytest.raises(ValidationError):  # a promise of the participant is not the municipality's
        services.municipality_default_report(actor=person.user, trajectory=active_trajectory, agreement=mine, description="x")
    with pytest.raises(PermissionDenied):  # staff record defaults themselves, with a remedy
        services.municipality_default_report(actor=km, trajectory=active_trajectory, agreement=promise, description="x")
    MunicipalityDefault.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        services.municipality_default_report(actor=person.user, trajectory=active_trajectory, agreement=promise, description=" ")
    assert "description" in exc.value.message_dict


def test_answer_refusals(km, person, active_trajectory, reported):
    with pytest.raises(ValidationError) as exc:
        services.municipality_default_answer(actor=km, default=reported, answer="", answered_on=TODAY)
    assert "answer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.municipality_default_answer(actor=km, default=reported, answer="Ja", answered_on=TODAY + dt.timedelta(days=1))
    assert "answered_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.municipality_default_answer(actor=km, default=reported, answer="Ja", answered_on=TODAY - dt.timedelta(days=1))
    assert "answered_on" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.municipality_default_answer(actor=person.user, default=reported, answer="Ja", answered_on=TODAY)
    recorded = services.municipality_default_record(
        actor=km, trajectory=active_trajectory, agreement=_promise(active_trajectory), description="Te laat", remedy="Extra gesprek"
    )
    with pytest.raises(ValidationError) as exc:  # a default the consultant recorded needs no answer, only a resolution
        services.municipality_default_answer(actor=km, default=recorded, answer="Ja", answered_on=TODAY)
    assert exc.value.code == "not_reported"
    assert services.municipality_default_resolve(actor=km, default=recorded, resolution="Gesprek gehouden", resolved_on=TODAY).resolved_on


def test_portal_report_and_answer_and_the_plan_page_shows_it_waiting(client, km, person, active_trajectory):
    client.force_login(person.user)
    page = client.get(reverse("portal:plan")).content.decode()
    assert "Mijn melding versturen" in page
    refused = client.post(
        reverse("portal:default_report"), {"default-agreement": _promise(active_trajectory).pk, "default-description": ""}
    )
    assert refused.status_code == 400
    response = client.post(
        reverse("portal:default_report"), {"default-agreement": _promise(active_trajectory).pk, "default-description": "Geen opvang."}
    )
    assert response.status_code == 302
    default = MunicipalityDefault.objects.get()
    assert default.reported_by_participant and default.recorded_by == person.user
    client.force_login(km)
    plan_page = client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).content.decode()
    assert "Wacht op uw antwoord" in plan_page
    url = reverse("trajectories:action", args=[active_trajectory.pk, "default_answer"])
    response = client.post(
        url,
        {
            "default_answer-default": default.pk,
            "default_answer-answer": "We bellen u morgen.",
            "default_answer-answered_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    client.force_login(person.user)
    assert "We bellen u morgen." in client.get(reverse("portal:plan")).content.decode()


def test_answer_and_resolve_through_the_api(client, km, active_trajectory, reported):
    client.force_login(km)
    base = f"/api/v1/trajectories/{active_trajectory.pk}/municipality-defaults/{reported.pk}"
    assert (
        client.post(f"{base}/resolve/", {"resolution": "x", "resolved_on": TODAY.isoformat()}, content_type="application/json").status_code
        == 400
    )
    response = client.post(
        f"{base}/answer/", {"answer": "Wordt geregeld", "answered_on": TODAY.isoformat()}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["answered_on"] == TODAY.isoformat()
    response = client.post(
        f"{base}/resolve/", {"resolution": "Geregeld", "resolved_on": TODAY.isoformat()}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["resolution"] == "Geregeld"
