"""Reads of trajectories and their parts, scoped to the user's municipalities."""

from django.http import Http404

from maatpak.core.tenancy import scope_to_user
from maatpak.participants.policies import dossier_policy
from maatpak.trajectories.models import EndReport, Instrument, ProgressReport, Referral, Sanction, Trajectory


def instrument_list(*, user):
    return scope_to_user(Instrument.objects.all(), user)


def trajectory_list(*, user):
    return scope_to_user(Trajectory.objects.all(), user)


def referral_list(*, user):
    return scope_to_user(Referral.objects.all(), user)


def progress_report_list(*, user):
    return scope_to_user(ProgressReport.objects.all(), user)


def end_report_list(*, user):
    return scope_to_user(EndReport.objects.all(), user)


def sanction_list(*, user):
    return scope_to_user(Sanction.objects.all(), user)


def trajectory_get(*, user, pk) -> Trajectory:
    """The trajectory if its participant's dossier is open to the user (the one access rule in
    participants.access); 404 otherwise, so nobody learns that it exists."""
    trajectory = (
        Trajectory.objects.filter(pk=pk, participant__in=dossier_policy.instances_for(user, "view"))
        .select_related("participant", "consultant", "closing_report", "previous__closing_report")
        .first()
    )
    if trajectory is None:
        raise Http404
    return trajectory
