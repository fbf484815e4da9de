from django.contrib import admin

from maatpak.accounts.admin_base import TenantScopedAdmin
from maatpak.surveys.models import Survey


@admin.register(Survey)
class SurveyAdmin(TenantScopedAdmin):
    """Responses and invitations are deliberately not in the admin: responses can be anonymous
    and invitations are personal data; both are read through the survey screens only."""

    list_display = ["title", "kind", "anonymous", "active", "municipality"]
    list_filter = ["municipality", "kind", "active"]
