import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import MunicipalityFactory, UserFactory

# The day this run was collected on. Many test modules fix `TODAY` when they are imported; the
# services read `timezone.localdate()` when they run. A run that crosses midnight would see two
# days and fail for no reason of the code's, so the whole run stays on the day it started.
RUN_DAY = timezone.localdate()


def pin_day(monkeypatch, day: dt.date) -> None:
    """Make `timezone.now()` (and with it `localdate()` and every `auto_now`) fall on `day`, at
    the real time of day: shifted by whole days, so durations and ordering stay real."""
    shift = timezone.localdate() - day
    if shift:
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() - shift)


@pytest.fixture(autouse=True)
def _the_run_stays_on_the_day_it_started(monkeypatch):
    pin_day(monkeypatch, RUN_DAY)


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(code="GM0090", name="Smallingerland")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(code="GM0687", name="Middelburg")


@pytest.fixture
def consultant(municipality):
    return UserFactory(role="consultant", municipalities=[municipality], username="km-test")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Password hashing is deliberately slow in production; tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
