"""The Django admin, scoped to municipalities like every other read (docs/architecture.md).

Every ModelAdmin in Maatpak inherits `TenantScopedAdmin`. A superuser (the operator of the
installation) sees everything. Any other staff account sees only the rows of its own
municipalities, can only pick its own municipality's rows in forms, and a municipality
administrator (role "admin", is_staff) gets admin access without being a superuser or being
given Django permissions one by one. Opening lists or records that hold participant data is
written to the audit log, as in the application's own screens.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist

from maatpak.accounts.models import Municipality
from maatpak.accounts.policy import ADMINISTRATION, permits
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read, audit_record
from maatpak.core.tenancy import municipality_ids_for


def is_municipality_admin(user) -> bool:
    """A staff account whose role may use the admin (`ADMINISTRATION` row) and that has at
    least one municipality."""
    return bool(user.is_staff and not user.is_superuser and permits(user, ADMINISTRATION, "use_admin") and municipality_ids_for(user))


class TenantScopedAdmin(admin.ModelAdmin):
    """Scopes querysets, form choices and filters to the user's municipalities.

    `tenant_lookup` is the path from the model to its municipality: "municipality" for tenant
    rows, "pk" for the Municipality itself, "municipalities" for accounts, or None for shared
    reference data (then non-superusers may only look). `audits_participant_data` makes list
    and detail views write an audit event.
    """

    tenant_lookup: str | None = "municipality"
    audits_participant_data = False

    # --- which rows -----------------------------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or self.tenant_lookup is None:
            return queryset
        ids = municipality_ids_for(request.user)
        queryset = queryset.filter(**{f"{self.tenant_lookup}__in": ids})
        # A lookup through a many-to-many relation repeats rows once per shared municipality.
        return queryset.distinct() if self.tenant_lookup.endswith("municipalities") else queryset

    # --- what may be chosen in forms --------------------------------------------------------
    def _scope_choices(self, request, related_model, queryset):
        if request.user.is_superuser:
            return queryset
        ids = municipality_ids_for(request.user)
        if related_model is Municipality:
            return queryset.filter(pk__in=ids)
        if related_model is get_user_model():
            return queryset.filter(municipalities__in=ids).distinct()
        field_names = {field.name for field in related_model._meta.get_fields()}
        if "municipality" in field_names:
            return queryset.filter(municipality_id__in=ids)
        if "municipalities" in field_names:
            return queryset.filter(municipalities__in=ids).distinct()
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._scope_choices(request, db_field.related_model, formfield.queryset)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._scope_choices(request, db_field.related_model, formfield.queryset)
        return formfield

    def get_list_filter(self, request):
        # The plain related filter offers every municipality (and every employer, provider …)
        # in the installation; outside the superuser only the ones in the scoped rows.
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        scoped = []
        for item in filters:
            if isinstance(item, str) and "__" not in item and self._is_relation(item):
                scoped.append((item, admin.RelatedOnlyFieldListFilter))
            else:
                scoped.append(item)
        return scoped

    def _is_relation(self, name: str) -> bool:
        try:
            return self.model._meta.get_field(name).is_relation
        except FieldDoesNotExist:  # a custom filter name, not a field
            return False

    # --- who may use it ---------------------------------------------------------------------
    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_municipality_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_municipality_admin(request.user)

    def _may_write(self, request, django_allows: bool) -> bool:
        """Shared reference data (no tenant) is written by the operator (superuser) only."""
        if self.tenant_lookup is None and not request.user.is_superuser:
            return False
        return django_allows or is_municipality_admin(request.user)

    def has_add_permission(self, request):
        return self._may_write(request, super().has_add_permission(request))

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, super().has_delete_permission(request, obj))

    # --- audit --------------------------------------------------------------------------------
    def changelist_view(self, request, extra_context=None):
        if self.audits_participant_data and request.method == "GET":
            audit_record(actor=request.user, action=AuditAction.READ, purpose=f"admin list {self.model._meta.model_name}")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.audits_participant_data and request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_read(actor=request.user, obj=obj, purpose="admin")
        return super().change_view(request, object_id, form_url, extra_context)


class ReadOnlyAdmin(TenantScopedAdmin):
    """Shown for support, never changed: the services hold the rules and write the audit log.
    Looking is logged: these are participant data."""

    audits_participant_data = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
