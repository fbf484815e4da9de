"""Requirement (issue 3.2–3.4, 3.7): the plan page (constant query count, htmx forms, focus),
version comparison and PDF are there for the
participant's consultant, with clear Dutch errors, and closed to everyone else."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from maatpak.trajectories import referrals, services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_plan_page_and_pdf_for_the_consultant(client, km, active_trajectory):
    client.force_login(km)
    content = client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).content.decode()
    assert "De deelnemer spreekt af" in content and "De gemeente spreekt af" in content
    response = client.get(reverse("trajectories:pdf", args=[active_trajectory.pk, 1]))
    assert response["Content-Type"] == "application/pdf"


def test_compare_shows_what_changed(client, km, active_trajectory):
    services.plan_revise(
        actor=km,
        trajectory=active_trajectory,
        reason="Tempo verlaagd",
        expected_version=active_trajectory.version,
        planned_end=dt.date(2027, 6, 30),
    )
    client.force_login(km)
    content = client.get(reverse("trajectories:compare", args=[active_trajectory.pk, 2])).content.decode()
    assert "Tempo verlaagd" in content and "30-06-2027" in content and "gewijzigd" in content


def test_form_errors_are_dutch_and_nothing_is_saved(client, km, active_trajectory):
    client.force_login(km)
    response = client.post(
        reverse("trajectories:action", args=[active_trajectory.pk, "sanction"]),
        {"sanction-initiated_by": "consultant", "sanction-reason": "x", "sanction-percentage": "100", "sanction-months": "1"},
    )
    assert response.status_code == 400
    assert "Kies de afspraak waar het om gaat." in response.content.decode()


@pytest.mark.parametrize("role", ["consultant", "analyst", "council_member"])
def test_others_get_404(client, municipality, active_trajectory, role):
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    assert client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).status_code == 404
    assert client.get(reverse("trajectories:pdf", args=[active_trajectory.pk, 1])).status_code == 404


def test_htmx_forms_swap_in_place_with_focus_on_the_error_or_the_changed_section(client, km, person):
    trajectory = services.trajectory_create(actor=km, participant=person)
    client.force_login(km)
    url = reverse("trajectories:action", args=[trajectory.pk, "plan"])
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert f'hx-post="{url}"' in page
    data = {
        "plan-version": trajectory.version,
        "plan-end_goal_kind": "education",
        "plan-end_goal": "",
        "plan-planned_start": "2026-02-01",
        "plan-planned_end": "2026-01-01",
    }
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx only swaps 2xx
    content = response.content.decode()
    assert "Beschrijf het einddoel in woorden." in content and 'aria-invalid="true"' in content
    focused = re.findall(r"<[^>]*\bautofocus\b[^>]*>", content)
    assert len(focused) == 1 and 'name="plan-end_goal"' in focused[0]  # the first field with an error
    data["plan-end_goal"], data["plan-planned_end"] = "Een mbo-opleiding zorg", "2026-12-31"
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 302 and response["Location"].endswith("?done=plan#plan")
    page = client.get(response["Location"]).content.decode()
    assert '<h2 id="plan-title" tabindex="-1" autofocus>' in page and "Het plan is opgeslagen." in page


def test_a_stale_plan_save_on_the_web_is_refused_with_the_message(client, km, person):
    trajectory = services.trajectory_create(actor=km, participant=person)
    client.force_login(km)
    data = {
        "plan-version": trajectory.version,
        "plan-end_goal_kind": "education",
        "plan-end_goal": "Opleiding",
        "plan-planned_start": "2026-02-01",
        "plan-planned_end": "2026-12-31",
    }
    url = reverse("trajectories:action", args=[trajectory.pk, "plan"])
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "plan-end_goal": "Iets anders"})  # same, now stale, version
    assert response.status_code == 400 and "Iemand anders heeft deze" in response.content.decode()
    assert trajectory.latest_plan().end_goal == "Opleiding"


def test_idea_from_a_recorded_wish_keeps_their_words_and_instrument_cost_comes_from_the_catalogue(client, km, person, instrument):
    from maatpak.participants.models import Wish

    wish = Wish.objects.create(
        municipality=person.municipality,
        participant=person,
        text="Ik wil met mijn handen werken, het liefst buiten.",
        source="consultant",
        recorded_by=km,
    )
    trajectory = services.trajectory_create(actor=km, participant=person)
    services.plan_save_draft(
        actor=km,
        trajectory=trajectory,
        expected_version=trajectory.version,
        end_goal_kind="education",
        end_goal="Opleiding",
        planned_start=dt.date(2026, 2, 1),
        planned_end=dt.date(2026, 12, 31),
    )
    client.force_login(km)
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Sollicitatietraining (€ 450,00)" in page
    action = lambda name: reverse("trajectories:action", args=[trajectory.pk, name])  # noqa: E731
    assert (
        client.post(
            action("idea"), {"idea-wish": wish.pk, "idea-idea": "", "idea-supported": "yes", "idea-response": "Via een groenproject."}
        ).status_code
        == 302
    )
    idea = trajectory.latest_plan().ideas.get()
    assert idea.idea == wish.text and idea.wish == wish
    dates = {
        "instrument-instrument": instrument.pk,
        "instrument-start_date": "2026-02-01",
        "instrument-end_date": "2026-03-01",
        "instrument-serves_barrier": "work",
    }
    client.post(action("instrument"), dates)
    client.post(action("instrument"), {**dates, "instrument-cost_euros": "125.50"})
    assert sorted(trajectory.latest_plan().instruments.values_list("cost_cents", flat=True)) == [12550, 45000]


def test_plan_page_query_count_does_not_grow_with_the_plan(client, km, active_trajectory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maatpak.trajectories.models import Agreement, Goal
    from tests.factories import ContractFactory, ProviderFactory

    plan = active_trajectory.latest_plan()
    ContractFactory(provider=ProviderFactory(municipality=plan.municipality))  # one of each to start with
    referrals.referral_propose(actor=km, trajectory=active_trajectory, provider=ProviderFactory(municipality=plan.municipality))
    client.force_login(km)
    url = reverse("trajectories:detail", args=[active_trajectory.pk])
    client.get(url)  # warm caches (session, translations)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(15):
        Goal.objects.create(
            municipality=plan.municipality,
            plan=plan,
            kind="daily_structure",
            description=f"Doel {n}",
            measure="Gemeten",
            target_date=dt.date(2026, 5, 1),
        )
        Agreement.objects.create(
            municipality=plan.municipality,
            plan=plan,
            party="participant" if n % 2 else "municipality",
            description=f"Afspraak {n}",
            deadline=dt.date(2026, 5, 1),
        )
    for _ in range(5):  # more providers and contracts in the referral form's drop-downs
        ContractFactory(provider=ProviderFactory(municipality=plan.municipality))
        referrals.referral_propose(actor=km, trajectory=active_trajectory, provider=ProviderFactory(municipality=plan.municipality))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_errors_and_help_are_tied_to_their_fields(client, km, active_trajectory):
    client.force_login(km)
    content = client.post(
        reverse("trajectories:action", args=[active_trajectory.pk, "close"]), {"close-version": active_trajectory.version}
    ).content.decode()
    for described in re.findall(r'aria-describedby="([^"]+)"', content):
        for target in described.split():
            assert f'id="{target}"' in content, f"aria-describedby points at missing #{target}"
    assert 'aria-describedby="id_close-conclusion_error"' in content
