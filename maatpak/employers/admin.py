from django.contrib import admin

from maatpak.accounts.admin_base import TenantScopedAdmin
from maatpak.employers.models import Employer, Placement, Vacancy


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
class PlacementAdmin(TenantScopedAdmin):
    audits_participant_data = True
    list_display = ["participant", "kind", "employer", "start_date", "end_date"]
    list_filter = ["municipality", "kind"]
    raw_id_fields = ["participant", "trajectory", "employer", "vacancy"]
