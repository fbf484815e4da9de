"""Requirement (issue 4.2–4.3): the referral lifecycle proposed → accepted/declined → intake →
active → ended, with clear errors for wrong steps; structured reports whose due dates follow the
contract; a referral ends only with an end report; every report is copied to the participant and
audit-logged; stale saves are refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maatpak.audit.models import AuditEvent
from maatpak.core.concurrency import StaleEditError
from maatpak.trajectories import referrals as services
from maatpak.trajectories.models import Referral, ReportCopy
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _to_active(case):
    r, coach = case["referral"], case["coach"]
    services.referral_accept(actor=coach, referral=r, expected_version=r.version)
    services.referral_record_intake(actor=coach, referral=r, intake_on=TODAY, expected_version=r.version)
    services.referral_start(actor=coach, referral=r, started_on=TODAY, expected_version=r.version)
    return r


def _progress(case, **overrides):
    values = {
        "activities": "Sollicitatietraining",
        "attendance": "good",
        "next_steps": "Stage zoeken",
        "goal_progress": {case["goal"].pk: "some"},
        "participant_view": "Gaat goed",
        "participant_saw_report": True,
    }
    return services.progress_report_submit(actor=case["coach"], referral=case["referral"], **{**values, **overrides})


def test_full_lifecycle_ends_only_with_an_end_report(case):
    r = _to_active(case)
    assert (r.status, r.responded_on, r.intake_on, r.started_on) == ("active", TODAY, TODAY, TODAY)
    report = _progress(case)
    # The first report is due one contract interval (30 days) after the start.
    assert report.due_on == TODAY + dt.timedelta(days=30)
    assert report.goal_progress.get().level == "some"
    end = services.end_report_submit(
        actor=case["coach"],
        referral=r,
        conclusion="Aan het werk",
        outcome="regular_work",
        recommendation="Nazorg",
        ended_on=TODAY,
        expected_version=r.version,
    )
    r.refresh_from_db()
    assert (r.status, r.ended_on, end.due_on) == ("ended", TODAY, TODAY + dt.timedelta(days=14))
    copies = list(ReportCopy.objects.filter(participant=case["participant"]))
    assert {c.kind for c in copies} == {"progress", "end"} and all(c.made_available_on == TODAY and c.channel == "portal" for c in copies)
    assert AuditEvent.objects.filter(object_type__icontains="endreport", object_id=str(end.pk), action="create").exists()
    assert AuditEvent.objects.filter(object_type__icontains="progressreport", object_id=str(report.pk), action="create").exists()


def test_end_report_needs_conclusion_outcome_and_recommendation(case):
    r = _to_active(case)
    with pytest.raises(ValidationError) as exc:
        services.end_report_submit(
            actor=case["coach"], referral=r, conclusion=" ", outcome="", recommendation="", ended_on=TODAY, expected_version=r.version
        )
    assert set(exc.value.message_dict) == {"conclusion", "outcome", "recommendation"}
    r.refresh_from_db()
    assert r.status == "active" and not ReportCopy.objects.exists()


def test_decline_requires_a_reason(case):
    r = case["referral"]
    with pytest.raises(ValidationError) as exc:
        services.referral_decline(actor=case["coach"], referral=r, reason="  ", expected_version=r.version)
    assert "reason" in exc.value.message_dict
    services.referral_decline(actor=case["coach"], referral=r, reason="Geen plek voor maart", expected_version=r.version)
    r.refresh_from_db()
    assert (r.status, r.decline_reason) == ("declined", "Geen plek voor maart")


@pytest.mark.parametrize("step", ["intake", "start", "progress", "end"])
def test_wrong_state_transitions_are_refused_with_a_clear_message(case, step):
    r, coach = case["referral"], case["coach"]  # still "proposed"
    calls = {
        "intake": lambda: services.referral_record_intake(actor=coach, referral=r, intake_on=TODAY, expected_version=r.version),
        "start": lambda: services.referral_start(actor=coach, referral=r, started_on=TODAY, expected_version=r.version),
        "progress": lambda: _progress(case),
        "end": lambda: services.end_report_submit(
            actor=coach, referral=r, conclusion="c", outcome="none", recommendation="r", ended_on=TODAY, expected_version=r.version
        ),
    }
    with pytest.raises(ValidationError) as exc:
        calls[step]()
    assert exc.value.code == "wrong_status"


def test_intake_date_not_in_future_nor_before_acceptance(case):
    r, coach = case["referral"], case["coach"]
    services.referral_accept(actor=coach, referral=r, expected_version=r.version)
    for bad in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            services.referral_record_intake(actor=coach, referral=r, intake_on=bad, expected_version=r.version)
        assert "intake_on" in exc.value.message_dict


def test_stale_version_is_refused(case):
    r = case["referral"]
    stale = Referral.objects.get(pk=r.pk)
    services.referral_accept(actor=case["coach"], referral=r, expected_version=r.version)
    with pytest.raises(StaleEditError):
        services.referral_decline(actor=case["coach"], referral=stale, reason="x", expected_version=stale.version)


def test_progress_report_requires_structured_fields_and_only_own_goals(case, municipality):
    _to_active(case)
    with pytest.raises(ValidationError) as exc:
        _progress(case, activities="", next_steps="", attendance="bad", goal_progress={999_999: "some"})
    assert set(exc.value.message_dict) == {"activities", "next_steps", "attendance", "goal_progress"}


def test_next_report_due_runs_from_the_previous_one(case):
    _to_active(case)
    _progress(case)
    second = _progress(case)
    assert second.due_on == TODAY + dt.timedelta(days=30)


@pytest.mark.parametrize("who", ["consultant", "other_provider"])
def test_only_the_referrals_provider_may_act(case, municipality, who):
    actor = (
        case["consultant"]
        if who == "consultant"
        else UserFactory(role="provider_staff", municipalities=[municipality], provider=ProviderFactory(municipality=municipality))
    )
    r = case["referral"]
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=actor, referral=r, expected_version=r.version)
