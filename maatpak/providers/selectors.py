from maatpak.core.tenancy import scope_to_user
from maatpak.providers.models import Contract, Provider, ReportCopy


def provider_list(*, user):
    return scope_to_user(Provider.objects.all(), user)


def contract_list(*, user):
    return scope_to_user(Contract.objects.all(), user)


def report_copy_list_for_participant(*, participant):
    """Afschriften: every report copy made available to this participant, newest first, with the
    report and its provider loaded (for the participant portal)."""
    return (
        ReportCopy.objects.filter(participant=participant)
        .select_related("progress_report__referral__provider", "end_report__referral__provider")
        .order_by("-made_available_on", "-id")
    )
