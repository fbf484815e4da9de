from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy officer's screens (functionaris gegevensbescherming): the audit log viewer."""

    name = "maatpak.privacy"
    verbose_name = _("Privacy")
