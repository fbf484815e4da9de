"""Requirement (issue 12, item 2): one rule for the dates a provider owes its reports, based on
the plan version IN FORCE, used by the provider's overdue list, the consultant's signals and
contract monitoring alike. A revision still being agreed (or agreed but not yet signed by both)
must not move any due date; once both sides signed it, it does — in all three at once.

Before this, the provider's overdue list and the consultant's signals took the newest version,
so an unagreed revision moved the date by which a provider owes its end report."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.casework.alerts import caseload_signals
from maatpak.insights.monitoring import contract_monitoring
from maatpak.trajectories.models import (
    PlannedInstrument,
    PlanVersion,
    ProgressReport,
    Referral,
    ReferralStatus,
    Signature,
    SignatureMethod,
    SignatureParty,
    Trajectory,
    TrajectoryStatus,
)
from maatpak.trajectories.reporting import ReportDues, planned_ends, report_dues
from tests.factories import ContractFactory, InstrumentFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
PLANNED_END = TODAY - dt.timedelta(days=60)  # the provider's part ended two months ago ...
END_REPORT_DUE = PLANNED_END + dt.timedelta(days=14)  # ... so its end report was due 46 days ago
LATER_END = TODAY + dt.timedelta(days=300)  # what a revision proposes


def _version(trajectory, number, planned_end, provider, *, agreed_on=None):
    plan = PlanVersion.objects.create(
        municipality=trajectory.municipality,
        trajectory=trajectory,
        number=number,
        change_reason="Tempo verlaagd" if number > 1 else "",
        end_goal_kind="regular_work",
        end_goal="Werk",
        planned_start=TODAY - dt.timedelta(days=200),
        planned_end=planned_end,
        agreed_on=agreed_on,
        created_by=trajectory.consultant,
    )
    PlannedInstrument.objects.create(
        municipality=trajectory.municipality,
        plan=plan,
        instrument=InstrumentFactory(municipality=trajectory.municipality),
        provider=provider,
        start_date=TODAY - dt.timedelta(days=190),
        end_date=planned_end,
    )
    return plan


def _sign(plan):
    for party in SignatureParty:
        Signature.objects.create(
            municipality=plan.municipality,
            plan=plan,
            party=party,
            signer_name="X",
            signed_on=TODAY - dt.timedelta(days=5),
            method=SignatureMethod.PAPER,
            recorded_by=plan.created_by,
        )


@pytest.fixture
def world(municipality, consultant):
    """An active referral whose provider's part of the signed plan ended two months ago, without
    an end report; its latest progress report is recent (so only the end report is late)."""
    contract = ContractFactory(
        provider__municipality=municipality, provider__name="Werkfit", end_report_due_days=14, reporting_interval_days=30
    )
    provider = contract.provider
    participant = ParticipantFactory(municipality=municipality, consultant=consultant)
    trajectory = Trajectory.objects.create(
        municipality=municipality,
        participant=participant,
        consultant=consultant,
        status=TrajectoryStatus.ACTIVE,
        started_on=TODAY - dt.timedelta(days=200),
    )
    first = _version(trajectory, 1, PLANNED_END, provider, agreed_on=TODAY - dt.timedelta(days=210))
    _sign(first)
    referral = Referral.objects.create(
        municipality=municipality,
        trajectory=trajectory,
        provider=provider,
        contract=contract,
        status=ReferralStatus.ACTIVE,
        proposed_on=TODAY - dt.timedelta(days=200),
        responded_on=TODAY - dt.timedelta(days=199),
        intake_on=TODAY - dt.timedelta(days=195),
        started_on=TODAY - dt.timedelta(days=190),
    )
    ProgressReport.objects.create(
        municipality=municipality,
        referral=referral,
        due_on=TODAY,
        submitted_on=TODAY - dt.timedelta(days=3),
        activities="a",
        attendance="good",
        next_steps="n",
        author=consultant,
    )
    return {
        "referral": referral,
        "trajectory": trajectory,
        "participant": participant,
        "provider": provider,
        "coach": UserFactory(role="provider_staff", municipalities=[municipality], provider=provider),
        "officer": UserFactory(role="policy_officer", municipalities=[municipality]),
    }


def _provider_list(client, world) -> list:
    client.force_login(world["coach"])
    return [(str(o["what"]), o["due"]) for o in client.get(reverse("providers:portal")).context["overdue"]]


def _signal(world) -> bool:
    return "report_overdue" in caseload_signals([world["participant"]], today=TODAY)[world["participant"].pk]


def _missing_end_reports(world) -> int:
    result = contract_monitoring(user=world["officer"], period_start=TODAY - dt.timedelta(days=180), period_end=TODAY, today=TODAY)
    return next(f for f in result["providers"] if f.provider == "Werkfit").missing_end_reports


def _all_three(client, world):
    return _provider_list(client, world), _signal(world), _missing_end_reports(world)


OVERDUE = ([("Eindrapportage", END_REPORT_DUE)], True, 1)  # the page is in Dutch


def test_the_selector_reckons_from_the_plan_in_force(world):
    referral = world["referral"]
    assert planned_ends([referral]) == {referral.pk: PLANNED_END}
    assert report_dues([referral]) == {
        referral.pk: ReportDues(intake=None, progress_report=TODAY + dt.timedelta(days=27), end_report=END_REPORT_DUE)
    }
    assert report_dues([referral])[referral.pk].overdue(TODAY) == [("end_report", END_REPORT_DUE)]


def test_a_draft_revision_moves_no_due_date_in_any_of_the_three(client, world):
    assert _all_three(client, world) == OVERDUE
    _version(world["trajectory"], 2, LATER_END, world["provider"])  # being written, not agreed
    assert _all_three(client, world) == OVERDUE
    assert report_dues([world["referral"]])[world["referral"].pk].end_report == END_REPORT_DUE


def test_an_agreed_revision_moves_the_dates_only_once_both_sides_signed_it(client, world):
    revision = _version(world["trajectory"], 2, LATER_END, world["provider"], agreed_on=TODAY)
    # Agreed, not signed: version 1 stays in force (the participant's obligations too).
    assert world["trajectory"].plan_in_force().number == 1
    assert _all_three(client, world) == OVERDUE
    _sign(revision)
    assert world["trajectory"].plan_in_force() == revision
    assert _all_three(client, world) == ([], False, 0)


def test_without_instruments_of_the_provider_the_plans_own_end_counts(world):
    """The provider's part ends with its last instrument in the plan in force, else with the plan."""
    PlannedInstrument.objects.filter(plan__trajectory=world["trajectory"]).update(provider=None)
    assert planned_ends([world["referral"]]) == {world["referral"].pk: PLANNED_END}
