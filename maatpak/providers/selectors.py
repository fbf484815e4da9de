"""Reads of providers and the provider's own work list."""

from django.utils.translation import gettext_lazy as _

from maatpak.core.tenancy import scope_to_user
from maatpak.providers.models import Provider
from maatpak.trajectories.reporting import report_dues

# What a provider can be late with, as its overdue list names it.
OVERDUE_LABELS = {"intake": _("Intake"), "progress_report": _("Progress report"), "end_report": _("End report")}


def provider_list(*, user):
    return scope_to_user(Provider.objects.all(), user)


def provider_overdue(referrals, *, today) -> list[dict]:
    """The provider's own overdue list: intakes, progress reports and end reports past their
    due date (trajectories.reporting, as the consultant's signals and monitoring reckon them),
    most days late first."""
    referrals = list(referrals)
    dues = report_dues(referrals)
    overdue = [
        {"referral": r, "what": OVERDUE_LABELS[what], "due": due, "days": (today - due).days}
        for r in referrals
        for what, due in dues[r.pk].overdue(today)
    ]
    return sorted(overdue, key=lambda o: -o["days"])
