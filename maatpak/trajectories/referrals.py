"""The referral's whole life (aanmelding bij een aanbieder): the consultant proposes, the
provider accepts or declines, records the intake and the start, reports progress and ends it
with an end report; the consultant's closing of the trajectory ends whatever is still open.

A referral ends through the provider's `end_report_submit`, or — when the consultant closes the
trajectory first — through `referrals_close_with_trajectory`, so that the provider's access
period starts and access cannot last for ever. The end report is then still owed (and still
accepted) for a referral the provider had accepted. Every report is visible to the consultant at
once and made available to the participant as a copy (`ReportCopy`).

Who may do which step is `trajectories.policies.referral_policy` (family REFERRAL).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.policy import is_participant
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.concurrency import save_versioned
from maatpak.core.text import CASE, check_dates, check_texts
from maatpak.trajectories.models import (
    OPEN_REFERRAL_STATUSES,
    Attendance,
    EndReport,
    GoalProgress,
    GoalProgressLevel,
    HandoverChannel,
    Outcome,
    ProgressReport,
    Referral,
    ReferralStatus,
    ReportCopy,
    ReportKind,
    TrajectoryStatus,
)
from maatpak.trajectories.policies import provider_visible_goals, referral_policy
from maatpak.trajectories.reporting import end_report_due, next_progress_report_due, owes_end_report_after_close


def _own(actor, referral):
    """The provider's steps: only on a referral of the actor's own provider, within its access period."""
    if not referral_policy.allows(actor, "work_on", referral):
        raise PermissionDenied


@transaction.atomic
def referral_propose(*, actor, trajectory, provider, contract=None, shared_information: str = "") -> Referral:
    """The consultant refers the participant to a provider, under one of its contracts, with
    only the information this referral needs. The chain holds: only once both sides signed the
    plan version in force (a signature on paper, recorded by the consultant, counts), so no
    provider starts on a plan the participant never agreed to."""
    if not referral_policy.allows_for_trajectory(actor, "propose", trajectory):
        raise PermissionDenied
    if trajectory.status == TrajectoryStatus.CLOSED:
        raise ValidationError(_("A closed trajectory gets no new referrals."), code="closed")
    if not plan_signed_by_both(trajectory):
        raise ValidationError(
            _(
                "The plan has not been signed by both the participant and the consultant yet. A referral follows the signed plan: "
                "record both signatures first (a signature on paper counts)."
            ),
            code="plan_not_signed",
        )
    if provider.municipality_id != trajectory.municipality_id or (contract is not None and contract.provider_id != provider.pk):
        raise ValidationError({"contract": _("Choose a contract of this provider.")})
    check_texts(Referral, {"shared_information": (shared_information or "").strip()})
    referral = Referral.objects.create(
        municipality_id=trajectory.municipality_id,
        trajectory=trajectory,
        provider=provider,
        contract=contract,
        proposed_on=timezone.localdate(),
        shared_information=(shared_information or "").strip(),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=referral, participant_id=trajectory.participant_id)
    return referral


def plan_signed_by_both(trajectory) -> bool:
    """Did both sides sign the plan version in force (on screen, in the portal or on paper)?"""
    in_force = trajectory.plan_in_force()
    return in_force is not None and in_force.is_signed_by_both


def _require_status(referral, *allowed):
    if referral.status not in allowed:
        raise ValidationError(
            _("This is not possible while the referral is “%(status)s”.") % {"status": referral.get_status_display()}, code="wrong_status"
        )


def _date(value, field, *, not_before=None, not_before_label=""):
    if value is None:
        raise ValidationError({field: _("Enter a date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    check_dates({field: (value, CASE)})
    if not_before and value < not_before:
        raise ValidationError(
            {
                field: _("The date cannot be before %(what)s (%(date)s).")
                % {"what": not_before_label, "date": not_before.strftime("%d-%m-%Y")}
            }
        )


def _step(referral, *, actor, expected_version: int, status, detail=None, **changes):
    """One step in the referral's life cycle: the new status with its date (and reason), saved
    against the version the form showed and written to the audit log."""
    referral.status = status
    for name, value in changes.items():
        setattr(referral, name, value)
    save_versioned(referral, expected_version=expected_version, update_fields=["status", *changes])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        participant_id=referral.trajectory.participant_id,
        detail={"status": status, **(detail or {})},
    )
    return referral


@transaction.atomic
def referral_accept(*, actor, referral, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.PROPOSED)
    return _step(
        referral, actor=actor, expected_version=expected_version, status=ReferralStatus.ACCEPTED, responded_on=timezone.localdate()
    )


@transaction.atomic
def referral_decline(*, actor, referral, reason: str, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.PROPOSED)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for declining, so the consultant can look for another route.")})
    check_texts(Referral, {"decline_reason": reason.strip()}, keys={"decline_reason": "reason"})
    return _step(
        referral,
        actor=actor,
        expected_version=expected_version,
        status=ReferralStatus.DECLINED,
        responded_on=timezone.localdate(),
        decline_reason=reason.strip(),
    )


@transaction.atomic
def referral_record_intake(*, actor, referral, intake_on, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.ACCEPTED)
    _date(intake_on, "intake_on", not_before=referral.responded_on, not_before_label=_("the acceptance"))
    return _step(referral, actor=actor, expected_version=expected_version, status=ReferralStatus.INTAKE, intake_on=intake_on)


@transaction.atomic
def referral_start(*, actor, referral, started_on, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.INTAKE)
    _date(started_on, "started_on", not_before=referral.intake_on, not_before_label=_("the intake"))
    return _step(referral, actor=actor, expected_version=expected_version, status=ReferralStatus.ACTIVE, started_on=started_on)


def _report_add(kind, *, actor, referral, due_on, **content):
    """A provider's progress or end report on the referral, submitted today by `actor`. The
    participant gets a copy in the portal at once (ReportCopy), and the report is audit-logged."""
    model = ProgressReport if kind == ReportKind.PROGRESS else EndReport
    check_texts(model, content)
    report = model.objects.create(
        municipality_id=referral.municipality_id,
        referral=referral,
        due_on=due_on,
        submitted_on=timezone.localdate(),
        author=actor,
        **content,
    )
    ReportCopy.objects.create(
        municipality_id=referral.municipality_id,
        participant_id=referral.trajectory.participant_id,
        made_available_on=report.submitted_on,
        channel=HandoverChannel.PORTAL,
        **{f"{kind}_report": report},
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, participant_id=referral.trajectory.participant_id)
    return report


@transaction.atomic
def progress_report_submit(
    *,
    actor,
    referral,
    activities: str,
    attendance: str,
    next_steps: str,
    goal_progress: dict,
    proposed_rung=None,
    barriers: str = "",
    participant_view: str = "",
    participant_saw_report: bool = False,
) -> ProgressReport:
    """A structured progress report. Its due date follows the contract's rhythm
    (trajectories.reporting), so lateness is measured, not guessed."""
    _own(actor, referral)
    _require_status(referral, ReferralStatus.INTAKE, ReferralStatus.ACTIVE)
    errors = {}
    if not (activities or "").strip():
        errors["activities"] = _("Describe the activities done in this period.")
    if attendance not in Attendance.values:
        errors["attendance"] = _("Choose the attendance.")
    if not (next_steps or "").strip():
        errors["next_steps"] = _("Describe the next steps.")
    if proposed_rung is not None and proposed_rung not in range(1, 7):
        errors["proposed_rung"] = _("The rung is a number from 1 to 6.")
    # The provider reports on exactly the goals it can see (policies.provider_visible_goals):
    # one level for each, and none for a goal it cannot see (health goals, other plan versions).
    # Pages and API both come here, so the rule is the same for both.
    goals = {g.pk: g for g in provider_visible_goals(referral)}
    goal_progress = goal_progress or {}
    if any(goal_id not in goals or level not in GoalProgressLevel.values for goal_id, level in goal_progress.items()):
        errors["goal_progress"] = _("Give the progress for the goals of this participant's plan only.")
    elif set(goals) - set(goal_progress):
        errors["goal_progress"] = _("Give the progress for every intermediate goal.")
    if errors:
        raise ValidationError(errors)
    last = referral.progress_reports.order_by("-submitted_on").values_list("submitted_on", flat=True).first()
    report = _report_add(
        ReportKind.PROGRESS,
        actor=actor,
        referral=referral,
        due_on=next_progress_report_due(referral, last) or timezone.localdate(),
        activities=activities.strip(),
        attendance=attendance,
        proposed_rung=proposed_rung,
        barriers=(barriers or "").strip(),
        next_steps=next_steps.strip(),
        participant_view=(participant_view or "").strip(),
        participant_saw_report=bool(participant_saw_report),
    )
    for goal_id, level in goal_progress.items():
        GoalProgress.objects.create(municipality_id=referral.municipality_id, report=report, goal=goals[goal_id], level=level)
    return report


@transaction.atomic
def referrals_close_with_trajectory(*, actor, trajectory, closed_on: dt.date) -> list:
    """End every open referral (proposed, accepted, intake, active) of a trajectory being closed,
    on the closing date. Called by trajectories.services.trajectory_close; without it a referral
    left open would keep the provider's access open for ever. The access period after the end
    (trajectories.policies) starts on `closed_on`."""
    if not referral_policy.allows_for_trajectory(actor, "close", trajectory):
        raise PermissionDenied
    if closed_on is None:
        raise ValidationError({"submitted_on": _("Enter a date.")})
    ended = []
    for referral in (
        Referral.objects.select_for_update()
        .filter(trajectory=trajectory, status__in=OPEN_REFERRAL_STATUSES)
        .select_related("provider")
        .order_by("pk")
    ):
        begun = referral.started_on or referral.intake_on or referral.responded_on or referral.proposed_on
        if closed_on < begun:
            raise ValidationError(
                {
                    "submitted_on": _("The trajectory cannot close before the referral to %(provider)s began (%(date)s).")
                    % {"provider": referral.provider.name, "date": begun.strftime("%d-%m-%Y")}
                },
                code="before_referral",
            )
        detail = {"previous_status": referral.status, "reason": "trajectory closed"}
        ended.append(
            _step(referral, actor=actor, expected_version=referral.version, status=ReferralStatus.ENDED, ended_on=closed_on, detail=detail)
        )
    return ended


@transaction.atomic
def end_report_submit(
    *, actor, referral, conclusion: str, outcome: str, recommendation: str, ended_on: dt.date | None, expected_version: int
) -> EndReport:
    """A referral ends with an end report (conclusion, outcome, recommendation). For a referral
    that already ended with its trajectory the report is still owed: it is accepted then, and
    the end date stays the trajectory's closing date."""
    _own(actor, referral)
    already_ended = owes_end_report_after_close(referral)
    if not already_ended:
        _require_status(referral, ReferralStatus.ACCEPTED, ReferralStatus.INTAKE, ReferralStatus.ACTIVE)
    errors = {}
    if not (conclusion or "").strip():
        errors["conclusion"] = _("A referral ends only with an end report: write the conclusion.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if not (recommendation or "").strip():
        errors["recommendation"] = _("Give your recommendation for what should happen next.")
    if errors:
        raise ValidationError(errors)
    if already_ended:
        if ended_on is not None and ended_on != referral.ended_on:
            raise ValidationError(
                {
                    "ended_on": _("This referral already ended on %(date)s, when the trajectory was closed.")
                    % {"date": referral.ended_on.strftime("%d-%m-%Y")}
                }
            )
        # Nothing on the referral changes, but a stale form is still refused.
        save_versioned(referral, expected_version=expected_version, update_fields=[])
    else:
        _date(
            ended_on,
            "ended_on",
            not_before=referral.started_on or referral.intake_on or referral.proposed_on,
            not_before_label=_("the start"),
        )
        referral.status, referral.ended_on = ReferralStatus.ENDED, ended_on
        save_versioned(referral, expected_version=expected_version, update_fields=["status", "ended_on"])
    return _report_add(
        ReportKind.END,
        actor=actor,
        referral=referral,
        due_on=end_report_due(referral),
        trajectory=referral.trajectory,
        conclusion=conclusion.strip(),
        outcome=outcome,
        recommendation=recommendation.strip(),
    )


def report_copy_record_download(*, actor, report, kind: str) -> None:
    """The participant downloaded their copy of a report as PDF: record the first time (the
    seeds: nobody knew whether people ever got their reports). Anyone else's download is only
    audit-logged, as an export."""
    if is_participant(actor):
        ReportCopy.objects.filter(**{f"{kind}_report": report}, downloaded_on__isnull=True).update(downloaded_on=timezone.localdate())


@transaction.atomic
def report_copies_mark_viewed(*, participant, today=None) -> int:
    """The participant opened their reports: record the first time on every copy not yet seen,
    so the municipality can show a participant really received the reports about them.
    Later views do not move the date (a read receipt, like the audit log's read events, so it is
    written when the page is read). Returns how many copies were marked."""
    return ReportCopy.objects.filter(participant=participant, first_viewed_on__isnull=True).update(
        first_viewed_on=today or timezone.localdate()
    )
