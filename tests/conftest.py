import pytest

from tests.factories import MunicipalityFactory, UserFactory


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
