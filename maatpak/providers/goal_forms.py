"""The form with which the consultant confirms or corrects an intermediate goal's status
(trajectories.goals.goal_status_confirm). It sits on the report page (prefilled from the
provider's proposal) and on the goal page of the plan; both post to the goal page
(casework.goal_views), which is why it lives here, below casework."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatpak.core.text import CheckedForm
from maatpak.trajectories.goals import PROPOSED_STATUS
from maatpak.trajectories.models import GoalStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalStatusForm(CheckedForm):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    status_on = forms.DateField(label=_("Applies from"), required=False, widget=DATE, help_text=_("Not needed for “open”."))
    from_progress = forms.IntegerField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    @staticmethod
    def prefix_for(goal) -> str:
        """Every form about one goal has the same prefix: the goal page binds what any of them posts,
        and several forms on one page keep distinct field ids."""
        return f"goal-{goal.pk}"

    @classmethod
    def for_goal(cls, goal, *, next_url=""):
        """Unbound, showing the goal's current status."""
        return cls(
            prefix=cls.prefix_for(goal),
            initial={"status": goal.status, "status_on": goal.reached_on or timezone.localdate(), "next": next_url},
        )

    @classmethod
    def for_proposal(cls, progress, *, next_url=""):
        """Unbound, prefilled from a provider's proposal (its level and the report's date)."""
        return cls(
            prefix=cls.prefix_for(progress.goal),
            initial={
                "status": PROPOSED_STATUS.get(progress.level, GoalStatus.OPEN),
                "status_on": progress.report.submitted_on,
                "from_progress": progress.pk,
                "next": next_url,
            },
        )
