from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maatpak.accounts.admin_base import TenantScopedAdmin
from maatpak.accounts.models import Municipality, ServiceOrganisation, Team, User
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.audit.services import audit_record
from maatpak.core.tenancy import municipality_ids_for


def account_has_audit_events(account) -> bool:
    """An account that acted is named by audit events and is never deleted (they would lose
    who acted); it is deactivated instead."""
    return AuditEvent.objects.filter(actor=account).exists()


@transaction.atomic
def account_set_active(*, actor, account, active: bool) -> bool:
    """Deactivate (or reactivate) an account and write it to the audit log; False when it
    already was so. A deactivated account cannot log in; its audit events keep naming it."""
    if account.is_active == active:
        return False
    account.is_active = active
    account.save(update_fields=["is_active"])
    _audit_active_change(actor=actor, account=account)
    return True


def _audit_active_change(*, actor, account) -> None:
    participant = getattr(account, "participant", None)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=account,
        participant_id=participant.pk if participant is not None else None,
        purpose="account reactivated" if account.is_active else "account deactivated",
    )


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

    Accounts are deactivated, not deleted, once they acted (audit events name them): there is
    no delete for those, and no bulk delete at all; the "deactivate" action and unticking
    "active" are logged. A participant's portal account is participant data: opening it is
    logged against that participant.
    """

    tenant_lookup = "municipalities"
    audits_participant_data = True
    participant_lookup = "participant"
    actions = ["deactivate"]
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
        if obj is not None and (not self.has_change_permission(request, obj) or account_has_audit_events(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Deleting many accounts at once would stop at the first one that acted.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        done = skipped = 0
        for account in queryset:
            if account.pk == request.user.pk or not self.has_change_permission(request, account):
                skipped += 1
            elif account_set_active(actor=request.user, account=account, active=False):
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d account deactivated.", "%(count)d accounts deactivated.", done) % {"count": done},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d account was not deactivated: your own account, or one that also works for another municipality.",
                    "%(count)d accounts were not deactivated: your own account, or ones that also work for another municipality.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Unticking "active" in the form is a deactivation too, and logged as one.
        if change and "is_active" in form.changed_data:
            _audit_active_change(actor=request.user, account=obj)
