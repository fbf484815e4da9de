"""Requirement (issue 3): the plan starts from the participant's own ideas (at least one); nothing is
recorded on a closed trajectory's agreements; a copy is handed over only of an agreed plan; the
agreement status form keeps the current status; every dossier read on these pages is logged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.trajectories import referrals, services
from maatpak.trajectories.models import Agreement, MunicipalityDefault, PlanHandover, Sanction
from tests.api.problems import problem
from tests.trajectories.conftest import complete_plan

pytestmark = pytest.mark.django_db


def test_a_plan_without_an_idea_of_the_participant_is_not_agreed(client, km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    idea = trajectory.latest_plan().ideas.get()
    services.plan_item_remove(actor=km, trajectory=trajectory, item=idea, expected_version=trajectory.version)
    trajectory.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    assert exc.value.messages == [
        "Voeg minstens één idee van de deelnemer toe, in de eigen woorden: het plan begint bij wat de deelnemer wil."
    ]
    trajectory.refresh_from_db()
    assert trajectory.status == "draft"
    client.force_login(km)
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Voeg minstens één idee van de deelnemer toe" in page  # in the list of what is missing
    services.idea_add(
        actor=km, trajectory=trajectory, idea="Ik wil in de zorg werken", supported=False, response="Eerst de taal; daarna kijken we samen."
    )
    services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)


def _close(km, trajectory):
    services.trajectory_close(
        actor=km, trajectory=trajectory, conclusion="Werk gevonden.", outcome="regular_work", expected_version=trajectory.version
    )
    trajectory.refresh_from_db()


def test_no_sanction_or_default_on_a_closed_trajectory(km, active_trajectory):
    plan = active_trajectory.latest_plan()
    _close(km, active_trajectory)
    with pytest.raises(ValidationError) as exc:
        services.sanction_record(
            actor=km,
            trajectory=active_trajectory,
            agreement=plan.agreements.get(party="participant"),
            reason="Niet gekomen",
            initiated_by="consultant",
            percentage=10,
            months=1,
            hearing_on=dt.date(2026, 6, 1),
        )
    assert exc.value.code == "closed" and "afgesloten" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.municipality_default_record(
            actor=km, trajectory=active_trajectory, agreement=plan.agreements.get(party="municipality"), description="x", remedy="y"
        )
    assert exc.value.code == "closed"
    assert not Sanction.objects.exists() and not MunicipalityDefault.objects.exists()
    assert set(plan.agreements.values_list("status", flat=True)) == {"open"}  # not marked broken either


def test_no_sanction_through_the_api_on_a_closed_trajectory(client, km, active_trajectory):
    agreement = active_trajectory.latest_plan().agreements.get(party="participant")
    _close(km, active_trajectory)
    client.force_login(km)
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/sanctions/",
        {"agreement": agreement.pk, "reason": "x", "initiated_by": "consultant", "percentage": 10, "months": 1, "hearing_on": "2026-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "afgesloten" in problem(response)["detail"]


def test_sanction_and_default_recorded_on_the_web(client, km, active_trajectory):
    plan = active_trajectory.latest_plan()
    own, municipal = plan.agreements.get(party="participant"), plan.agreements.get(party="municipality")
    client.force_login(km)
    response = client.post(
        reverse("trajectories:action", args=[active_trajectory.pk, "sanction"]),
        {
            "sanction-agreement": own.pk,
            "sanction-reason": "Twee keer niet gekomen zonder bericht",
            "sanction-initiated_by": "consultant",
            "sanction-percentage": "20",
            "sanction-months": "1",
            "sanction-hearing_on": "2026-06-10",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?done=sanction#sanction")
    sanction = Sanction.objects.get()
    assert (sanction.agreement, sanction.percentage, sanction.months, sanction.hearing_on) == (own, 20, 1, dt.date(2026, 6, 10))
    assert "De maatregel is vastgelegd." in client.get(response["Location"]).content.decode()
    response = client.post(
        reverse("trajectories:action", args=[active_trajectory.pk, "default"]),
        {
            "default-agreement": municipal.pk,
            "default-description": "Kinderopvang niet op tijd geregeld",
            "default-remedy": "Alsnog geregeld binnen een week",
        },
    )
    assert response.status_code == 302
    default = MunicipalityDefault.objects.get()
    assert default.agreement == municipal and default.remedy == "Alsnog geregeld binnen een week"
    assert set(Agreement.objects.filter(pk__in=[own.pk, municipal.pk]).values_list("status", flat=True)) == {"broken"}


def test_no_hand_over_of_a_draft_plan(client, km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    plan = trajectory.latest_plan()
    with pytest.raises(ValidationError) as exc:
        services.plan_handover_record(actor=km, plan=plan, channel="paper", handed_over_on=dt.date.today())
    assert "nog geen akkoord" in exc.value.messages[0]
    client.force_login(km)
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Uitreiking vastleggen" not in page  # the draft page offers no hand-over form
    response = client.post(
        reverse("trajectories:action", args=[trajectory.pk, "handover"]),
        {"handover-channel": "paper", "handover-handed_over_on": dt.date.today().isoformat()},
    )
    assert response.status_code == 400
    assert not PlanHandover.objects.exists()
    services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    assert services.plan_handover_record(actor=km, plan=plan, channel="paper", handed_over_on=dt.date.today())


def test_agreement_status_form_keeps_the_current_status(client, km, active_trajectory):
    agreement = active_trajectory.latest_plan().agreements.get(party="participant")
    services.agreement_set_status(actor=km, agreement=agreement, status="kept", note="", expected_version=agreement.version)
    client.force_login(km)
    page = client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).content.decode()
    select = page.split(f'id="status-{agreement.pk}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="kept" selected>' in select and select.count("selected") == 1
    agreement.refresh_from_db()
    # Re-saving the form as shown, with only a note added, keeps "kept".
    client.post(
        reverse("trajectories:agreement_status", args=[active_trajectory.pk]),
        {"agreement": agreement.pk, "version": agreement.version, "status": "kept", "note": "Gecontroleerd"},
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.status_note) == ("kept", "Gecontroleerd")


def test_the_new_trajectory_page_logs_reading_the_previous_conclusion(client, km, person, active_trajectory):
    _close(km, active_trajectory)
    client.force_login(km)
    assert "Werk gevonden." in client.get(reverse("trajectories:create", args=[person.pk])).content.decode()
    event = AuditEvent.objects.get(actor=km, action="read", purpose="previous trajectory's conclusion (new trajectory)")
    assert event.participant_id == person.pk and event.object_type == "EndReport"
    client.post(reverse("trajectories:create", args=[person.pk]), {"repeat_reason": ""})  # refused: the page with the conclusion again
    assert AuditEvent.objects.filter(actor=km, action="read", purpose="previous trajectory's conclusion (new trajectory)").count() == 2


def test_a_refused_form_re_rendering_the_plan_page_is_logged_as_a_read(client, km, active_trajectory):
    client.force_login(km)
    reads = AuditEvent.objects.filter(actor=km, action="read", participant_id=active_trajectory.participant_id)
    before = reads.count()
    response = client.post(
        reverse("trajectories:action", args=[active_trajectory.pk, "close"]), {"close-version": active_trajectory.version}
    )
    assert response.status_code == 400 and "Trajectplan van" in response.content.decode()  # the whole plan page came back with the error
    assert reads.count() == before + 1 and reads.latest("at").purpose == "trajectory plan (form refused)"
    client.post(
        reverse("trajectories:action", args=[active_trajectory.pk, "goal"]), {"goal-kind": "health"}, headers={"HX-Request": "true"}
    )
    assert reads.count() == before + 2


def test_closing_the_trajectory_ends_its_open_referrals(km, municipality, active_trajectory):
    from maatpak.trajectories.models import Referral
    from tests.factories import ProviderFactory

    proposed = referrals.referral_propose(actor=km, trajectory=active_trajectory, provider=ProviderFactory(municipality=municipality))
    running = referrals.referral_propose(actor=km, trajectory=active_trajectory, provider=ProviderFactory(municipality=municipality))
    Referral.objects.filter(pk=running.pk).update(status="active", responded_on=dt.date(2026, 1, 10), started_on=dt.date(2026, 1, 20))
    declined = referrals.referral_propose(actor=km, trajectory=active_trajectory, provider=ProviderFactory(municipality=municipality))
    Referral.objects.filter(pk=declined.pk).update(status="declined", responded_on=dt.date(2026, 1, 10), decline_reason="Vol")
    active_trajectory.refresh_from_db()
    report = services.trajectory_close(
        actor=km,
        trajectory=active_trajectory,
        conclusion="Werk gevonden.",
        outcome="regular_work",
        expected_version=active_trajectory.version,
    )
    statuses = dict(Referral.objects.filter(trajectory=active_trajectory).values_list("pk", "status"))
    assert statuses == {proposed.pk: "ended", running.pk: "ended", declined.pk: "declined"}
    assert set(Referral.objects.filter(status="ended").values_list("ended_on", flat=True)) == {report.submitted_on}
