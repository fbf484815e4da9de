import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maatpak.accounts.models import Municipality
from maatpak.participants.caseload_import import import_caseload

BAR_WIDTH = 30
# Below this many rows the import is over before a bar would tell anyone anything.
BAR_FROM_ROWS = 200


class ProgressBar:
    """A plain progress bar on stderr ("[#####     ]  512/1000"), redrawn in place; only on a
    terminal and for long files, so logs and tests stay clean."""

    def __init__(self, stream, *, enabled: bool):
        self.stream, self.enabled, self.shown = stream, enabled, -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < BAR_FROM_ROWS:
            return
        filled = BAR_WIDTH * done // total
        if filled == self.shown and done != total:
            return
        self.shown = filled
        self.stream.write(f"\r[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {done:>{len(str(total))}}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import today's caseload of a municipality that starts with Maatpak (CSV, see docs/caseload-import-format.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0090")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, without writing")

    def handle(self, *args, file, municipality, dry_run, **options):
        tenant = Municipality.objects.filter(code=municipality).first()
        if tenant is None:
            raise CommandError(_("Unknown municipality %(code)s.") % {"code": municipality})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(file)s") % {"file": file})
        bar = ProgressBar(sys.stderr, enabled=sys.stderr.isatty())
        result = import_caseload(municipality=tenant, data=path.read_bytes(), dry_run=dry_run, progress=bar)
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
