from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "maatpak.accounts"
    verbose_name = _("Accounts and municipalities")

    def ready(self):
        from maatpak.accounts import idle, signals  # noqa: F401  (audit log-ins; idle clock starts at log-in)
