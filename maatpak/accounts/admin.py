from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.admin_base import TenantScopedAdmin
from maatpak.accounts.models import Municipality, ServiceOrganisation, Team, User
from maatpak.core.tenancy import municipality_ids_for


@admin.register(ServiceOrganisation)
class ServiceOrganisationAdmin(TenantScopedAdmin):
    """Spans municipalities, so only a superuser changes it; others see their own."""

    tenant_lookup = "municipalities"
    search_fields = ["name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Municipality)
class MunicipalityAdmin(TenantScopedAdmin):
    """A municipality administrator sets their own municipality's retention and access
    periods; creating or removing a municipality is for the superuser (or
    `manage.py municipality_setup`)."""

    tenant_lookup = "pk"
    list_display = ["code", "name", "service", "retention_years", "provider_access_days_after_close"]
    search_fields = ["code", "name"]
    list_filter = ["service"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        # The code identifies the tenant and the service organisation spans tenants.
        return ["code", "service"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Team)
class TeamAdmin(TenantScopedAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]


@admin.register(User)
class UserAdmin(TenantScopedAdmin, DjangoUserAdmin):
    """Accounts of the administrator's own municipalities.

    A non-superuser cannot see or change superusers, cannot grant superuser status or Django
    permissions (that would escape the scoping), and cannot change an account that also works
    for a municipality outside their own (saving the form would silently drop it).
    """

    tenant_lookup = "municipalities"
    list_display = ["username", "first_name", "last_name", "role", "team", "provider", "is_active"]
    list_filter = ["role", "is_active", "municipalities"]
    filter_horizontal = ["municipalities", "groups", "user_permissions"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Maatpak"), {"fields": ("role", "municipalities", "team", "provider")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Maatpak"), {"fields": ("role", "municipalities", "team", "provider")}))
    _SUPERUSER_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in self._SUPERUSER_ONLY_FIELDS)})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            outside = set(obj.municipalities.values_list("id", flat=True)) - set(municipality_ids_for(request.user))
            if outside or obj.is_superuser:
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return False
        return super().has_delete_permission(request, obj)
