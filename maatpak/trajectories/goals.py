"""The status of an intermediate goal (tussendoel), as the consultant confirms it.

A provider's progress report only proposes a level per goal (GoalProgress: none / some /
reached); the consultant confirms or corrects it — reached, partly reached, not reached, or back
to open — with the date it applies from. The goal then records who set it and, when it came
from a report, which proposal. The analyses (seed 003: "about half improved on at least one
intermediate goal") read only these confirmed statuses.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.text import CASE, check_dates
from maatpak.trajectories.models import Goal, GoalProgress, GoalProgressLevel, GoalStatus, Trajectory, TrajectoryStatus
from maatpak.trajectories.policies import trajectory_policy

# What a provider's proposed level means as a status, the starting point of the consultant's
# confirmation ("bevestigen / aanpassen").
PROPOSED_STATUS = {
    GoalProgressLevel.REACHED: GoalStatus.REACHED,
    GoalProgressLevel.SOME: GoalStatus.PARTLY_REACHED,
    GoalProgressLevel.NONE: GoalStatus.NOT_REACHED,
}

# Statuses the analyses count as improvement on a goal (reached, or partly reached).
IMPROVED_STATUSES = frozenset({GoalStatus.REACHED, GoalStatus.PARTLY_REACHED})


def plan_started_on(trajectory: Trajectory) -> dt.date | None:
    """The day the plan started: the trajectory's start, or before that the first version's planned start."""
    if trajectory.started_on:
        return trajectory.started_on
    first = trajectory.plan_versions.order_by("number").first()
    return first.planned_start if first else None


def goal_in_force(goal: Goal) -> bool:
    """Is the goal part of the plan version in force (the one whose goals are followed up)?"""
    in_force = goal.plan.trajectory.plan_in_force()
    return in_force is not None and in_force.pk == goal.plan_id and goal.plan.trajectory.status != TrajectoryStatus.DRAFT


def _check_date(status_on, trajectory) -> None:
    if status_on is None:
        raise ValidationError({"status_on": _("Enter the date from which this status applies.")})
    if status_on > timezone.localdate():
        raise ValidationError({"status_on": _("The date cannot be in the future.")})
    check_dates({"status_on": (status_on, CASE)})
    started = plan_started_on(trajectory)
    if started is not None and status_on < started:
        raise ValidationError(
            {"status_on": _("The date cannot be before the plan started (%(date)s).") % {"date": started.strftime("%d-%m-%Y")}}
        )


@transaction.atomic
def goal_status_confirm(
    *, actor, goal: Goal, status: str, status_on: dt.date | None = None, from_progress: GoalProgress | None = None
) -> Goal:
    """Confirm or correct the status of an intermediate goal of the plan in force.

    `status_on` is the date the status applies from (not in the future, not before the plan
    started); for "open" it is cleared. `from_progress` is the provider's proposal this
    confirms, if any: it must be a proposal on this goal."""
    trajectory = goal.plan.trajectory
    if not trajectory_policy.allows(actor, "confirm_goal", trajectory):
        raise PermissionDenied
    if not goal_in_force(goal):
        raise ValidationError(
            _("Only the goals of the plan that applies now get a status. This goal belongs to another version of the plan."),
            code="not_in_force",
        )
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose the status of the goal.")})
    if from_progress is not None and from_progress.goal_id != goal.pk:
        raise ValidationError(_("This proposal from a progress report is about another goal."), code="other_goal")
    if status == GoalStatus.OPEN:
        status_on, from_progress = None, None
    else:
        _check_date(status_on, trajectory)
    before = {"status": goal.status, "reached_on": goal.reached_on.isoformat() if goal.reached_on else None}
    goal.status, goal.reached_on, goal.status_set_by, goal.status_from_progress = status, status_on, actor, from_progress
    goal.save(update_fields=["status", "reached_on", "status_set_by", "status_from_progress", "updated_at"])
    # A revision being written meanwhile holds a copy of this goal: it gets the same status, so
    # the confirmation is not lost when the revision comes into force.
    goal.copies.filter(plan__number__gt=goal.plan.number).update(
        status=status, reached_on=status_on, status_set_by=actor, status_from_progress=from_progress
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=goal,
        participant_id=trajectory.participant_id,
        purpose="confirm intermediate goal",
        detail={
            "before": before,
            "status": status,
            "reached_on": status_on.isoformat() if status_on else None,
            "from_progress": from_progress.pk if from_progress else None,
        },
    )
    return goal
