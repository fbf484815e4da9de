from django.contrib import admin

from maatpak.employers.models import Employer, Placement, Vacancy


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "city", "municipality"]
    list_filter = ["municipality", "sector"]
    search_fields = ["name", "kvk_number"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "hours_per_week", "hidden", "opened_on", "closed_on"]
    list_filter = ["municipality", "hidden"]
    search_fields = ["title", "employer__name"]
    filter_horizontal = ["competences"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["participant", "kind", "employer", "start_date", "end_date"]
    list_filter = ["municipality", "kind"]
    raw_id_fields = ["participant", "trajectory", "employer", "vacancy"]
