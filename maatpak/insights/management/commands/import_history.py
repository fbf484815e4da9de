from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maatpak.accounts.models import Municipality
from maatpak.insights.history_import import import_history


class Command(BaseCommand):
    help = "Import participant-trajectory history from an older system (CSV, see docs/import-format.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0090")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, without writing")
        parser.add_argument(
            "--create-missing-instruments", action="store_true", help="add unknown instrument codes to the municipality's catalogue"
        )

    def handle(self, *args, file, municipality, dry_run, create_missing_instruments, **options):
        tenant = Municipality.objects.filter(code=municipality).first()
        if tenant is None:
            raise CommandError(_("Unknown municipality %(code)s.") % {"code": municipality})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(file)s") % {"file": file})
        with path.open("rb") as handle:
            result = import_history(
                municipality=tenant,
                file=handle,
                source_name=path.name,
                dry_run=dry_run,
                create_missing_instruments=create_missing_instruments,
            )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(errors)s error(s) in %(rows)s rows: nothing was imported.") % {"errors": len(result.errors), "rows": result.rows}
            )
        summary = (
            _("%(rows)s rows: %(created)s would be imported, %(present)s already present.")
            if dry_run
            else _("%(rows)s rows: %(created)s imported, %(present)s already present.")
        )
        self.stdout.write(summary % {"rows": result.rows, "created": result.created, "present": result.already_present})
        # Rows with the same participant and start date are one trajectory with several instruments.
        self.stdout.write(
            _("New trajectories: %(count)s (rows with the same participant_ref and start_date are one trajectory).")
            % {"count": result.new_trajectories}
        )
        if result.created_instruments:
            self.stdout.write(_("New instrument codes in the catalogue: %(codes)s") % {"codes": ", ".join(result.created_instruments)})
