from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from maatpak.trajectories.reference_setup import municipality_setup


class Command(BaseCommand):
    help = (
        "Set up a municipality with the participation ladder (Regioplan 2008) and the standard "
        "instrument catalogue. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="CBS municipality code, e.g. GM0090")
        parser.add_argument("--name", required=True, help="Name of the municipality, e.g. Smallingerland")

    def handle(self, *args, code, name, **options):
        try:
            result = municipality_setup(code=code, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        m = result.municipality
        self.stdout.write(f"{m.name} ({m.code}): {'created' if result.municipality_created else 'already present'}.")
        self.stdout.write(f"Participation ladder: {'created' if result.ladder_created else 'already present'}.")
        self.stdout.write(f"Instruments: {result.instruments_created} added, {result.instruments_kept} already present.")
        if result.municipality_created:
            self.stdout.write("Next: give the administrator this municipality in the admin (/admin/).")
