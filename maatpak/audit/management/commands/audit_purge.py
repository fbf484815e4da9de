from django.core.management.base import BaseCommand

from maatpak.audit.services import AUDIT_RETENTION_DAYS, audit_purge_expired


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        removed = audit_purge_expired()
        self.stdout.write(f"Removed {removed} audit events older than {AUDIT_RETENTION_DAYS} days.")
