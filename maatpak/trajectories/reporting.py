"""When a provider owes its reports (rapportageverplichtingen): the intake, the next progress
report and the end report. One selector (`report_dues`) for the provider's overdue list, the
consultant's signals and contract monitoring alike.

Due dates follow the plan version IN FORCE (see PlanVersionQuerySet): a revision still being
agreed never moves the date by which a provider owes its end report.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from maatpak.trajectories.models import (
    RUNNING_REFERRAL_STATUSES,
    EndReport,
    PlannedInstrument,
    PlanVersion,
    ProgressReport,
    ReferralStatus,
)

# Used when a referral has no contract (e.g. an in-house team without a formal contract).
DEFAULT_REPORTING_INTERVAL_DAYS = 42
DEFAULT_END_REPORT_DUE_DAYS = 14
DEFAULT_INTAKE_DUE_DAYS = 14


def reporting_interval_days(referral) -> int:
    return referral.contract.reporting_interval_days if referral.contract_id else DEFAULT_REPORTING_INTERVAL_DAYS


def end_report_days(referral) -> int:
    return referral.contract.end_report_due_days if referral.contract_id else DEFAULT_END_REPORT_DUE_DAYS


def intake_due(referral) -> dt.date | None:
    """An accepted referral's intake is due `intake_due_days` after acceptance."""
    if referral.status != ReferralStatus.ACCEPTED or referral.responded_on is None:
        return None
    days = referral.contract.intake_due_days if referral.contract_id else DEFAULT_INTAKE_DUE_DAYS
    return referral.responded_on + dt.timedelta(days=days)


def next_progress_report_due(referral, last_report_submitted_on: dt.date | None) -> dt.date | None:
    """The date the next progress report is due, or None when none is due.

    Reports run at the contract's rhythm from the latest report, or from the start (or the
    intake when not started yet) when there is no report yet. Only intake-held and active
    referrals owe progress reports.
    """
    if referral.status not in RUNNING_REFERRAL_STATUSES:
        return None
    anchor = last_report_submitted_on or referral.started_on or referral.intake_on
    if anchor is None:
        return None
    return anchor + dt.timedelta(days=reporting_interval_days(referral))


def end_report_due(referral) -> dt.date | None:
    """An ended referral's end report is due `end_report_due_days` after it ended."""
    if referral.ended_on is None:
        return None
    return referral.ended_on + dt.timedelta(days=end_report_days(referral))


def end_report_due_open(referral, planned_end: dt.date | None) -> dt.date | None:
    """For a referral still running: the end report is due `end_report_due_days` after the
    planned end of this provider's part of the plan in force (`planned_ends`). None while
    there is no planned end, or the referral does not run (yet)."""
    if referral.status not in RUNNING_REFERRAL_STATUSES or planned_end is None:
        return None
    return planned_end + dt.timedelta(days=end_report_days(referral))


@dataclass(frozen=True)
class ReportDues:
    """What one referral's provider owes, and by when (None: nothing owed)."""

    intake: dt.date | None = None
    progress_report: dt.date | None = None
    end_report: dt.date | None = None

    def overdue(self, today: dt.date) -> list[tuple[str, dt.date]]:
        """[(what, due date)] of what is past its due date on `today`, in the order above."""
        pairs = (("intake", self.intake), ("progress_report", self.progress_report), ("end_report", self.end_report))
        return [(what, due) for what, due in pairs if due is not None and due < today]


def referral_dues(referral, *, last_report_on: dt.date | None, planned_end: dt.date | None, has_end_report: bool) -> ReportDues:
    """The due dates of one referral, from what `report_dues` loads for many at once.

    The end report is owed after a running referral's planned end, and after a referral ended
    without one — also when the trajectory closed while it ran — unless the provider never
    accepted the referral."""
    if referral.status == ReferralStatus.ENDED:
        end = None if has_end_report or referral.was_never_accepted else end_report_due(referral)
    else:
        end = end_report_due_open(referral, planned_end)
    return ReportDues(intake_due(referral), next_progress_report_due(referral, last_report_on), end)


def planned_ends(referrals) -> dict[int, dt.date | None]:
    """{referral pk: planned end of its provider's part of the plan in force}: the last end date
    of the instruments with that provider in the version in force, else that version's planned
    end. Two queries, whatever the number of referrals."""
    trajectory_ids = {r.trajectory_id for r in referrals}
    in_force = {}  # trajectory id -> (plan id, planned end)
    rows = (
        PlanVersion.objects.filter(trajectory_id__in=trajectory_ids)
        .in_force_first()
        .order_by("trajectory_id", "-signed_by_both", "-number")
        .values_list("trajectory_id", "pk", "planned_end")
    )
    for trajectory_id, plan_id, end in rows:
        in_force.setdefault(trajectory_id, (plan_id, end))
    provider_end = {}
    instruments = PlannedInstrument.objects.filter(plan_id__in=[plan_id for plan_id, _ in in_force.values()], provider__isnull=False)
    for trajectory_id, provider_id, end in instruments.values_list("plan__trajectory_id", "provider_id", "end_date"):
        key = (trajectory_id, provider_id)
        provider_end[key] = max(provider_end.get(key, end), end)
    return {
        r.pk: provider_end.get((r.trajectory_id, r.provider_id)) or (in_force[r.trajectory_id][1] if r.trajectory_id in in_force else None)
        for r in referrals
    }


def report_dues(referrals, *, as_of: dt.date | None = None) -> dict[int, ReportDues]:
    """{referral pk: ReportDues} for any number of referrals (with `contract` loaded), in four
    queries. With `as_of` (monitoring on an earlier reference day), progress reports submitted
    after that day are not counted."""
    referrals = list(referrals)
    if not referrals:
        return {}
    ids = [r.pk for r in referrals]
    reports = ProgressReport.objects.filter(referral_id__in=ids)
    if as_of is not None:
        reports = reports.filter(submitted_on__lte=as_of)
    last_report = dict(reports.values("referral_id").annotate(last=Max("submitted_on")).values_list("referral_id", "last"))
    with_end_report = set(EndReport.objects.filter(referral_id__in=ids).values_list("referral_id", flat=True))
    ends = planned_ends(referrals)
    return {
        r.pk: referral_dues(r, last_report_on=last_report.get(r.pk), planned_end=ends[r.pk], has_end_report=r.pk in with_end_report)
        for r in referrals
    }


def owes_end_report_after_close(referral) -> bool:
    """Ended by the trajectory's closing after the provider had accepted it, without an end
    report yet: the provider still owes that report and may still send it."""
    return (
        referral.status == ReferralStatus.ENDED
        and not referral.was_never_accepted
        and not EndReport.objects.filter(referral=referral).exists()
    )


def report_on_time(*, due_on, submitted_on) -> bool:
    """A report is on time when it was sent on or before its due day (contract monitoring and the
    indicator `reports_on_time` alike)."""
    return submitted_on <= due_on
