from django.contrib import admin

from maatpak.accounts.admin_base import DossierAdmin, TenantScopedAdmin
from maatpak.employers.models import Employer, Placement, PlacementFollowUp, Vacancy


@admin.register(Employer)
class EmployerAdmin(TenantScopedAdmin):
    list_display = ["name", "sector", "city", "municipality"]
    list_filter = ["municipality", "sector"]
    search_fields = ["name", "kvk_number"]


@admin.register(Vacancy)
class VacancyAdmin(TenantScopedAdmin):
    list_display = ["title", "employer", "hours_per_week", "hidden", "opened_on", "closed_on"]
    list_filter = ["municipality", "hidden"]
    search_fields = ["title", "employer__name"]
    filter_horizontal = ["competences"]


@admin.register(Placement)
class PlacementAdmin(DossierAdmin):
    """A participant's work, and how it ended: dossier content (employers.services writes it)."""

    list_display = ["participant", "kind", "employer", "start_date", "end_date", "end_reason"]
    list_filter = ["municipality", "kind", "end_reason"]
    raw_id_fields = ["participant", "trajectory", "employer", "vacancy"]


@admin.register(PlacementFollowUp)
class PlacementFollowUpAdmin(DossierAdmin):
    """Recorded on the dossier (employers.services.follow_up_record), which also ends a placement
    when the check finds the person no longer working: dossier content, here only to look."""

    participant_lookup = "placement__participant_id"

    list_display = ["placement", "months", "due_on", "checked_on", "still_working", "hours_per_week", "support_needed"]
    list_filter = ["municipality", "months", "still_working"]
