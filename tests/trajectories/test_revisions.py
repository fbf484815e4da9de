"""Requirement (issue 3): every change after agreement makes a new version with a reason; the new
version carries over the goals, ideas, instruments and agreements as copies that can be changed
before it is agreed and signed again; earlier versions stay readable (in full) and comparable,
and the trajectory keeps running on the version in force meanwhile."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.core.concurrency import StaleEditError
from maatpak.trajectories import services
from maatpak.trajectories.models import Agreement, Goal, PlanIdea, PlannedInstrument, PlanVersion, Trajectory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _revise(km, trajectory, reason="Tempo verlaagd", **fields):
    trajectory.refresh_from_db()
    new = services.plan_revise(actor=km, trajectory=trajectory, reason=reason, expected_version=trajectory.version, **fields)
    trajectory.refresh_from_db()
    return new


def _rows(plan):
    return (
        list(plan.goals.values_list("description", "measure", "target_date")),
        list(plan.ideas.values_list("idea", "supported", "response")),
        list(plan.instruments.values_list("instrument_id", "start_date", "end_date", "cost_cents")),
        list(plan.agreements.values_list("party", "description", "deadline", "status")),
    )


def test_a_revision_is_a_draft_with_copies_and_the_earlier_version_stays_in_force(km, active_trajectory):
    old = active_trajectory.latest_plan()
    before = _rows(old)
    new = _revise(km, active_trajectory, planned_end=dt.date(2027, 6, 30))
    assert new.number == 2 and new.change_reason == "Tempo verlaagd" and new.agreed_on is None
    assert _rows(new) == before  # copies, as separate rows
    assert not set(new.agreements.values_list("pk", flat=True)) & set(old.agreements.values_list("pk", flat=True))
    assert new.is_draft and not old.is_draft
    assert active_trajectory.status == "active" and active_trajectory.plan_in_force() == old
    with pytest.raises(ValidationError) as exc:  # one revision at a time
        services.plan_revise(actor=km, trajectory=active_trajectory, reason="Nog een", expected_version=active_trajectory.version)
    assert exc.value.code == "revision_open"


def test_the_copies_are_changed_added_and_removed_without_touching_the_earlier_version(km, active_trajectory, instrument):
    old = active_trajectory.latest_plan()
    before = _rows(old)
    new = _revise(km, active_trajectory)
    agreement = new.agreements.get(party="participant")
    services.plan_item_update(
        actor=km,
        trajectory=active_trajectory,
        item=agreement,
        expected_version=active_trajectory.version,
        party="participant",
        description="Ik solliciteer één keer per maand",
        deadline=dt.date(2026, 9, 1),
    )
    active_trajectory.refresh_from_db()
    services.plan_item_remove(
        actor=km, trajectory=active_trajectory, item=new.instruments.get(), expected_version=active_trajectory.version
    )
    active_trajectory.refresh_from_db()
    services.goal_add(
        actor=km,
        trajectory=active_trajectory,
        kind="health",
        description="Elke week sporten",
        measure="8 weken op rij",
        target_date=dt.date(2026, 8, 1),
    )
    services.plan_item_update(
        actor=km,
        trajectory=active_trajectory,
        item=new.ideas.get(),
        expected_version=active_trajectory.version,
        idea="Ik wil buiten werken",
        supported=False,
        response="Eerst op tempo komen.",
    )
    active_trajectory.refresh_from_db()
    assert _rows(old) == before  # version 1 and its rows stay exactly as they were
    assert (
        new.agreements.get(party="participant").deadline == dt.date(2026, 9, 1) and not new.instruments.exists() and new.goals.count() == 2
    )
    # A row of the earlier version cannot be changed or removed.
    with pytest.raises(ValidationError):
        services.plan_item_update(
            actor=km,
            trajectory=active_trajectory,
            item=old.goals.get(),
            expected_version=active_trajectory.version,
            kind="health",
            description="x",
            measure="y",
            target_date=dt.date(2026, 8, 1),
        )
    with pytest.raises(ValidationError):
        services.plan_item_remove(
            actor=km,
            trajectory=active_trajectory,
            item=old.agreements.get(party="municipality"),
            expected_version=active_trajectory.version,
        )
    assert _rows(old) == before


def test_a_stale_change_of_a_copy_is_refused(km, active_trajectory):
    new = _revise(km, active_trajectory)
    stale = active_trajectory.version
    goal = new.goals.get()
    services.plan_item_update(
        actor=km,
        trajectory=active_trajectory,
        item=goal,
        expected_version=stale,
        kind=goal.kind,
        description="Eerste",
        measure="m",
        target_date=goal.target_date,
    )
    with pytest.raises(StaleEditError):
        services.plan_item_update(
            actor=km,
            trajectory=Trajectory.objects.get(pk=active_trajectory.pk),
            item=Goal.objects.get(pk=goal.pk),
            expected_version=stale,
            kind=goal.kind,
            description="Tweede",
            measure="m",
            target_date=goal.target_date,
        )
    assert Goal.objects.get(pk=goal.pk).description == "Eerste"


def test_the_new_version_is_in_force_only_after_agreement_and_both_signatures(km, person, active_trajectory):
    old = active_trajectory.latest_plan()
    new = _revise(km, active_trajectory)
    with pytest.raises(ValidationError):  # a draft is not signed
        services.plan_sign(actor=km, plan=new, party="consultant", method="in_person", signed_on=dt.date.today(), signer_name="Kim")
    with pytest.raises(ValidationError):  # nor handed over
        services.plan_handover_record(actor=km, plan=new, channel="paper", handed_over_on=dt.date.today())
    with pytest.raises(ValidationError):  # a sanction is never about a promise nobody agreed on yet
        services.sanction_record(
            actor=km,
            trajectory=active_trajectory,
            agreement=new.agreements.get(party="participant"),
            reason="x",
            initiated_by="consultant",
            percentage=10,
            months=1,
            hearing_on=dt.date(2026, 6, 1),
        )
    services.plan_agree(actor=km, trajectory=active_trajectory, expected_version=active_trajectory.version)
    active_trajectory.refresh_from_db()
    new.refresh_from_db()
    assert new.agreed_on and active_trajectory.status == "active" and active_trajectory.plan_in_force() == old
    with pytest.raises(ValidationError):  # agreed: the copies are fixed now
        services.goal_add(
            actor=km, trajectory=active_trajectory, kind="health", description="x", measure="y", target_date=dt.date(2026, 8, 1)
        )
    services.plan_sign(actor=km, plan=new, party="consultant", method="in_person", signed_on=dt.date.today(), signer_name="Kim")
    assert active_trajectory.plan_in_force() == old
    services.plan_sign(actor=person.user, plan=new, party="participant", method="portal", signed_on=dt.date.today(), signer_name="Sanne")
    active_trajectory.refresh_from_db()
    assert active_trajectory.plan_in_force() == new and active_trajectory.status == "active"
    assert active_trajectory.started_on == dt.date(2026, 1, 5)  # the trajectory started with version 1


def test_a_revision_is_agreed_only_when_complete(km, active_trajectory):
    new = _revise(km, active_trajectory)
    services.plan_item_remove(actor=km, trajectory=active_trajectory, item=new.ideas.get(), expected_version=active_trajectory.version)
    active_trajectory.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.plan_agree(actor=km, trajectory=active_trajectory, expected_version=active_trajectory.version)
    assert any("idee van de deelnemer" in m for m in exc.value.messages)
    assert PlanVersion.objects.get(pk=new.pk).agreed_on is None


def test_web_revision_cycle_version_page_and_comparison(client, km, active_trajectory):
    client.force_login(km)
    detail = reverse("trajectories:detail", args=[active_trajectory.pk])
    response = client.post(
        reverse("trajectories:action", args=[active_trajectory.pk, "revise"]),
        {
            "revise-version": active_trajectory.version,
            "revise-reason": "Tempo verlaagd",
            "revise-end_goal_kind": "regular_work",
            "revise-end_goal": "Werk in de groenvoorziening",
            "revise-planned_start": "2026-01-05",
            "revise-planned_end": "2027-06-30",
            "revise-fallback_if_no_job": "Vrijwilligerswerk",
        },
    )
    assert response.status_code == 302
    new = active_trajectory.latest_plan()
    page = client.get(detail).content.decode()
    assert "Versie 2 wordt geschreven" in page and "Tot dan blijft versie 1 geldig." in page
    assert "Wijzigen of verwijderen" in page and "Handtekening vastleggen" not in page
    active_trajectory.refresh_from_db()
    agreement = new.agreements.get(party="participant")
    response = client.post(
        reverse("trajectories:item_edit", args=[active_trajectory.pk, "agreement", agreement.pk]),
        {
            f"agreement-{agreement.pk}-version": active_trajectory.version,
            f"agreement-{agreement.pk}-party": "participant",
            f"agreement-{agreement.pk}-description": agreement.description,
            f"agreement-{agreement.pk}-deadline": "2026-10-01",
        },
    )
    assert response.status_code == 302 and Agreement.objects.get(pk=agreement.pk).deadline == dt.date(2026, 10, 1)
    assert response["Location"].endswith("?done=item_agreement#agreement")
    assert '<h2 id="agreements-title" tabindex="-1" autofocus>' in client.get(response["Location"]).content.decode()
    active_trajectory.refresh_from_db()
    instrument = new.instruments.get()
    response = client.post(
        reverse("trajectories:item_remove", args=[active_trajectory.pk, "instrument", instrument.pk]),
        {"version": active_trajectory.version},
    )
    assert response.status_code == 302 and not PlannedInstrument.objects.filter(pk=instrument.pk).exists()
    active_trajectory.refresh_from_db()
    idea = new.ideas.get()
    client.post(
        reverse("trajectories:item_edit", args=[active_trajectory.pk, "idea", idea.pk]),
        {
            f"idea-{idea.pk}-version": active_trajectory.version,
            f"idea-{idea.pk}-idea": idea.idea,
            f"idea-{idea.pk}-supported": "no",
            f"idea-{idea.pk}-response": "Eerst uitrusten.",
        },
    )
    assert PlanIdea.objects.get(pk=idea.pk).response == "Eerst uitrusten."
    # A row of version 1 is not reachable through the change form: it is not in the draft.
    old_agreement = PlanVersion.objects.get(trajectory=active_trajectory, number=1).agreements.get(party="participant")
    active_trajectory.refresh_from_db()
    client.post(
        reverse("trajectories:item_edit", args=[active_trajectory.pk, "agreement", old_agreement.pk]),
        {
            f"agreement-{old_agreement.pk}-version": active_trajectory.version,
            f"agreement-{old_agreement.pk}-party": "participant",
            f"agreement-{old_agreement.pk}-description": "Gewijzigd",
            f"agreement-{old_agreement.pk}-deadline": "2026-10-01",
        },
    )
    assert Agreement.objects.get(pk=old_agreement.pk).deadline == dt.date(2026, 6, 1)
    active_trajectory.refresh_from_db()
    assert (
        client.post(reverse("trajectories:agree", args=[active_trajectory.pk]), {"version": active_trajectory.version}).status_code == 302
    )
    assert PlanVersion.objects.get(pk=new.pk).agreed_on is not None

    compare = client.get(reverse("trajectories:compare", args=[active_trajectory.pk, 2])).content.decode()
    assert "Tempo verlaagd" in compare and "30-06-2027" in compare
    assert (
        "Ik solliciteer twee keer per maand (01-06-2026)" in compare and "Ik solliciteer twee keer per maand (01-10-2026)" in compare
    )  # deadline changed
    assert "<del>Sollicitatietraining" in compare  # instrument removed
    assert "Eerst uitrusten." in compare  # the answer to the idea changed

    old_page = client.get(reverse("trajectories:version", args=[active_trajectory.pk, 1])).content.decode()
    assert "Eerdere versie, alleen lezen" in old_page and "01-06-2026" in old_page and "Sollicitatietraining" in old_page
    assert "We zoeken een plek in de groenvoorziening." in old_page and "Kim de Vries" in old_page
    assert "/wijzigen/" not in old_page and "/verwijderen/" not in old_page  # read-only
    reads = AuditEvent.objects.filter(actor=km, action="read", participant_id=active_trajectory.participant_id)
    assert (
        reads.filter(purpose="plan version", object_id=str(PlanVersion.objects.get(trajectory=active_trajectory, number=1).pk)).count() == 1
    )
    assert reads.filter(purpose="compare plan versions").count() == 1


@pytest.mark.parametrize("role", ["consultant", "analyst"])
def test_version_page_and_row_forms_are_closed_to_others(client, municipality, km, active_trajectory, role):
    new = _revise(km, active_trajectory)
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    assert client.get(reverse("trajectories:version", args=[active_trajectory.pk, 1])).status_code == 404
    goal = new.goals.get()
    response = client.post(
        reverse("trajectories:item_remove", args=[active_trajectory.pk, "goal", goal.pk]), {"version": active_trajectory.version}
    )
    assert response.status_code == 404 and Goal.objects.filter(pk=goal.pk).exists()
