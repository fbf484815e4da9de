"""Admin: the instrument catalogue is maintained here by the municipality administrator.

Trajectories, referrals, end reports, sanctions and report copies are dossier content: the
municipality administrator's task needs none of it, so only the superuser sees them, read-only
and audit-logged per participant (`DossierAdmin`). Writes go through the services (rules, audit,
optimistic locking), which the admin would bypass.
"""

from django.contrib import admin

from maatpak.accounts.admin_base import DossierAdmin, TenantScopedAdmin
from maatpak.trajectories.models import EndReport, Instrument, MunicipalityDefault, Referral, ReportCopy, Sanction, Trajectory


@admin.register(Instrument)
class InstrumentAdmin(TenantScopedAdmin):
    list_display = ["code", "name", "cluster", "srg_type", "default_cost_cents", "evidence_based", "active", "municipality"]
    list_filter = ["municipality", "cluster", "srg_type", "active"]
    search_fields = ["code", "name"]


@admin.register(Trajectory)
class TrajectoryAdmin(DossierAdmin):
    list_display = ["id", "participant", "consultant", "status", "started_on", "ended_on", "municipality"]
    list_filter = ["municipality", "status"]
    raw_id_fields = ["participant", "consultant", "previous", "closing_report"]


@admin.register(EndReport)
class EndReportAdmin(DossierAdmin):
    participant_lookup = "trajectory__participant_id"
    list_display = ["trajectory", "submitted_on", "outcome", "author"]
    list_filter = ["municipality", "outcome"]


@admin.register(Referral)
class ReferralAdmin(DossierAdmin):
    participant_lookup = "trajectory__participant_id"
    list_display = ["trajectory", "provider", "status", "proposed_on"]
    list_filter = ["municipality", "status"]


@admin.register(Sanction)
class SanctionAdmin(DossierAdmin):
    list_display = ["participant", "trajectory", "percentage", "months", "hearing_on"]
    list_filter = ["municipality"]


@admin.register(MunicipalityDefault)
class MunicipalityDefaultAdmin(DossierAdmin):
    list_display = ["participant", "trajectory", "recorded_on"]
    list_filter = ["municipality"]


@admin.register(ReportCopy)
class ReportCopyAdmin(DossierAdmin):
    """Read-only: a copy is a record that the participant was given the report."""

    list_display = ("participant", "made_available_on", "channel", "downloaded_on")
    readonly_fields = (
        "participant",
        "progress_report",
        "end_report",
        "made_available_on",
        "channel",
        "first_viewed_on",
        "downloaded_on",
        "municipality",
    )
