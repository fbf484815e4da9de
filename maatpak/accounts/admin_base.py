"""The Django admin, scoped to municipalities like every other read (docs/architecture.md).

Every ModelAdmin in Maatpak inherits `TenantScopedAdmin`. A superuser (the operator of the
installation) sees everything. Any other staff account sees only the rows of its own
municipalities, can only pick its own municipality's rows in forms, and a municipality
administrator (role "admin", is_staff) gets admin access without being a superuser or being
given Django permissions one by one.

Need to know (issue 14): the municipality administrator manages accounts and reference data,
never dossier content. Registrations of dossier content inherit `DossierAdmin`: read-only and
shown to the superuser only, for technical support, because the admin is an audited path where
a database console is not. Opening lists, records, history or delete pages that hold
participant data writes one audit event per participant shown, linked to that participant, as
in the application's own screens.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist

from maatpak.accounts.models import Municipality
from maatpak.accounts.policy import ADMINISTRATION, permits
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_read_many, audit_record
from maatpak.core.tenancy import municipality_ids_for


def is_municipality_admin(user) -> bool:
    """A staff account whose role may use the admin (`ADMINISTRATION` row) and that has at
    least one municipality."""
    return bool(user.is_staff and not user.is_superuser and permits(user, ADMINISTRATION, "use_admin") and municipality_ids_for(user))


class TenantScopedAdmin(admin.ModelAdmin):
    """Scopes querysets, form choices and filters to the user's municipalities.

    `tenant_lookup` is the path from the model to its municipality: "municipality" for tenant
    rows, "pk" for the Municipality itself, "municipalities" for accounts, or None for shared
    reference data (then non-superusers may only look). `audits_participant_data` makes list,
    detail, history and delete pages write audit events, linked to the participant that
    `audit_participant_ids` finds for each row. `dossier_content` hides the registration from
    everybody but the superuser.
    """

    tenant_lookup: str | None = "municipality"
    audits_participant_data = False
    dossier_content = False

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
        if self.dossier_content:
            return request.user.is_superuser
        return super().has_module_permission(request) or is_municipality_admin(request.user)

    def has_view_permission(self, request, obj=None):
        if self.dossier_content:
            return request.user.is_superuser
        return super().has_view_permission(request, obj) or is_municipality_admin(request.user)

    def _may_write(self, request, django_allows: bool) -> bool:
        """Shared reference data (no tenant) is written by the operator (superuser) only;
        dossier content by nobody here (the services hold its rules and audit)."""
        if self.dossier_content:
            return False
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
    # `participant_lookup` is the ORM path from a row to its participant's id. A list writes one
    # event per row that belongs to a participant: twenty rows are twenty answers to "who saw my
    # data?". Admins whose rows are not about one participant (the audit log itself) set
    # `links_list_rows_to_participants` False and write one event for the page instead.
    participant_lookup = "participant_id"
    links_list_rows_to_participants = True

    def audit_participant_ids(self, objs) -> dict:
        """{row pk: participant id or None} for the rows shown, in one query."""
        pks = [obj.pk for obj in objs]
        if not pks:
            return {}
        return dict(self.model._default_manager.filter(pk__in=pks).values_list("pk", self.participant_lookup))

    def _audit_object(self, request, object_id, purpose: str) -> None:
        if not (self.audits_participant_data and request.method == "GET"):
            return
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            participant_id = self.audit_participant_ids([obj]).get(obj.pk)
            audit_read_many(actor=request.user, rows=[(obj, participant_id)], purpose=purpose)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if self.audits_participant_data and request.method == "GET" and changelist is not None:
            purpose = f"admin list {self.model._meta.model_name}"
            if self.links_list_rows_to_participants:
                shown = list(changelist.result_list)
                linked = self.audit_participant_ids(shown)
                rows = [(obj, linked[obj.pk]) for obj in shown if linked.get(obj.pk) is not None]
                audit_read_many(actor=request.user, rows=rows, purpose=purpose)
            else:
                audit_record(actor=request.user, action=AuditAction.READ, purpose=purpose)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._audit_object(request, object_id, "admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._audit_object(request, object_id, "admin history")
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._audit_object(request, object_id, "admin delete page")
        return super().delete_view(request, object_id, extra_context)


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


class DossierAdmin(ReadOnlyAdmin):
    """Dossier content (participants, trajectories, reports, sanctions, placements): not for the
    municipality administrator, whose task needs none of it. Only the superuser, the operator
    of the installation, sees it, read-only and audit-logged per participant, for technical
    support."""

    dossier_content = True
