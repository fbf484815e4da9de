from django.core.management.base import BaseCommand, CommandError

from maatpak.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_RECOVERY_CODES, DEMO_TOTP_SECRET, generate_demo


class Command(BaseCommand):
    help = "Create the synthetic demo municipality Demodorp (GM9999) with one account per role."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=1500, help="number of participants (default 1500)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same data (default 2026)")
        parser.add_argument("--reset", action="store_true", help="regenerate even if the same demo is already present")

    def handle(self, *args, participants, seed, reset, **options):
        if participants < 1:
            raise CommandError("--participants must be at least 1.")
        summary = generate_demo(participants=participants, seed=seed, reset=reset, log=self.stdout.write)
        self.stdout.write(
            f"Demodorp (GM9999): {summary['participants']} participants, {summary['trajectories']} trajectories, "
            f"{summary['referrals']} referrals, {summary['progress_reports']} progress reports, {summary['end_reports']} end reports, "
            f"{summary['placements']} placements, {summary['sanctions']} sanctions — {summary['seconds']} s."
        )
        width = max(len(name) for name, *_ in DEMO_ACCOUNTS)
        self.stdout.write("")
        self.stdout.write("Demo accounts (staff log in at /login/, the participant at /portal/login/):")
        self.stdout.write(f"  {'user name'.ljust(width)}  {'password'.ljust(len(DEMO_PASSWORD))}  role")
        for username, _role, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username.ljust(width)}  {DEMO_PASSWORD}  {description}")
        self.stdout.write("")
        secret = " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, len(DEMO_TOTP_SECRET), 4))
        self.stdout.write("Second step (two-factor log-in) for every staff account above (not the participant):")
        self.stdout.write(f"  add this key to an authenticator app (time-based, 6 digits): {secret}")
        self.stdout.write("  one entry in the app gives the code for all demo staff accounts;")
        self.stdout.write(f"  or type a recovery code, each once per account: {', '.join(DEMO_RECOVERY_CODES)}")
        self.stdout.write("  `make demo` serves with DEBUG=1: the code is asked but may be skipped (offered, not required).")
        self.stdout.write("  Without DEBUG it is required (MAATPAK_REQUIRE_SECOND_FACTOR; docs/demo.md).")
        self.stdout.write("")
