from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.models import Municipality, ServiceOrganisation, Team, User


@admin.register(ServiceOrganisation)
class ServiceOrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "service", "retention_years", "provider_access_days_after_close"]
    search_fields = ["code", "name"]
    list_filter = ["service"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "provider", "is_active"]
    list_filter = ["role", "is_active", "municipalities"]
    filter_horizontal = ["municipalities", "groups", "user_permissions"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Maatpak"), {"fields": ("role", "municipalities", "team", "provider")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Maatpak"), {"fields": ("role", "municipalities", "team", "provider")}),)
