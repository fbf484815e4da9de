from django.contrib import admin

from maatpak.accounts.admin_base import ReadOnlyAdmin
from maatpak.audit.models import AuditEvent
from maatpak.privacy.policies import audit_log_policy


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only, also for administrators. Outside the
    superuser it shows what the log screen shows (`audit_log_policy`), and looking is logged:
    one event per list page (an event per row shown would grow the log with every look), and
    opening one event is linked to its participant."""

    links_list_rows_to_participants = False

    list_display = ["at", "actor_label", "actor_role", "action", "object_type", "object_id", "participant_id"]
    list_filter = ["action", "actor_role", "municipality"]
    search_fields = ["actor_label", "object_id"]

    def get_queryset(self, request):
        if request.user.is_superuser:
            return super().get_queryset(request)
        return audit_log_policy.instances_for(request.user, "view")
