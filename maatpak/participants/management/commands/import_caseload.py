import sys

from maatpak.participants.caseload_import import import_caseload
from maatpak.participants.management.import_command import ImportCommand

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


class Command(ImportCommand):
    help = "Import today's caseload of a municipality that starts with Maatpak (CSV, see docs/caseload-import-format.md). All or nothing."

    def handle(self, *args, file, municipality, dry_run, **options):
        tenant, path = self.municipality_and_path(municipality, file)
        bar = ProgressBar(sys.stderr, enabled=sys.stderr.isatty())
        result = import_caseload(municipality=tenant, data=path.read_bytes(), dry_run=dry_run, progress=bar)
        self.report(result)
