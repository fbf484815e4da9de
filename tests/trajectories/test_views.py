"""Requirement (issue 3.3–3.4): the plan page, version comparison and PDF are there for the
participant's consultant, with clear Dutch errors, and closed to everyone else."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.trajectories import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_plan_page_and_pdf_for_the_consultant(client, km, active_trajectory):
    client.force_login(km)
    content = client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).content.decode()
    assert "De deelnemer spreekt af" in content and "De gemeente spreekt af" in content
    response = client.get(reverse("trajectories:pdf", args=[active_trajectory.pk, 1]))
    assert response["Content-Type"] == "application/pdf"


def test_compare_shows_what_changed(client, km, active_trajectory):
    services.plan_revise(actor=km, trajectory=active_trajectory, reason="Tempo verlaagd", expected_version=active_trajectory.version, planned_end=dt.date(2027, 6, 30))
    client.force_login(km)
    content = client.get(reverse("trajectories:compare", args=[active_trajectory.pk, 2])).content.decode()
    assert "Tempo verlaagd" in content and "30-06-2027" in content and "gewijzigd" in content


def test_form_errors_are_dutch_and_nothing_is_saved(client, km, active_trajectory):
    client.force_login(km)
    response = client.post(reverse("trajectories:action", args=[active_trajectory.pk, "sanction"]), {"sanction-initiated_by": "consultant", "sanction-reason": "x", "sanction-percentage": "100", "sanction-months": "1"})
    assert response.status_code == 400
    assert "Kies de afspraak waar het om gaat." in response.content.decode()


@pytest.mark.parametrize("role", ["consultant", "analyst", "council_member"])
def test_others_get_404(client, municipality, active_trajectory, role):
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    assert client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).status_code == 404
    assert client.get(reverse("trajectories:pdf", args=[active_trajectory.pk, 1])).status_code == 404
