"""Benchmark: how long `manage.py demo` takes for N participants (default 40,000).

Run from the project root, on a fresh database file so earlier data does not interfere:

    .venv/bin/python benchmarks/demo_scale.py              # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/demo_scale.py 40000

Prints participants per second and the peak memory. Not part of the test suite: speed targets
belong here, not in timed unit tests.
"""

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
    # Synthetic data on a throw-away database: the development keys are fine (production
    # refuses them, see maatpak/settings.py), and DEBUG stays off so queries are not kept.
    os.environ.setdefault("MAATPAK_ALLOW_DEV_KEYS", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from maatpak.demo.generator import generate_demo

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    summary = generate_demo(participants=participants, seed=2026, reset=True, log=lambda *a: None)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"participants: {participants}  trajectories: {summary['trajectories']}  progress reports: {summary['progress_reports']}")
    print(f"elapsed: {seconds:.1f} s  ({participants / seconds:.0f} participants/s)  peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40_000)
