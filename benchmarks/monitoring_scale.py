"""Benchmark: contract monitoring (insights.monitoring.contract_monitoring) on a demo
municipality of N participants (default 10,000), for the last 12 months.

Run from the project root:

    .venv/bin/python benchmarks/monitoring_scale.py 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/monitoring_scale.py 10000

Generates the demo into a fresh database (SQLite in a temporary file unless DATABASE_URL is
set), then times the monitoring for the demo's policy officer three times and prints the best
run, the number of queries and the peak memory. Not part of the test suite.
"""

import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(participants: int) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatpak.settings")
    # Synthetic data on a throw-away database: the development keys are fine here (production
    # refuses them, see maatpak/settings.py).
    os.environ.setdefault("MAATPAK_ALLOW_DEV_KEYS", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maatpak.accounts.models import User
    from maatpak.demo.generator import generate_demo
    from maatpak.insights.monitoring import contract_monitoring
    from maatpak.trajectories.models import ProgressReport, Referral

    call_command("migrate", verbosity=0)
    generate_demo(participants=participants, seed=2026, reset=True, log=lambda *a: None)
    officer = User.objects.filter(role="policy_officer").first()
    today = dt.date.today()
    timings = []
    for _ in range(3):
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            result = contract_monitoring(user=officer, period_start=today - dt.timedelta(days=365), period_end=today, today=today)
        timings.append(time.monotonic() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"participants: {participants}  referrals: {Referral.objects.count()}  progress reports: {ProgressReport.objects.count()}")
    print(f"providers: {len(result['providers'])}  contracts: {len(result['contracts'])}")
    print(f"best of 3: {min(timings):.2f} s  queries: {len(queries)}  peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
