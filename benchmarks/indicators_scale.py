"""Benchmark: the indicators at scale — the municipal dashboard (all indicators, the chosen
quarter, the previous one and the eight-quarter trend) for the policy officer, and the council
report (the same indicators after suppression, with the checklist) as page and PDF for the
council member, on a demo municipality of N participants (default 40,000).

Run from the project root:

    .venv/bin/python benchmarks/indicators_scale.py 40000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/indicators_scale.py 40000

Generates the demo into a fresh database (SQLite in a temporary file unless DATABASE_URL is
set; a database that already holds the same demo is reused, so a second run skips the eight
minutes of generation), then requests each page three times through Django's test client (the
whole view: queries, indicators, suppression, charts, template) and prints the best run, the
number of queries and the peak memory of the process. Not part of the test suite.
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(client, url, runs=3):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.monotonic() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return min(timings), len(queries), len(response.content)


def main(participants: int) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatpak.settings")
    # Synthetic data on a throw-away database: the development keys are fine here (production
    # refuses them, see maatpak/settings.py); the benchmark logs in without a second factor.
    os.environ.setdefault("MAATPAK_ALLOW_DEV_KEYS", "1")
    os.environ.setdefault("MAATPAK_REQUIRE_SECOND_FACTOR", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from maatpak.accounts.models import User
    from maatpak.demo.generator import generate_demo
    from maatpak.participants.models import Participant

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    generate_demo(participants=participants, seed=2026, log=lambda *a: None)
    print(f"demo ready in {time.monotonic() - started:.0f} s")
    pages = [
        ("policy_officer", "dashboard", reverse("insights:dashboard")),
        ("council_member", "council report (page)", reverse("insights:council_report")),
        ("council_member", "council report (PDF)", reverse("insights:council_report_pdf")),
    ]
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}  participants: {Participant.objects.count()}")
    for role, label, url in pages:
        client = Client()
        client.force_login(User.objects.filter(role=role, is_active=True).first())
        best, queries, size = _timed(client, url)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label}: best of 3 {best:.2f} s  queries: {queries}  size: {size / 1024:.0f} KiB  peak memory so far: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40_000)
