"""The frame the CSV import commands share: the file and municipality arguments, their checks,
and the closing report (every error on stderr, then one line that counts the rows)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maatpak.accounts.models import Municipality


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0090")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, without writing")

    def municipality_and_path(self, municipality: str, file: str) -> tuple[Municipality, Path]:
        tenant = Municipality.objects.filter(code=municipality).first()
        if tenant is None:
            raise CommandError(_("Unknown municipality %(code)s.") % {"code": municipality})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(file)s") % {"file": file})
        return tenant, path

    def report(self, result) -> None:
        """All or nothing: with errors nothing was imported, and the command fails."""
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(errors)s error(s) in %(rows)s rows: nothing was imported.") % {"errors": len(result.errors), "rows": result.rows}
            )
        summary = (
            _("%(rows)s rows: %(created)s would be imported, %(present)s already present.")
            if result.dry_run
            else _("%(rows)s rows: %(created)s imported, %(present)s already present.")
        )
        self.stdout.write(summary % {"rows": result.rows, "created": result.created, "present": result.already_present})
