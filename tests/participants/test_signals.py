"""Requirement (issue 2/3, signals): "repeat trajectory without a reason" only where the rule
demands a reason (the previous trajectory ended within 24 months of the new one's start), and
the provider-overdue signal also covers an overdue intake and an overdue end report of a
referral still open past its planned end — counted on the caseload and usable as a filter."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.casework.alerts import caseload_signals
from maatpak.trajectories.models import PlannedInstrument, PlanVersion, ProgressReport, Referral, Trajectory
from tests.factories import ContractFactory, InstrumentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def _repeat(municipality, kim, *, previous_ended, new_started, reason="", linked=True):
    p = ParticipantFactory(municipality=municipality, consultant=kim)
    first = Trajectory.objects.create(
        municipality=municipality, participant=p, consultant=kim, status="closed", started_on=dt.date(2019, 1, 1), ended_on=previous_ended
    )
    Trajectory.objects.create(
        municipality=municipality,
        participant=p,
        consultant=kim,
        status="active" if new_started else "draft",
        started_on=new_started,
        previous=first if linked else None,
        repeat_reason=reason,
    )
    return p


def _has(p, code, today=dt.date(2026, 11, 27)):
    return code in caseload_signals([p], today=today)[p.pk]


@pytest.mark.parametrize("linked", [True, False])
def test_repeat_without_reason_only_within_24_months_of_the_previous_end(municipality, kim, linked):
    within = _repeat(municipality, kim, previous_ended=dt.date(2023, 2, 1), new_started=dt.date(2025, 1, 15), linked=linked)
    assert _has(within, "repeat_without_reason")
    # Ended more than 24 months before the new start: the rule asks no reason, so no signal.
    long_ago = _repeat(municipality, kim, previous_ended=dt.date(2022, 12, 31), new_started=dt.date(2025, 1, 15), linked=linked)
    assert not _has(long_ago, "repeat_without_reason")
    with_reason = _repeat(
        municipality,
        kim,
        previous_ended=dt.date(2024, 6, 1),
        new_started=dt.date(2025, 1, 15),
        reason="Eerst schulden geregeld.",
        linked=linked,
    )
    assert not _has(with_reason, "repeat_without_reason")


def test_a_repeat_not_started_yet_counts_from_the_day_it_was_created(municipality, kim):
    # Created today; the previous one ended 500 days ago (within 24 months) or 800 days ago (not).
    recent = _repeat(municipality, kim, previous_ended=dt.date.today() - dt.timedelta(days=500), new_started=None)
    assert _has(recent, "repeat_without_reason")
    old = _repeat(municipality, kim, previous_ended=dt.date.today() - dt.timedelta(days=800), new_started=None)
    assert not _has(old, "repeat_without_reason")


def _running(municipality, kim, *, status="active", planned_end=dt.date(2025, 12, 31), responded_on=None, last_report=None):
    contract = ContractFactory(provider__municipality=municipality, reporting_interval_days=30, intake_due_days=14, end_report_due_days=14)
    p = ParticipantFactory(municipality=municipality, consultant=kim)
    t = Trajectory.objects.create(municipality=municipality, participant=p, consultant=kim, status="active", started_on=dt.date(2025, 1, 1))
    plan = PlanVersion.objects.create(
        municipality=municipality,
        trajectory=t,
        number=1,
        end_goal_kind="regular_work",
        end_goal="Werk",
        planned_start=dt.date(2025, 1, 1),
        planned_end=planned_end,
        agreed_on=dt.date(2025, 1, 1),
        created_by=kim,
    )
    r = Referral.objects.create(
        municipality=municipality,
        trajectory=t,
        provider=contract.provider,
        contract=contract,
        status=status,
        proposed_on=dt.date(2025, 1, 2),
        responded_on=responded_on,
        intake_on=dt.date(2025, 1, 10) if status != "accepted" else None,
        started_on=dt.date(2025, 1, 15) if status == "active" else None,
    )
    if last_report:
        ProgressReport.objects.create(
            municipality=municipality,
            referral=r,
            due_on=last_report,
            submitted_on=last_report,
            activities="x",
            attendance="good",
            next_steps="y",
            author=kim,
        )
    return p, plan, r


def test_an_overdue_intake_raises_the_provider_overdue_signal(municipality, kim):
    p, _plan, _r = _running(municipality, kim, status="accepted", responded_on=dt.date(2026, 11, 1))
    # Intake due 14 days after acceptance: 2026-11-15.
    assert not _has(p, "report_overdue", today=dt.date(2026, 11, 15))
    assert _has(p, "report_overdue", today=dt.date(2026, 11, 16))


def test_an_overdue_end_report_raises_the_provider_overdue_signal(municipality, kim):
    # Progress reports up to date (last one 2026-11-20, next due 2026-12-20); plan ended 2026-10-31.
    p, plan, r = _running(municipality, kim, planned_end=dt.date(2026, 10, 31), last_report=dt.date(2026, 11, 20))
    # End report due 14 days after the planned end: 2026-11-14.
    assert not _has(p, "report_overdue", today=dt.date(2026, 11, 14))
    assert _has(p, "report_overdue", today=dt.date(2026, 11, 27))
    # The provider's own part runs longer (its last planned instrument): not yet due.
    instrument = InstrumentFactory(municipality=municipality)
    PlannedInstrument.objects.create(
        municipality=municipality,
        plan=plan,
        instrument=instrument,
        provider=r.provider,
        start_date=dt.date(2025, 1, 15),
        end_date=dt.date(2026, 12, 31),
    )
    assert not _has(p, "report_overdue", today=dt.date(2026, 11, 27))


def test_the_overdue_intake_is_counted_on_the_caseload_and_filters(client, municipality, kim):
    p, _plan, _r = _running(municipality, kim, status="accepted", responded_on=dt.date.today() - dt.timedelta(days=30))
    _up_to_date, _plan, _r = _running(municipality, kim, planned_end=dt.date.today() + dt.timedelta(days=300), last_report=dt.date.today())
    client.force_login(kim)
    response = client.get(reverse("participants:caseload"), {"signal": "report_overdue"})
    assert [row.pk for row in response.context["page"]] == [p.pk]
    counts = {code: count for code, _label, count in response.context["signal_counts"]}
    assert counts["report_overdue"] == 1
    assert "Aanbieder te laat met intake of rapportage" in response.content.decode()


def test_an_exemption_ending_within_the_setting_is_a_signal(municipality, kim, settings):
    from maatpak.participants.models import Exemption

    settings.MAATPAK_EXEMPTION_ENDING_DAYS = 30
    today = dt.date(2026, 11, 27)
    p = ParticipantFactory(municipality=municipality, consultant=kim)
    exemption = Exemption.objects.create(
        municipality=municipality,
        participant=p,
        reason="Mantelzorg",
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 12, 27),
        decided_by=kim,
    )
    assert _has(p, "exemption_ending", today)  # 30 days before its end
    assert not _has(p, "exemption_ending", dt.date(2026, 11, 26))  # 31 days before
    assert not _has(p, "exemption_ending", dt.date(2026, 12, 28))  # already ended
    settings.MAATPAK_EXEMPTION_ENDING_DAYS = 60
    assert _has(p, "exemption_ending", dt.date(2026, 11, 1))
    exemption.delete()
    assert not _has(p, "exemption_ending", today)
