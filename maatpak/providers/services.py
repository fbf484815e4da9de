"""The referral's life at the provider: accept or decline, intake, start, report, end.

A referral ends through the provider's `end_report_submit`, or — when the consultant closes the
trajectory first — through `referrals_close_with_trajectory`, so that the provider's access
period starts and access cannot last for ever. The end report is then still owed (and still
accepted) for a referral the provider had accepted. Every report is visible to the consultant at
once and made available to the participant as a copy.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.concurrency import save_versioned
from maatpak.providers.access import OPEN_STATUSES, provider_referral_queryset, visible_goals
from maatpak.providers.models import ReportCopy
from maatpak.providers.reporting import end_report_due, next_progress_report_due
from maatpak.trajectories.models import Attendance, EndReport, GoalProgress, GoalProgressLevel, Outcome, ProgressReport, ReferralStatus


def _own(actor, referral):
    if not provider_referral_queryset(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied


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
    if not_before and value < not_before:
        raise ValidationError(
            {
                field: _("The date cannot be before %(what)s (%(date)s).")
                % {"what": not_before_label, "date": not_before.strftime("%d-%m-%Y")}
            }
        )


@transaction.atomic
def referral_accept(*, actor, referral, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.PROPOSED)
    referral.status, referral.responded_on = ReferralStatus.ACCEPTED, timezone.localdate()
    save_versioned(referral, expected_version=expected_version, update_fields=["status", "responded_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        participant_id=referral.trajectory.participant_id,
        detail={"status": "accepted"},
    )
    return referral


@transaction.atomic
def referral_decline(*, actor, referral, reason: str, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.PROPOSED)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for declining, so the consultant can look for another route.")})
    referral.status, referral.responded_on, referral.decline_reason = ReferralStatus.DECLINED, timezone.localdate(), reason.strip()
    save_versioned(referral, expected_version=expected_version, update_fields=["status", "responded_on", "decline_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        participant_id=referral.trajectory.participant_id,
        detail={"status": "declined"},
    )
    return referral


@transaction.atomic
def referral_record_intake(*, actor, referral, intake_on, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.ACCEPTED)
    _date(intake_on, "intake_on", not_before=referral.responded_on, not_before_label=_("the acceptance"))
    referral.status, referral.intake_on = ReferralStatus.INTAKE, intake_on
    save_versioned(referral, expected_version=expected_version, update_fields=["status", "intake_on"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=referral, participant_id=referral.trajectory.participant_id, detail={"status": "intake"}
    )
    return referral


@transaction.atomic
def referral_start(*, actor, referral, started_on, expected_version: int):
    _own(actor, referral)
    _require_status(referral, ReferralStatus.INTAKE)
    _date(started_on, "started_on", not_before=referral.intake_on, not_before_label=_("the intake"))
    referral.status, referral.started_on = ReferralStatus.ACTIVE, started_on
    save_versioned(referral, expected_version=expected_version, update_fields=["status", "started_on"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=referral, participant_id=referral.trajectory.participant_id, detail={"status": "active"}
    )
    return referral


def _make_copy(referral, **report):
    ReportCopy.objects.create(
        municipality_id=referral.municipality_id,
        participant_id=referral.trajectory.participant_id,
        made_available_on=timezone.localdate(),
        channel="portal",
        **report,
    )


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
    (providers.reporting), so lateness is measured, not guessed."""
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
    # The provider reports on exactly the goals it can see (providers.access.visible_goals):
    # one level for each, and none for a goal it cannot see (health goals, other plan versions).
    # Pages and API both come here, so the rule is the same for both.
    goals = {g.pk: g for g in visible_goals(referral)}
    goal_progress = goal_progress or {}
    if any(goal_id not in goals or level not in GoalProgressLevel.values for goal_id, level in goal_progress.items()):
        errors["goal_progress"] = _("Give the progress for the goals of this participant's plan only.")
    elif set(goals) - set(goal_progress):
        errors["goal_progress"] = _("Give the progress for every intermediate goal.")
    if errors:
        raise ValidationError(errors)
    last = referral.progress_reports.order_by("-submitted_on").values_list("submitted_on", flat=True).first()
    today = timezone.localdate()
    due = next_progress_report_due(referral, last) or today
    report = ProgressReport.objects.create(
        municipality_id=referral.municipality_id,
        referral=referral,
        due_on=due,
        submitted_on=today,
        activities=activities.strip(),
        attendance=attendance,
        proposed_rung=proposed_rung,
        barriers=(barriers or "").strip(),
        next_steps=next_steps.strip(),
        participant_view=(participant_view or "").strip(),
        participant_saw_report=bool(participant_saw_report),
        author=actor,
    )
    for goal_id, level in goal_progress.items():
        GoalProgress.objects.create(municipality_id=referral.municipality_id, report=report, goal=goals[goal_id], level=level)
    _make_copy(referral, progress_report=report)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, participant_id=referral.trajectory.participant_id)
    return report


def never_accepted(referral) -> bool:
    """Ended while still only proposed (its trajectory closed first): the provider never took
    the referral on, so contract monitoring does not count it against the provider."""
    return (
        referral.status == ReferralStatus.ENDED
        and referral.responded_on is None
        and referral.intake_on is None
        and referral.started_on is None
    )


def ended_with_trajectory_awaiting_report(referral) -> bool:
    """Ended by the trajectory's closing after the provider had accepted it, without an end
    report yet: the provider still owes that report and may still send it."""
    return (
        referral.status == ReferralStatus.ENDED
        and not never_accepted(referral)
        and not EndReport.objects.filter(referral=referral).exists()
    )


@transaction.atomic
def referrals_close_with_trajectory(*, actor, trajectory, closed_on: dt.date) -> list:
    """End every open referral (proposed, accepted, intake, active) of a trajectory being closed,
    on the closing date. Called by trajectories.services.trajectory_close; without it a referral
    left open would keep the provider's access open for ever. The access period after the end
    (providers.access) starts on `closed_on`."""
    from maatpak.participants.policies import dossier_policy
    from maatpak.trajectories.models import Referral

    if actor.role not in (Role.CONSULTANT, Role.TEAM_LEAD) or not dossier_policy.allows(actor, "change", trajectory.participant):
        raise PermissionDenied
    if closed_on is None:
        raise ValidationError({"submitted_on": _("Enter a date.")})
    ended = []
    for referral in (
        Referral.objects.select_for_update()
        .filter(trajectory=trajectory, status__in=OPEN_STATUSES)
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
        previous = referral.status
        referral.status, referral.ended_on = ReferralStatus.ENDED, closed_on
        save_versioned(referral, expected_version=referral.version, update_fields=["status", "ended_on"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            participant_id=trajectory.participant_id,
            detail={"status": "ended", "previous_status": previous, "reason": "trajectory closed"},
        )
        ended.append(referral)
    return ended


@transaction.atomic
def end_report_submit(
    *, actor, referral, conclusion: str, outcome: str, recommendation: str, ended_on: dt.date | None, expected_version: int
) -> EndReport:
    """A referral ends with an end report (conclusion, outcome, recommendation). For a referral
    that already ended with its trajectory the report is still owed: it is accepted then, and
    the end date stays the trajectory's closing date."""
    _own(actor, referral)
    already_ended = ended_with_trajectory_awaiting_report(referral)
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
    report = EndReport.objects.create(
        municipality_id=referral.municipality_id,
        trajectory=referral.trajectory,
        referral=referral,
        due_on=end_report_due(referral),
        submitted_on=timezone.localdate(),
        conclusion=conclusion.strip(),
        outcome=outcome,
        recommendation=recommendation.strip(),
        author=actor,
    )
    _make_copy(referral, end_report=report)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, participant_id=referral.trajectory.participant_id)
    return report
