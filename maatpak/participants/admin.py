"""Admin for the reference data (competence catalogue, ladder definitions). Participants are
dossier content: read-only, for the superuser only, audit-logged per participant
(`DossierAdmin`). Dossier work happens in the dossier screens, not here."""

from django.contrib import admin

from maatpak.accounts.admin_base import DossierAdmin, TenantScopedAdmin
from maatpak.participants.models import Competence, LadderDefinition, Participant


@admin.register(Competence)
class CompetenceAdmin(TenantScopedAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name"]


@admin.register(LadderDefinition)
class LadderDefinitionAdmin(TenantScopedAdmin):
    """Definitions are versioned: add a new version instead of changing one in use. Shared
    by all municipalities, so only a superuser changes them."""

    tenant_lookup = None

    list_display = ["name", "code", "version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.ladderassessment_set.exists():
            return ["code", "version", "name", "rungs"]
        return []


@admin.register(Participant)
class ParticipantAdmin(DossierAdmin):
    participant_lookup = "pk"
    list_display = ["reference", "full_name", "municipality", "consultant", "registered_on"]
    list_filter = ["municipality"]
    search_fields = ["reference", "last_name"]
    fields = [
        "reference",
        "first_name",
        "name_prefix",
        "last_name",
        "bsn_masked",
        "municipality",
        "consultant",
        "registered_on",
        "moved_away_on",
    ]
    readonly_fields = fields
