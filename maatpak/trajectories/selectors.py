"""Reads of trajectories, referrals and reports, through their permission policies
(trajectories.policies)."""

from django.http import Http404

from maatpak.core.tenancy import scope_to_user
from maatpak.trajectories.models import EndReport, Instrument, ProgressReport, Referral, ReportKind, Trajectory
from maatpak.trajectories.policies import REPORT_POLICIES, referral_policy, trajectory_policy


def instrument_list(*, user):
    return scope_to_user(Instrument.objects.all(), user)


def trajectory_list(*, user):
    return scope_to_user(Trajectory.objects.all(), user)


def trajectory_get(*, user, pk, action: str = "change") -> Trajectory:
    """The trajectory if the user may do `action` on it; 404 otherwise, so nobody learns that it
    exists. The default is the consultant's working relation: the plan pages and the API work on
    the trajectory (a participant reads their plan in the portal, never here)."""
    return trajectory_policy.get(
        user,
        action,
        pk,
        queryset=Trajectory.objects.select_related("participant", "consultant", "closing_report", "previous__closing_report"),
    )


def referral_get(*, user, pk, action: str = "work_on") -> Referral:
    """A referral the user may do `action` on (by default: the provider's work on its own
    referral, within the access period), or 404."""
    return referral_policy.get(
        user, action, pk, queryset=Referral.objects.select_related("trajectory__participant__municipality", "contract", "provider")
    )


def provider_referrals(*, user):
    """The referrals the user's provider works on (open, or within the access period), with
    what their pages show."""
    return referral_policy.instances_for(user, "work_on").select_related("trajectory__participant__municipality", "contract", "provider")


def report_get(*, user, kind: str, pk) -> ProgressReport | EndReport:
    """A provider report (a ReportKind) for whoever may read it — the participant's
    consultant or team lead, staff of the provider that holds the referral (within its access
    period), or the participant it is about — else 404, as for a report that does not exist."""
    policy = REPORT_POLICIES.get(kind)
    if policy is None:
        raise Http404
    related = ["author", "referral__provider", "referral__trajectory__participant"]
    if kind == ReportKind.END:
        related.append("trajectory__participant")
    return policy.get(user, "view", pk, queryset=policy.model.objects.select_related(*related))
