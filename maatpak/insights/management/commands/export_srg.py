"""manage.py export_srg: the provisions file of CBS's re-integration statistic (SRG)."""

import datetime as dt
import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maatpak.accounts.models import Municipality
from maatpak.core.spreadsheet import write_csv
from maatpak.insights.statistics import BSN, PERSON_KEYS, PSEUDONYM, record_delivery, srg_file


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-01-01.") from None


class Command(BaseCommand):
    help = (
        "Write the SRG provisions file for CBS (one line per provision: municipality, provision type, start, end, person key). "
        "The person key is a pseudonym per year unless --person-key=bsn and --i-am-delivering-to-cbs are given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0090")
        parser.add_argument("--year", required=True, type=int, help="delivery year, e.g. 2026 (the pseudonyms are per year)")
        parser.add_argument("--period-start", help="first day (YYYY-MM-DD), default 1 January of --year")
        parser.add_argument("--period-end", help="last day (YYYY-MM-DD), default 31 December of --year")
        parser.add_argument("--output", required=True, help="the CSV file to write")
        parser.add_argument("--person-key", choices=PERSON_KEYS, default=PSEUDONYM, help="pseudonym (default) or bsn")
        parser.add_argument(
            "--i-am-delivering-to-cbs",
            action="store_true",
            dest="delivering_to_cbs",
            help="required with --person-key=bsn: this file goes to CBS over the secure channel",
        )

    def handle(self, *args, municipality, year, period_start, period_end, output, person_key, delivering_to_cbs, **options):
        if person_key == BSN and not delivering_to_cbs:
            raise CommandError(
                "--person-key=bsn writes real BSNs. Only for the official delivery to CBS over the secure channel: "
                "add --i-am-delivering-to-cbs to confirm. Without it, leave out --person-key (pseudonyms)."
            )
        tenant = Municipality.objects.filter(code=municipality).first()
        if tenant is None:
            raise CommandError(f"Unknown municipality {municipality!r} (a CBS code such as GM0090).")
        if not 2000 <= year <= 9999:
            raise CommandError(f"--year {year} is not a delivery year.")
        start = _date(period_start, "--period-start") if period_start else dt.date(year, 1, 1)
        end = _date(period_end, "--period-end") if period_end else dt.date(year, 12, 31)
        if start > end:
            raise CommandError(f"--period-start {start} is after --period-end {end}.")
        if start.year != year or end.year != year:
            raise CommandError(f"The period {start} – {end} must lie within the delivery year {year}.")

        today = timezone.localdate()
        delivery = srg_file(municipality=tenant, year=year, period_start=start, period_end=end, today=today, person_key=person_key)
        try:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                write_csv(stream, delivery.header, delivery.rows)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        record_delivery(
            municipality=tenant,
            purpose="CBS SRG delivery",
            detail={
                "file": "srg",
                "person_key": person_key,
                "year": year,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "rows": len(delivery.rows),
                "left_out_without_bsn": delivery.left_out_without_bsn,
                "run_by": getpass.getuser(),
            },
        )
        self.stdout.write(
            f"{len(delivery.rows)} provisions of {tenant.code} ({start} – {end}) written to {output} (person key: {person_key})."
        )
        if delivery.left_out_without_bsn:
            self.stderr.write(f"{delivery.left_out_without_bsn} provisions left out: no BSN recorded for the person.")
