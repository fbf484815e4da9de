"""Benchmark: how long the what-works analysis takes on a municipality of N participants
(default 10,000): the analysis data set, gross tables, Kaplan–Meier curves, cost–benefit and a
net effect with segments — the work behind one analyst page view or `manage.py effect`.

Run from the project root (the demo municipality is generated first, into a fresh database):

    .venv/bin/python benchmarks/effect_scale.py 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/effect_scale.py 10000

Not part of the test suite: speed targets belong here, not in timed unit tests.
Baseline (2-core machine shared with other jobs, SQLite file, 2026-11-23): 5,000 participants →
6,456 trajectories; data set 0.83 s, gross tables 0.04 s, Kaplan–Meier 0.01 s, cost–benefit
0.08 s, net effect with six Sol-group segments 1.29 s; total 2.2 s, peak memory 396 MB.
(That baseline predates the Kaplan–Meier table per instrument and the net-effect CSV table,
which are now timed too.)
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
    # Synthetic data on a throw-away database: the development keys are fine here (production
    # refuses them, see maatpak/settings.py).
    os.environ.setdefault("MAATPAK_ALLOW_DEV_KEYS", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from maatpak.accounts.models import Municipality
    from maatpak.demo.generator import generate_demo
    from maatpak.insights.analysis.costbenefit import cost_benefit
    from maatpak.insights.analysis.dataset import build_dataset
    from maatpak.insights.selectors import effect_export, effect_report, gross_tables, survival_table

    call_command("migrate", verbosity=0)
    generate_demo(participants=participants, seed=2026, reset=True, log=lambda *a: None)
    municipality = Municipality.objects.get(code="GM9999")
    timings = {}

    def timed(name, function):
        started = time.monotonic()
        value = function()
        timings[name] = time.monotonic() - started
        return value

    frame = timed("data set", lambda: build_dataset(municipality_ids=[municipality.pk]))
    timed("gross tables", lambda: gross_tables(frame, outcome="work_24m"))
    # As on the page: every group, people without a provider included, with numbers at risk.
    timed("Kaplan–Meier per provider", lambda: survival_table(frame, group="provider"))
    timed("Kaplan–Meier per instrument", lambda: survival_table(frame, group="instrument"))
    timed("cost–benefit", lambda: (cost_benefit(frame, group="instrument"), cost_benefit(frame, group="provider")))
    instrument = frame.explode("instruments")["instruments"].value_counts().index[0]
    report = timed(
        f"net effect of {instrument} per Sol group",
        lambda: effect_report(frame, treatment=instrument, outcome="work_24m", segment="sol_group"),
    )
    timed("net effect CSV table", lambda: effect_export(report))
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}  participants: {participants}  trajectories: {len(frame)}")
    for name, seconds in timings.items():
        print(f"  {name:<40} {seconds:6.2f} s")
    print(
        f"  {'total':<40} {sum(timings.values()):6.2f} s   peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
