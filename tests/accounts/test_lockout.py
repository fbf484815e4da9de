"""Requirement (issue 14.1): every log-in form (/login/, /portal/login/, /admin/login/) throttles
and locks — per account after AXES_FAILURE_LIMIT (10) failures and per address after a higher
limit, so an office behind one NAT address is not locked by one person's typos. A locked log-in
gets a Dutch page saying for how long and whom to call; the right password does not work while
locked; the lock is in the audit log; it ends after the cool-off or when an administrator lifts it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from maatpak.accounts.lockout import client_ip_address
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.7"


@pytest.fixture(params=["staff", "portal", "admin"])
def form(request, municipality):
    """(log-in URL, account that logs in there) for each of the three log-in forms."""
    if request.param == "staff":
        return reverse("accounts:login"), UserFactory(username="km", municipalities=[municipality])
    if request.param == "portal":
        return reverse("portal:login"), UserFactory(username="km", role=Role.PARTICIPANT, municipalities=[municipality])
    return reverse("admin:login"), UserFactory(username="km", role=Role.ADMIN, is_staff=True, municipalities=[municipality])


def _post(client, url, username, password, address=OFFICE):
    return client.post(url, {"username": username, "password": password, "next": "/"}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(client, form):
    url, _user = form
    for _attempt in range(9):
        assert _post(client, url, "km", "wrong-password").status_code == 200
    locked = _post(client, url, "km", "wrong-password")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 3500
    right = _post(client, url, "km", TEST_PASSWORD)
    assert right.status_code == 429 and not _logged_in(client)
    page = right.content.decode()
    assert "Inloggen is tijdelijk geblokkeerd" in page
    assert "te vaak mislukt ingelogd op dit account" in page
    assert "over 60 minuten opnieuw proberen" in page
    assert "Tot dan werkt ook het juiste wachtwoord niet" in page
    # The lock is per account: from another address the account stays locked too.
    assert _post(client, url, "km", TEST_PASSWORD, address=ELSEWHERE).status_code == 429


def test_the_lock_says_whom_to_call_staff_their_administrator_participants_their_consultant(client, municipality):
    UserFactory(username="km", municipalities=[municipality])
    UserFactory(username="sam", role=Role.PARTICIPANT, municipalities=[municipality])
    for _attempt in range(10):
        staff = _post(client, reverse("accounts:login"), "km", "wrong")
        portal = _post(client, reverse("portal:login"), "sam", "wrong", address=ELSEWHERE)
    assert "functioneel beheerder van uw gemeente" in staff.content.decode()
    assert "Bel uw klantmanager of de gemeente" in portal.content.decode()


def test_the_lock_is_audit_logged_once_with_the_account_and_until_when(client, form, municipality):
    url, _user = form
    for _attempt in range(12):
        _post(client, url, "km", "wrong")
    locks = AuditEvent.objects.filter(action="login_failed", purpose="log-in locked")
    assert locks.count() == 1
    lock = locks.get()
    assert lock.detail["lock"] == "account" and lock.detail["username"] == "km" and lock.detail["failures"] == 10
    assert lock.detail["locked_until"] and lock.municipality_id == municipality.id


def test_the_lock_ends_after_the_cool_off(client, form):
    url, _user = form
    for _attempt in range(10):
        _post(client, url, "km", "wrong")
    assert _post(client, url, "km", TEST_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))
    assert _post(client, url, "km", TEST_PASSWORD).status_code == 302
    assert _logged_in(client)


def test_an_administrator_lifts_the_lock_with_axes_reset_username(client, form):
    url, _user = form
    for _attempt in range(10):
        _post(client, url, "km", "wrong")
    call_command("axes_reset_username", "km", verbosity=0)
    assert _post(client, url, "km", TEST_PASSWORD).status_code == 302


def test_a_successful_log_in_resets_the_count_of_that_account(client, form):
    url, _user = form
    for _attempt in range(9):
        _post(client, url, "km", "wrong")
    assert _post(client, url, "km", TEST_PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(9):
        assert _post(client, url, "km", "wrong").status_code == 200


@pytest.mark.parametrize("url_name", ["accounts:login", "portal:login", "admin:login"])
def test_many_accounts_tried_from_one_address_lock_that_address(client, settings, municipality, url_name):
    settings.MAATPAK_ADDRESS_FAILURE_LIMIT = 20
    role = Role.PARTICIPANT if url_name == "portal:login" else Role.ADMIN
    UserFactory(username="real", role=role, is_staff=True, municipalities=[municipality])
    url = reverse(url_name)
    for n in range(19):
        assert _post(client, url, f"guess{n % 5}", "wrong").status_code == 200
    locked = _post(client, url, "guess-last", "wrong")
    assert locked.status_code == 429
    assert "te vaak mislukt ingelogd vanaf dit internetadres" in locked.content.decode()
    # A real account with its right password is refused from that address …
    assert _post(client, url, "real", TEST_PASSWORD).status_code == 429
    # … and works from another one.
    assert _post(client, url, "real", TEST_PASSWORD, address=ELSEWHERE).status_code == 302
    lock = AuditEvent.objects.get(purpose="log-in locked")
    assert lock.detail["lock"] == "address" and lock.detail["address"] == OFFICE and "username" not in lock.detail


def test_typos_of_several_people_behind_one_office_address_lock_nobody(client, municipality):
    """Ten colleagues behind the office's NAT address each mistype a few times: under the
    per-address limit (100) nobody is locked, and each logs in."""
    for n in range(10):
        UserFactory(username=f"colleague{n}", municipalities=[municipality])
    for n in range(10):
        for _typo in range(5):
            assert _post(client, reverse("accounts:login"), f"colleague{n}", "typo").status_code == 200
    for n in range(10):
        assert _post(client, reverse("accounts:login"), f"colleague{n}", TEST_PASSWORD).status_code == 302
        client.logout()


def test_logging_in_with_ones_own_account_does_not_reset_someone_elses_count(client, municipality):
    """Axes would clear every count of the address after a success; then an attacker with an
    account of their own could keep guessing another's password from that address."""
    UserFactory(username="victim", municipalities=[municipality])
    UserFactory(username="attacker", municipalities=[municipality])
    login = reverse("accounts:login")
    for _attempt in range(9):
        _post(client, login, "victim", "guess")
    assert _post(client, login, "attacker", TEST_PASSWORD).status_code == 302
    client.logout()
    assert _post(client, login, "victim", "guess").status_code == 429


def test_behind_trusted_proxies_the_address_is_the_one_the_proxy_saw(settings):
    factory = RequestFactory()
    request = factory.post("/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.44")
    assert client_ip_address(request) == "10.0.0.2"  # no trusted proxy: the connection's address
    settings.MAATPAK_TRUSTED_PROXIES = 1
    # The left entry is whatever the client sent (spoofable); the proxy appended the right one.
    assert client_ip_address(request) == "192.0.2.44"
    settings.MAATPAK_TRUSTED_PROXIES = 2
    assert client_ip_address(request) == "203.0.113.99"
    garbage = factory.post("/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    settings.MAATPAK_TRUSTED_PROXIES = 1
    assert client_ip_address(garbage) == "10.0.0.2"
