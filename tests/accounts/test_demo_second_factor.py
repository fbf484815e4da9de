"""Requirement (issue 14.1): the demo's staff accounts have an authenticator app with a fixed,
printed secret and recovery codes, so a tester logs in with the second factor; `manage.py demo`
prints how, and says the second step is offered, not required, under DEBUG."""

import base64
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatpak.accounts.roles import Role
from maatpak.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_RECOVERY_CODES, DEMO_TOTP_SECRET, generate_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    generate_demo(participants=15, seed=3, log=lambda *_: None)


def _demo_code() -> str:
    return str(totp(base64.b32decode(DEMO_TOTP_SECRET))).zfill(6)


def test_every_demo_staff_account_has_the_printed_app_and_recovery_codes_the_participant_none(demo):
    for username, role, _description in DEMO_ACCOUNTS:
        devices = TOTPDevice.objects.filter(user__username=username, confirmed=True)
        tokens = set(StaticToken.objects.filter(device__user__username=username).values_list("token", flat=True))
        if role == Role.PARTICIPANT:
            assert not devices.exists() and not tokens
        else:
            assert base64.b32encode(devices.get().bin_key).decode() == DEMO_TOTP_SECRET
            assert tokens == set(DEMO_RECOVERY_CODES)


def test_a_demo_account_logs_in_with_the_code_from_the_printed_secret(client, settings, demo):
    settings.MAATPAK_REQUIRE_SECOND_FACTOR = True
    response = client.post(reverse("accounts:login"), {"username": "teamleider", "password": DEMO_PASSWORD})
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert client.post(reverse("accounts:second_factor"), {"code": _demo_code()}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_demo_recovery_code_works(client, settings, demo):
    settings.MAATPAK_REQUIRE_SECOND_FACTOR = True
    client.post(reverse("accounts:login"), {"username": "analist", "password": DEMO_PASSWORD})
    assert client.post(reverse("accounts:second_factor"), {"code": DEMO_RECOVERY_CODES[3]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_command_prints_how_to_log_in_with_the_second_factor():
    out = io.StringIO()
    call_command("demo", "--participants", "15", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "MAAT PAKD EMOD" in text and DEMO_RECOVERY_CODES[0] in text
    assert "offered, not required" in text and "MAATPAK_REQUIRE_SECOND_FACTOR" in text
