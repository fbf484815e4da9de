"""Requirement (issue 3.5): the rules hold in the services, for web and API alike — close only
with an end report; a repeat within 24 months needs a reason referring to the previous
conclusion; sanctions and municipality defaults need the agreement concerned (and a hearing
date); a stale save is refused and nothing is overwritten."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maatpak.core.concurrency import StaleEditError
from maatpak.trajectories import services
from maatpak.trajectories.models import Agreement, PlanVersion, Sanction, Trajectory
from tests.factories import UserFactory
from tests.trajectories.conftest import complete_plan

pytestmark = pytest.mark.django_db


def test_a_trajectory_closes_only_with_an_end_report(km, active_trajectory):
    with pytest.raises(ValidationError) as exc:
        services.trajectory_close(
            actor=km, trajectory=active_trajectory, conclusion="", outcome="", expected_version=active_trajectory.version
        )
    assert "conclusion" in exc.value.message_dict and "outcome" in exc.value.message_dict
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == "active" and active_trajectory.closing_report is None
    report = services.trajectory_close(
        actor=km,
        trajectory=active_trajectory,
        conclusion="Werk gevonden bij De Groene Hand.",
        outcome="regular_work",
        expected_version=active_trajectory.version,
    )
    active_trajectory.refresh_from_db()
    assert (active_trajectory.status, active_trajectory.closing_report, active_trajectory.ended_on) == (
        "closed",
        report,
        report.submitted_on,
    )


def _closed(km, trajectory, conclusion="Geen werk: eerst schulden aanpakken."):
    services.trajectory_close(actor=km, trajectory=trajectory, conclusion=conclusion, outcome="none", expected_version=trajectory.version)


def test_repeat_within_24_months_needs_a_reason_referring_to_the_conclusion(km, person, active_trajectory):
    _closed(km, active_trajectory)
    with pytest.raises(ValidationError) as exc:
        services.trajectory_create(actor=km, participant=person)
    message = exc.value.message_dict["repeat_reason"][0]
    assert "Geen werk: eerst schulden aanpakken." in message
    with pytest.raises(ValidationError):
        services.trajectory_create(actor=km, participant=person, repeat_reason="Te kort", read_previous_conclusion=True)
    with pytest.raises(ValidationError):  # long enough, but the conclusion was not confirmed as read
        services.trajectory_create(actor=km, participant=person, repeat_reason="De schulden zijn nu geregeld, dus werk is weer haalbaar.")
    new = services.trajectory_create(
        actor=km,
        participant=person,
        repeat_reason="De schulden zijn nu geregeld, dus werk is weer haalbaar.",
        read_previous_conclusion=True,
    )
    assert new.previous == active_trajectory and new.repeat_reason.startswith("De schulden")


def test_no_reason_needed_after_24_months(km, person, active_trajectory):
    _closed(km, active_trajectory)
    Trajectory.objects.filter(pk=active_trajectory.pk).update(ended_on=dt.date.today() - dt.timedelta(days=2 * 366 + 5))
    assert services.trajectory_create(actor=km, participant=person).previous is None


def test_only_one_open_trajectory(km, person, active_trajectory):
    with pytest.raises(ValidationError) as exc:
        services.trajectory_create(actor=km, participant=person)
    assert exc.value.code == "open_trajectory"


def test_sanction_requires_the_agreement_and_a_hearing_date(km, active_trajectory):
    plan = active_trajectory.latest_plan()
    own = plan.agreements.get(party="participant")
    municipal = plan.agreements.get(party="municipality")
    base = {
        "actor": km,
        "trajectory": active_trajectory,
        "reason": "Niet verschenen",
        "initiated_by": "consultant",
        "percentage": 100,
        "months": 1,
    }
    with pytest.raises(ValidationError) as exc:
        services.sanction_record(agreement=None, hearing_on=dt.date(2026, 6, 10), **base)
    assert "agreement" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.sanction_record(agreement=municipal, hearing_on=dt.date(2026, 6, 10), **base)  # not the participant's promise
    assert "agreement" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.sanction_record(agreement=own, hearing_on=None, **base)
    assert "hearing_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.sanction_record(agreement=own, hearing_on=dt.date(2026, 6, 10), **{**base, "percentage": 0, "months": 13})
    assert {"percentage", "months"} <= set(exc.value.message_dict)
    assert not Sanction.objects.exists()
    sanction = services.sanction_record(agreement=own, hearing_on=dt.date(2026, 6, 10), **base)
    assert sanction.agreement == own and Agreement.objects.get(pk=own.pk).status == "broken"


def test_municipality_default_is_recorded_against_the_municipalitys_agreement(km, active_trajectory):
    plan = active_trajectory.latest_plan()
    with pytest.raises(ValidationError):
        services.municipality_default_record(
            actor=km, trajectory=active_trajectory, agreement=plan.agreements.get(party="participant"), description="x", remedy="y"
        )
    with pytest.raises(ValidationError) as exc:
        services.municipality_default_record(
            actor=km,
            trajectory=active_trajectory,
            agreement=plan.agreements.get(party="municipality"),
            description="Opvang niet geregeld",
            remedy="",
        )
    assert "remedy" in exc.value.message_dict
    row = services.municipality_default_record(
        actor=km,
        trajectory=active_trajectory,
        agreement=plan.agreements.get(party="municipality"),
        description="Opvang niet geregeld",
        remedy="Alsnog binnen een week",
    )
    assert row.agreement.party == "municipality"


def test_stale_save_is_refused_and_the_first_change_stays(km, person, instrument):
    trajectory = services.trajectory_create(actor=km, participant=person)
    complete_plan(km, trajectory, instrument)
    first_copy = Trajectory.objects.get(pk=trajectory.pk)
    second_copy = Trajectory.objects.get(pk=trajectory.pk)
    fields = {
        "end_goal_kind": "regular_work",
        "planned_start": dt.date(2026, 1, 5),
        "planned_end": dt.date(2026, 12, 31),
        "fallback_if_no_job": "x",
        "situation": "",
        "education_plan": "",
        "mentor": "",
    }
    services.plan_save_draft(actor=km, trajectory=first_copy, expected_version=first_copy.version, end_goal="Eerste wijziging", **fields)
    with pytest.raises(StaleEditError) as exc:
        services.plan_save_draft(
            actor=km, trajectory=second_copy, expected_version=second_copy.version, end_goal="Tweede wijziging", **fields
        )
    assert "Iemand anders" in str(exc.value.messages[0]) or "Someone else" in str(exc.value.messages[0])
    assert PlanVersion.objects.get(trajectory=trajectory).end_goal == "Eerste wijziging"


def test_stale_agreement_status_is_refused(km, active_trajectory):
    agreement = active_trajectory.latest_plan().agreements.get(party="participant")
    copy = Agreement.objects.get(pk=agreement.pk)
    services.agreement_set_status(actor=km, agreement=agreement, status="kept", note="", expected_version=agreement.version)
    with pytest.raises(StaleEditError):
        services.agreement_set_status(actor=km, agreement=copy, status="broken", note="niet gedaan", expected_version=copy.version)
    assert Agreement.objects.get(pk=agreement.pk).status == "kept"


def test_plan_is_agreed_only_when_complete(km, person):
    trajectory = services.trajectory_create(actor=km, participant=person)
    services.plan_save_draft(
        actor=km,
        trajectory=trajectory,
        expected_version=trajectory.version,
        end_goal_kind="regular_work",
        end_goal="Werk",
        planned_start=dt.date(2026, 1, 5),
        planned_end=dt.date(2026, 12, 31),
        fallback_if_no_job="",
        situation="",
        education_plan="",
        mentor="",
    )
    trajectory.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    text = " ".join(exc.value.messages)
    assert "intermediate goal" in text or "tussendoel" in text
    assert len(exc.value.messages) >= 4  # goal, both sides' agreements, fallback


def test_active_only_when_both_signed_and_revision_makes_a_new_version(km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    plan = trajectory.latest_plan()
    services.plan_sign(actor=km, plan=plan, party="consultant", method="in_person", signed_on=dt.date(2026, 1, 5), signer_name="Kim")
    trajectory.refresh_from_db()
    assert trajectory.status == "agreed"
    services.plan_sign(actor=person.user, plan=plan, party="participant", method="portal", signed_on=dt.date.today(), signer_name="Sanne")
    trajectory.refresh_from_db()
    assert trajectory.status == "active" and trajectory.started_on
    with pytest.raises(ValidationError):
        services.plan_revise(actor=km, trajectory=trajectory, reason="", expected_version=trajectory.version)
    new = services.plan_revise(
        actor=km, trajectory=trajectory, reason="Tempo verlaagd", expected_version=trajectory.version, planned_end=dt.date(2027, 3, 31)
    )
    assert new.number == 2 and new.agreements.count() == 2 and new.goals.count() == 1
    assert PlanVersion.objects.get(trajectory=trajectory, number=1).planned_end == dt.date(2026, 12, 31)  # earlier version unchanged
    trajectory.refresh_from_db()
    assert trajectory.status == "active"  # still running on version 1 until both sign version 2 (see test_revisions.py)
    assert trajectory.plan_in_force().number == 1 and new.is_draft


def test_others_cannot_write(municipality, km, active_trajectory):
    stranger = UserFactory(role="consultant", municipalities=[municipality])
    analyst = UserFactory(role="analyst", municipalities=[municipality])
    for actor in (stranger, analyst):
        with pytest.raises(PermissionDenied):
            services.trajectory_close(
                actor=actor, trajectory=active_trajectory, conclusion="x", outcome="none", expected_version=active_trajectory.version
            )
