from django.core.management.base import BaseCommand, CommandError

from maatpak.accounts.models import Municipality
from maatpak.privacy.retention import anonymise_expired


class Command(BaseCommand):
    help = (
        "Anonymise the dossiers whose retention period ended (per municipality: retention_years after the last "
        "activity, retention_years_after_sanction after a sanction decision). Run daily, e.g. from cron. "
        "Each dossier in its own transaction; prints counts, never names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the dossiers that would be anonymised; change nothing.")
        parser.add_argument(
            "--municipality", action="append", metavar="CODE", help="Only this municipality (CBS code, e.g. GM0090); repeatable."
        )

    def handle(self, *args, dry_run, municipality, **options):
        municipalities = None
        if municipality:
            municipalities = list(Municipality.objects.filter(code__in=municipality).order_by("code"))
            unknown = sorted(set(municipality) - {m.code for m in municipalities})
            if unknown:
                raise CommandError(f"Unknown municipality code(s): {', '.join(unknown)}")
        runs = anonymise_expired(dry_run=dry_run, municipalities=municipalities)
        for run in runs:
            if dry_run:
                self.stdout.write(f"{run.municipality.code}: {run.expired} dossiers would be anonymised (dry run, nothing changed).")
            else:
                self.stdout.write(
                    f"{run.municipality.code}: {run.anonymised} of {run.expired} expired dossiers anonymised "
                    f"({run.rows} rows), {run.skipped} skipped, {run.failed} failed."
                )
        failed = sum(run.failed for run in runs)
        if failed:
            raise CommandError(f"{failed} dossiers could not be anonymised; see the log. The others were done.")
