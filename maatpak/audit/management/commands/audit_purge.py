from django.core.management.base import BaseCommand

from maatpak.audit.services import audit_purge_expired


class Command(BaseCommand):
    help = (
        "Delete audit events older than the retention period (MAATPAK_AUDIT_RETENTION_DAYS, "
        "7 years by default) and record the purge as a system audit event; run daily."
    )

    def handle(self, *args, **options):
        purge = audit_purge_expired()
        detail = purge.detail
        self.stdout.write(
            f"Removed {detail['removed']} audit events from before {detail['cutoff']} "
            f"(retention {detail['retention_days']} days); recorded as audit event {purge.pk}."
        )
