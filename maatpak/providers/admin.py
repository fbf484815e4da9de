from django.contrib import admin

from maatpak.accounts.admin_base import TenantScopedAdmin
from maatpak.providers.models import Contract, Provider


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
