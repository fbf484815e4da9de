from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maatpak.accounts.models import Municipality
from maatpak.insights.history_import import import_history


class Command(BaseCommand):
    help = "Import participant-trajectory history from an older system (CSV, see docs/import-format.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0090")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, without writing")
        parser.add_argument("--create-missing-instruments", action="store_true", help="add unknown instrument codes to the municipality's catalogue")

    def handle(self, *args, file, municipality, dry_run, create_missing_instruments, **options):
        tenant = Municipality.objects.filter(code=municipality).first()
        if tenant is None:
            raise CommandError(f"Onbekende gemeente {municipality!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {file}")
        with path.open("rb") as handle:
            result = import_history(municipality=tenant, file=handle, source_name=path.name, dry_run=dry_run, create_missing_instruments=create_missing_instruments)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} fout(en) in {result.rows} regels: er is niets geïmporteerd.")
        verb = "zou importeren" if dry_run else "geïmporteerd"
        self.stdout.write(f"{result.rows} regels: {result.created} {verb}, {result.already_present} al aanwezig.")
        if result.created_instruments:
            self.stdout.write("Nieuwe instrumentcodes in de catalogus: " + ", ".join(result.created_instruments))
