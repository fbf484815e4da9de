from django.utils.translation import gettext as _

from maatpak.insights.history_import import import_history
from maatpak.participants.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "Import participant-trajectory history from an older system (CSV, see docs/import-format.md). All or nothing."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--create-missing-instruments", action="store_true", help="add unknown instrument codes to the municipality's catalogue"
        )

    def handle(self, *args, file, municipality, dry_run, create_missing_instruments, **options):
        tenant, path = self.municipality_and_path(municipality, file)
        with path.open("rb") as handle:
            result = import_history(
                municipality=tenant,
                file=handle,
                source_name=path.name,
                dry_run=dry_run,
                create_missing_instruments=create_missing_instruments,
            )
        self.report(result)
        # Rows with the same participant and start date are one trajectory with several instruments.
        self.stdout.write(
            _("New trajectories: %(count)s (rows with the same participant_ref and start_date are one trajectory).")
            % {"count": result.new_trajectories}
        )
        if result.created_instruments:
            self.stdout.write(_("New instrument codes in the catalogue: %(codes)s") % {"codes": ", ".join(result.created_instruments)})
