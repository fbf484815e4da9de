"""Issue 13 item 5: the chain holds. No referral before both sides signed the plan in force (a
paper signature counts); no second trajectory while one runs; every newly planned instrument
names the goal or the barrier it serves, and a new plan version keeps that link to its own goals."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatpak.trajectories import referrals, services
from maatpak.trajectories.models import PlannedInstrument
from tests.factories import ProviderFactory
from tests.trajectories.conftest import complete_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    trajectory.refresh_from_db()
    return trajectory


def test_no_referral_before_both_signed_and_a_paper_signature_counts(km, municipality, agreed):
    provider = ProviderFactory(municipality=municipality)
    plan = agreed.latest_plan()
    with pytest.raises(ValidationError) as exc:
        referrals.referral_propose(actor=km, trajectory=agreed, provider=provider)
    assert exc.value.code == "plan_not_signed" and "ondertekend" in exc.value.messages[0]
    services.plan_sign(actor=km, plan=plan, party="consultant", method="in_person", signed_on=dt.date.today(), signer_name="Kim")
    with pytest.raises(ValidationError):  # one side is not enough
        referrals.referral_propose(actor=km, trajectory=agreed, provider=provider)
    services.plan_sign(actor=km, plan=plan, party="participant", method="paper", signed_on=dt.date.today(), signer_name="Sanne")
    agreed.refresh_from_db()
    assert referrals.referral_propose(actor=km, trajectory=agreed, provider=provider).status == "proposed"


def test_the_plan_page_offers_the_referral_only_after_both_signed(client, km, agreed):
    client.force_login(km)
    page = client.get(reverse("trajectories:detail", args=[agreed.pk]))
    assert page.context["can_refer"] is False and "Aanmelding voorstellen" not in page.content.decode()


def test_no_new_trajectory_while_one_runs(client, km, person, active_trajectory):
    with pytest.raises(ValidationError):
        services.trajectory_create(actor=km, participant=person)
    client.force_login(km)
    dossier = client.get(reverse("participants:dossier", args=[person.pk])).content.decode()
    assert reverse("trajectories:create", args=[person.pk]) not in dossier
    response = client.get(reverse("trajectories:create", args=[person.pk]))
    assert response.status_code == 302 and response.url == reverse("trajectories:detail", args=[active_trajectory.pk])
    services.trajectory_close(
        actor=km, trajectory=active_trajectory, conclusion="Klaar", outcome="none", expected_version=active_trajectory.version
    )
    assert (
        reverse("trajectories:create", args=[person.pk]) in client.get(reverse("participants:dossier", args=[person.pk])).content.decode()
    )


def test_an_instrument_names_the_goal_or_barrier_it_serves(km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    period = {"start_date": dt.date(2026, 2, 1), "end_date": dt.date(2026, 3, 1)}
    with pytest.raises(ValidationError) as exc:
        services.instrument_add(actor=km, trajectory=trajectory, instrument=instrument, **period)
    assert "serves_goal" in exc.value.message_dict and "nodig" in exc.value.message_dict["serves_goal"][0]
    with pytest.raises(ValidationError):
        services.instrument_add(actor=km, trajectory=trajectory, instrument=instrument, serves_barrier="nonsense", **period)
    row = services.instrument_add(actor=km, trajectory=trajectory, instrument=instrument, serves_barrier="income_debts", **period)
    assert row.serves_barrier == "income_debts"
    trajectory.refresh_from_db()
    with pytest.raises(ValidationError):  # a change keeps the rule
        services.plan_item_update(
            actor=km, trajectory=trajectory, item=row, expected_version=trajectory.version, serves_goal=None, serves_barrier="", **period
        )
    trajectory.refresh_from_db()
    goal = trajectory.latest_plan().goals.get()
    with pytest.raises(ValidationError) as exc:  # a served goal stays until its instrument is changed
        services.plan_item_remove(actor=km, trajectory=trajectory, item=goal, expected_version=trajectory.version)
    assert exc.value.code == "goal_served"


def test_a_revision_points_the_copied_instrument_at_the_copied_goal(km, active_trajectory):
    old_plan = active_trajectory.latest_plan()
    old_goal = old_plan.goals.get()
    assert old_plan.instruments.get().serves_goal == old_goal
    new = services.plan_revise(actor=km, trajectory=active_trajectory, reason="Tempo verlaagd", expected_version=active_trajectory.version)
    copied = PlannedInstrument.objects.get(plan=new)
    assert copied.serves_goal == new.goals.get() and copied.serves_goal != old_goal
    assert old_plan.instruments.get().serves_goal == old_goal


def test_the_instrument_form_offers_goal_and_barrier(client, km, person, instrument):
    trajectory = services.trajectory_create(actor=km, participant=person)
    trajectory = complete_plan(km, trajectory, instrument)
    client.force_login(km)
    form = client.get(reverse("trajectories:detail", args=[trajectory.pk])).context["forms"]["instrument"]
    assert {"serves_goal", "serves_barrier"} <= set(form.fields)
    url = reverse("trajectories:action", args=[trajectory.pk, "instrument"])
    data = {"instrument-instrument": instrument.pk, "instrument-start_date": "2026-02-01", "instrument-end_date": "2026-03-01"}
    assert client.post(url, data).status_code == 400
    goal = trajectory.latest_plan().goals.get()
    assert client.post(url, {**data, "instrument-serves_goal": goal.pk}).status_code == 302
