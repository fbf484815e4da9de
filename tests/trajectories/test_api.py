"""Requirement (issue 3.5): the rules hold through the API exactly as on the web."""

import pytest

from maatpak.trajectories import services
from maatpak.trajectories.models import Sanction, Trajectory
from tests.api.problems import field_messages, problem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_close_without_conclusion_is_refused_with_the_dutch_message(client, km, active_trajectory):
    client.force_login(km)
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/close/", {"version": active_trajectory.version}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "eindrapportage" in field_messages(response)["conclusion"][0]
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/close/",
        {"version": active_trajectory.version, "conclusion": "Werk gevonden", "outcome": "regular_work"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_repeat_without_reason_is_refused_and_with_reason_accepted(client, km, person, active_trajectory):
    services.trajectory_close(
        actor=km,
        trajectory=active_trajectory,
        conclusion="Eerst schulden regelen.",
        outcome="none",
        expected_version=active_trajectory.version,
    )
    client.force_login(km)
    response = client.post("/api/v1/trajectories/", {"participant": person.pk}, content_type="application/json")
    assert response.status_code == 400 and "Eerst schulden regelen." in field_messages(response)["repeat_reason"][0]
    response = client.post(
        "/api/v1/trajectories/",
        {
            "participant": person.pk,
            "repeat_reason": "De schulden zijn geregeld via de schuldhulpverlening.",
            "read_previous_conclusion": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["previous"] == active_trajectory.pk


def test_sanction_without_hearing_is_refused(client, km, active_trajectory):
    agreement = active_trajectory.latest_plan().agreements.get(party="participant")
    client.force_login(km)
    body = {"agreement": agreement.pk, "reason": "Niet gekomen", "initiated_by": "consultant", "percentage": 100, "months": 1}
    response = client.post(f"/api/v1/trajectories/{active_trajectory.pk}/sanctions/", body, content_type="application/json")
    assert response.status_code == 400 and "hoorgesprek" in field_messages(response)["hearing_on"][0]
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/sanctions/",
        {**body, "agreement": None, "hearing_on": "2026-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "agreement" in field_messages(response)
    assert not Sanction.objects.exists()
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/sanctions/", {**body, "hearing_on": "2026-06-01"}, content_type="application/json"
    )
    assert response.status_code == 201


def test_default_needs_the_municipalitys_agreement(client, km, active_trajectory):
    plan = active_trajectory.latest_plan()
    client.force_login(km)
    url = f"/api/v1/trajectories/{active_trajectory.pk}/municipality-defaults/"
    response = client.post(
        url, {"agreement": plan.agreements.get(party="participant").pk, "description": "x", "remedy": "y"}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {"agreement": plan.agreements.get(party="municipality").pk, "description": "Opvang te laat", "remedy": "Alsnog geregeld"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_other_users_get_404(client, municipality, active_trajectory):
    client.force_login(UserFactory(role="consultant", municipalities=[municipality]))
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/close/",
        {"version": 1, "conclusion": "x", "outcome": "none"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Trajectory.objects.get(pk=active_trajectory.pk).status == "active"


def test_a_stale_close_through_the_api_is_refused_and_nothing_changes(client, km, active_trajectory):
    client.force_login(km)
    stale = active_trajectory.version
    Trajectory.objects.filter(pk=active_trajectory.pk).update(version=stale + 1)  # someone else saved meanwhile
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/close/",
        {"version": stale, "conclusion": "Werk gevonden", "outcome": "regular_work"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "Iemand anders heeft" in problem(response)["detail"]
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == "active" and active_trajectory.closing_report is None
