"""When a provider's reports are due. One place for the rule, used by the consultant's signals,
the provider's overdue list and contract monitoring alike."""

import datetime as dt

from maatpak.trajectories.models import ReferralStatus

# Used when a referral has no contract (e.g. an in-house team without a formal contract).
DEFAULT_REPORTING_INTERVAL_DAYS = 42
DEFAULT_END_REPORT_DUE_DAYS = 14
DEFAULT_INTAKE_DUE_DAYS = 14


def reporting_interval_days(referral) -> int:
    return referral.contract.reporting_interval_days if referral.contract_id else DEFAULT_REPORTING_INTERVAL_DAYS


def next_progress_report_due(referral, last_report_submitted_on: dt.date | None) -> dt.date | None:
    """The date the next progress report is due, or None when none is due.

    Reports run at the contract's rhythm from the latest report, or from the start (or the
    intake when not started yet) when there is no report yet. Only intake-held and active
    referrals owe progress reports.
    """
    if referral.status not in (ReferralStatus.INTAKE, ReferralStatus.ACTIVE):
        return None
    anchor = last_report_submitted_on or referral.started_on or referral.intake_on
    if anchor is None:
        return None
    return anchor + dt.timedelta(days=reporting_interval_days(referral))


def end_report_days(referral) -> int:
    return referral.contract.end_report_due_days if referral.contract_id else DEFAULT_END_REPORT_DUE_DAYS


def end_report_due(referral) -> dt.date | None:
    """An ended referral's end report is due `end_report_due_days` after it ended."""
    if referral.ended_on is None:
        return None
    return referral.ended_on + dt.timedelta(days=end_report_days(referral))


def end_report_due_open(referral, planned_end: dt.date | None) -> dt.date | None:
    """For a referral still running: the end report is due `end_report_due_days` after the
    planned end of this provider's part of the plan (the last planned instrument with it).
    None while there is no planned end, or the referral does not run (yet)."""
    if referral.status not in (ReferralStatus.INTAKE, ReferralStatus.ACTIVE) or planned_end is None:
        return None
    return planned_end + dt.timedelta(days=end_report_days(referral))


def intake_due(referral) -> dt.date | None:
    """An accepted referral's intake is due `intake_due_days` after acceptance."""
    if referral.status != ReferralStatus.ACCEPTED or referral.responded_on is None:
        return None
    days = referral.contract.intake_due_days if referral.contract_id else DEFAULT_INTAKE_DUE_DAYS
    return referral.responded_on + dt.timedelta(days=days)
