"""Reads for the portal, always starting from the participant's own rows."""

from django.db.models import Prefetch
from django.http import Http404

from maatpak.portal.models import ConsultantChangeRequest, Message, ReportReaction
from maatpak.trajectories.models import EndReport, PlanVersion, ProgressReport, ReportKind, Trajectory, TrajectoryStatus


def portal_trajectory_current(*, participant):
    """The trajectory the participant is in now (or most recently), not a draft being written."""
    return (
        Trajectory.objects.filter(participant=participant)
        .exclude(status=TrajectoryStatus.DRAFT)
        .select_related("consultant")
        .order_by("-started_on", "-id")
        .first()
    )


def portal_plan_versions(*, trajectory):
    """Every version except a revision the consultant is still preparing: that draft is not yet
    the participant's plan (the version in force stays readable and signable meanwhile)."""
    return (
        PlanVersion.objects.filter(trajectory=trajectory)
        .without_draft_revisions()
        .select_related("created_by")
        .prefetch_related("goals", "agreements", "ideas", "signatures", "handovers", "instruments__instrument", "instruments__provider")
        .order_by("number")
    )


def portal_plan_version_get(*, participant, number: int) -> PlanVersion:
    version = (
        portal_plan_versions(trajectory=portal_trajectory_current(participant=participant)).filter(number=number).first()
        if portal_trajectory_current(participant=participant)
        else None
    )
    if version is None:
        raise Http404
    return version


def portal_has_draft(*, participant) -> bool:
    return Trajectory.objects.filter(participant=participant, status=TrajectoryStatus.DRAFT).exists()


def portal_progress_reports(*, participant):
    reactions = Prefetch("reactions", queryset=ReportReaction.objects.order_by("created_at"))
    return (
        ProgressReport.objects.filter(referral__trajectory__participant=participant)
        .select_related("referral__provider", "referral__trajectory__consultant", "author")
        .prefetch_related(reactions, "goal_progress__goal")
        .order_by("-submitted_on", "-id")
    )


def portal_end_reports(*, participant):
    reactions = Prefetch("reactions", queryset=ReportReaction.objects.order_by("created_at"))
    return (
        EndReport.objects.filter(trajectory__participant=participant)
        .select_related("referral__provider", "trajectory__consultant", "author")
        .prefetch_related(reactions)
        .order_by("-submitted_on", "-id")
    )


def portal_report_get(*, participant, kind: str, pk: int):
    """A report about this participant, or 404 (also for someone else's report)."""
    queryset = {ReportKind.PROGRESS: portal_progress_reports, ReportKind.END: portal_end_reports}.get(kind)
    if queryset is None:
        raise Http404
    report = queryset(participant=participant).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def portal_messages(*, participant):
    return Message.objects.filter(participant=participant).select_related("sender").order_by("-created_at")


def portal_change_requests(*, participant):
    return ConsultantChangeRequest.objects.filter(participant=participant).select_related("answered_by").order_by("-created_at")
