"""manage.py export_divosa: the Divosa benchmark indicators per quarter, from the indicator registry."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maatpak.accounts.models import Municipality
from maatpak.core.spreadsheet import write_csv
from maatpak.insights.statistics import DIVOSA_HEADER, divosa_lines, quarter_range, record_delivery


class Command(BaseCommand):
    help = (
        "Write the Divosa benchmark file (inflow, outflow by reason, exemptions, sanctions) per quarter: "
        "one line per municipality, quarter, indicator and category. Aggregate, not suppressed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, action="append", help="CBS code, e.g. GM0090 (repeat for more)")
        parser.add_argument("--from", dest="first", help="first quarter, e.g. 2026-Q1 (default: four quarters before --to)")
        parser.add_argument("--to", dest="last", help="last quarter, e.g. 2026-Q4 (default: the last quarter that has ended)")
        parser.add_argument("--output", required=True, help="the CSV file to write")

    def handle(self, *args, municipality, first, last, output, **options):
        tenants = list(Municipality.objects.filter(code__in=municipality))
        unknown = sorted(set(municipality) - {m.code for m in tenants})
        if unknown:
            raise CommandError(f"Unknown municipality {', '.join(unknown)} (a CBS code such as GM0090).")
        today = timezone.localdate()
        try:
            first_period, last_period = quarter_range(first_code=first, last_code=last, today=today)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        lines = divosa_lines(municipalities=tenants, first=first_period, last=last_period, today=today)
        try:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                write_csv(stream, DIVOSA_HEADER, [line.as_row() for line in lines])
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        for tenant in tenants:
            record_delivery(
                municipality=tenant,
                purpose="Divosa benchmark delivery",
                detail={
                    "file": "divosa",
                    "from": first_period.code,
                    "to": last_period.code,
                    "rows": sum(1 for line in lines if line.municipality_code == tenant.code),
                },
            )
        self.stdout.write(f"{len(lines)} lines ({first_period.code} – {last_period.code}) written to {output}.")
