"""The test run stays on the day it was collected on (tests/conftest.py), so a run that crosses
midnight does not see two days."""

import datetime as dt

from django.utils import timezone

from tests.conftest import RUN_DAY, pin_day


def test_the_run_is_on_the_day_it_started():
    assert timezone.localdate() == RUN_DAY


def test_pinning_a_day_moves_now_by_whole_days(monkeypatch):
    before = timezone.now()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    pin_day(monkeypatch, yesterday)
    assert timezone.localdate() == yesterday
    moved = before - timezone.now()
    assert dt.timedelta(hours=23, minutes=59) < moved <= dt.timedelta(days=1)
