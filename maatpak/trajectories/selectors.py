"""Reads of trajectories and their parts, scoped to the user's municipalities."""

from maatpak.core.tenancy import scope_to_user
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
