from django.contrib import admin

from maatpak.accounts.admin_base import TenantScopedAdmin
from maatpak.providers.models import Contract, Provider, ReportCopy


@admin.register(Provider)
class ProviderAdmin(TenantScopedAdmin):
    list_display = ("name", "kind", "municipality", "active")
    list_filter = ("kind", "active", "municipality")
    search_fields = ("name", "kvk_number")


@admin.register(Contract)
class ContractAdmin(TenantScopedAdmin):
    list_display = ("reference", "provider", "start_date", "end_date", "price_per_trajectory_cents", "placement_target_percent")
    list_filter = ("procurement", "municipality")
    search_fields = ("reference", "provider__name")


@admin.register(ReportCopy)
class ReportCopyAdmin(TenantScopedAdmin):
    """Read-only: a copy is a record that the participant was given the report."""

    audits_participant_data = True

    list_display = ("participant", "made_available_on", "channel", "downloaded_on")
    readonly_fields = (
        "participant",
        "progress_report",
        "end_report",
        "made_available_on",
        "channel",
        "first_viewed_on",
        "downloaded_on",
        "municipality",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
