"""Django's `flush`, which the append-only audit log would otherwise refuse.

The database refuses to empty the audit table (`audit.append_only`). Emptying a whole database
is a development and test action (Django's test runner flushes between browser tests), so this
command opens the audit table's wipe window only when DEBUG or MAATPAK_TESTING is on, and
refuses to run anywhere else: in production the audit log is removed by retention only.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from maatpak.audit import append_only


class Command(flush.Command):
    help = f"{flush.Command.help} Empties the append-only audit log too, so it runs only with DEBUG or MAATPAK_TESTING."

    def handle(self, **options):
        if not (settings.DEBUG or getattr(settings, "MAATPAK_TESTING", False)):
            raise CommandError(
                "flush would erase the append-only audit log; it runs only in development (DEBUG=1) or "
                "tests (MAATPAK_TESTING=1). Audit events are removed by `manage.py audit_purge` after retention."
            )
        with append_only.wipe_window(connections[options["database"]]):
            super().handle(**options)
