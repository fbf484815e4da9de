"""The status of one intermediate goal: the consultant confirms or corrects it (trajectories.goals).

The plan page links here for every goal of the plan in force; the report page of a progress
report posts its "bevestigen / aanpassen" forms here, prefilled from the provider's proposal.
A refused form comes back on this page with its errors next to the fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.errors import add_service_errors
from maatpak.participants.policies import purpose_redirect
from maatpak.providers.goal_forms import GoalStatusForm
from maatpak.trajectories.goals import goal_in_force, goal_status_confirm
from maatpak.trajectories.models import Goal, GoalProgress
from maatpak.trajectories.selectors import trajectory_get


def _goal_or_404(trajectory, goal_pk) -> Goal:
    goal = Goal.objects.filter(pk=goal_pk, plan__trajectory=trajectory).select_related("plan", "status_set_by").first()
    if goal is None:
        raise Http404
    return goal


def _proposal_or_404(goal, pk) -> GoalProgress | None:
    """The provider's proposal a confirmation refers to: one about this goal, or 404."""
    if pk is None:
        return None
    progress = GoalProgress.objects.filter(pk=pk, goal=goal).select_related("report").first()
    if progress is None:
        raise Http404
    return progress


def _back(request, trajectory, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return reverse("trajectories:detail", args=[trajectory.pk]) + "#goal"


@login_required
@require_http_methods(["GET", "POST"])
def goal_status(request, pk, goal_pk):
    """Confirm or correct the status of a goal (reached, partly reached, not reached, open) with
    the date it applies from; the page shows the providers' proposals for it."""
    trajectory = trajectory_get(user=request.user, pk=pk, action="confirm_goal")
    goal = _goal_or_404(trajectory, goal_pk)
    next_url = None if request.method == "GET" else reverse("trajectories:detail", args=[trajectory.pk])
    if asked := purpose_redirect(request, trajectory.participant, next_url=next_url):
        return asked
    status = 200
    if request.method == "POST":
        form = GoalStatusForm(request.POST, prefix=GoalStatusForm.prefix_for(goal))
        if form.is_valid():
            data = form.cleaned_data
            try:
                goal_status_confirm(
                    actor=request.user,
                    goal=goal,
                    status=data["status"],
                    status_on=data["status_on"],
                    from_progress=_proposal_or_404(goal, data["from_progress"]),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The status of the goal has been saved."))
                return redirect(_back(request, trajectory, data["next"]))
        status = 400
    else:
        form = GoalStatusForm.for_goal(goal, next_url=request.GET.get("next", ""))
    audit_record(
        actor=request.user, action=AuditAction.READ, obj=goal, participant_id=trajectory.participant_id, purpose="intermediate goal status"
    )
    proposals = goal.progress.select_related("report__referral__provider").order_by("-report__submitted_on", "-id")
    context = {
        "trajectory": trajectory,
        "participant": trajectory.participant,
        "goal": goal,
        "in_force": goal_in_force(goal),
        "proposals": proposals,
        "form": form,
    }
    return render(request, "trajectories/goal_status.html", context, status=status)
