from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """The consultant's screens (klantmanagement): caseload, integral dossier, trajectory plan."""

    name = "maatpak.casework"
    verbose_name = _("Casework")
