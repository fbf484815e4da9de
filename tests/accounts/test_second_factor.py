"""Requirement (issue 14.1): a TOTP second factor for every staff role — enrolment with a QR code
(and the secret to type), confirmed with a first code, ten recovery codes shown once, each
working once; the code step after the password; enforced on every page, the admin and the API
when MAATPAK_REQUIRE_SECOND_FACTOR is on (production), offered otherwise; participants are not
asked (they log in with DigiD or their activation). Enrolment, wrong codes and recovery-code
use are in the audit log.

The suite runs with the requirement off (it uses force_login everywhere); these tests turn it on."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatpak.accounts.roles import Role
from maatpak.accounts.two_factor import recovery_codes_replace
from maatpak.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.MAATPAK_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def staff(municipality):
    return UserFactory(username="km", municipalities=[municipality])


def _code(device) -> str:
    device.refresh_from_db()
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def _app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _password_step(client, username="km", url_name="accounts:login", next_url=""):
    data = {"username": username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse(url_name), data)


def test_staff_without_an_app_is_taken_to_set_up_with_a_qr_code_and_the_secret(client, required, staff):
    response = _password_step(client, next_url="/participants/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Inloggen in twee stappen instellen" in html
    qr = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert qr and base64.b64decode(qr.group(1)).lstrip().startswith(b"<")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert secret[:4] + " " + secret[4:8] in html
    # The page carries a secret: no browser or proxy keeps a copy.
    assert "no-store" in page["Cache-Control"]


def test_setting_up_wrong_code_is_refused_then_the_right_one_gives_ten_recovery_codes_once(client, required, staff):
    _password_step(client)
    setup = reverse("accounts:second_factor_setup")
    client.get(setup)
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = client.post(setup, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Deze code klopt niet" in wrong.content.decode()
    assert AuditEvent.objects.filter(actor=staff, action="login_failed", purpose="second factor set-up").count() == 1
    device.throttle_reset()
    done = client.post(setup, {"code": _code(device), "next": "/participants/"})
    assert done.status_code == 200
    codes = re.findall(r'<code class="activation-code">([a-z2-7]+)</code>', done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "U ziet deze codes alleen nu" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert sorted(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)) == sorted(codes)
    assert AuditEvent.objects.filter(actor=staff, action="create", purpose="second factor set up").exists()
    # Verified now: the caseload opens; the set-up page, asked again, shows a new secret (a new
    # app), never the recovery codes again.
    assert client.get(reverse("participants:caseload")).status_code == 200
    again = client.get(setup).content.decode()
    assert not any(code in again for code in codes)


def test_staff_with_an_app_is_asked_for_its_code_and_gets_in(client, required, staff):
    device = _app(staff)
    response = _password_step(client, next_url="/participants/")
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert client.get(reverse("participants:caseload")).status_code == 302  # not verified yet
    page = client.get(response["Location"]).content.decode()
    assert "Inloggen in twee stappen" in page and "Deze stap overslaan" not in page
    done = client.post(reverse("accounts:second_factor"), {"code": _code(device), "next": "/participants/"})
    assert done.status_code == 302 and done["Location"] == "/participants/"
    assert client.get(reverse("participants:caseload")).status_code == 200


def test_a_wrong_code_is_refused_in_dutch_audited_and_throttled(client, required, staff):
    device = _app(staff)
    _password_step(client)
    right = _code(device)
    wrong = client.post(reverse("accounts:second_factor"), {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Deze code klopt niet" in wrong.content.decode()
    event = AuditEvent.objects.get(actor=staff, action="login_failed", purpose="second factor")
    assert event.detail == {"username": "km", "method": "app"}
    # Straight after a wrong code even the right one waits (django-otp's back-off: 1, 2, 4 … s).
    throttled = client.post(reverse("accounts:second_factor"), {"code": right})
    assert throttled.status_code == 400 and "Te veel foute codes achter elkaar" in throttled.content.decode()
    assert client.get(reverse("participants:caseload")).status_code == 302
    device.throttle_reset()
    assert client.post(reverse("accounts:second_factor"), {"code": right}).status_code == 302
    assert client.get(reverse("participants:caseload")).status_code == 200


def test_a_recovery_code_works_once_and_its_use_is_audited(client, required, staff):
    _app(staff)
    codes = recovery_codes_replace(user=staff)
    _password_step(client)
    used = client.post(reverse("accounts:second_factor"), {"code": codes[0].upper(), "next": "/participants/"})
    assert used.status_code == 302
    # Straight to setting up the app again (a lost phone is the usual reason), with a warning.
    assert used["Location"].startswith(reverse("accounts:second_factor_setup"))
    assert "nog 9" in client.get(used["Location"]).content.decode()
    assert client.get(reverse("participants:caseload")).status_code == 200
    event = AuditEvent.objects.get(actor=staff, purpose="recovery code used")
    assert event.action == "login" and event.detail == {"recovery_codes_left": 9}
    client.post(reverse("accounts:logout"))
    _password_step(client)
    again = client.post(reverse("accounts:second_factor"), {"code": codes[0]})
    assert again.status_code == 400 and "Deze code klopt niet" in again.content.decode()
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_the_password_alone_cannot_replace_an_app_that_is_set_up(client, required, staff):
    _app(staff)
    _password_step(client)
    response = client.get(reverse("accounts:second_factor_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_factor"))
    assert not TOTPDevice.objects.filter(user=staff, confirmed=False).exists()


@pytest.mark.parametrize("path", ["/", "/participants/", "/admin/", "/audit/"])
def test_an_unverified_staff_session_is_sent_to_the_second_step_everywhere(client, required, municipality, path):
    staff = UserFactory(username="km", role=Role.ADMIN, is_staff=True, municipalities=[municipality])
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    _app(staff)
    assert client.get(path)["Location"].startswith(reverse("accounts:second_factor") + "?next=")


def test_the_admin_log_in_is_no_way_around_the_second_step(client, required, municipality):
    admin = UserFactory(username="beheer", role=Role.ADMIN, is_staff=True, municipalities=[municipality])
    device = _app(admin)
    response = client.post(reverse("admin:login"), {"username": "beheer", "password": TEST_PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    admin_index = client.get("/admin/")
    assert admin_index.status_code == 302 and admin_index["Location"].startswith(reverse("accounts:second_factor"))
    client.post(reverse("accounts:second_factor"), {"code": _code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_api_answers_403_problem_json_to_an_unverified_staff_session(client, required, staff):
    client.force_login(staff)
    response = client.get(reverse("api:schema"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 403 and "tweede stap" in body["detail"]


def test_htmx_requests_are_sent_to_the_second_step_with_hx_redirect(client, required, staff):
    client.force_login(staff)
    response = client.get("/participants/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("accounts:second_factor_setup"))


def test_participants_are_not_asked_for_a_second_factor(client, required, municipality, consultant):
    user = UserFactory(username="sam", role=Role.PARTICIPANT, municipalities=[municipality])
    ParticipantFactory(municipality=municipality, consultant=consultant, user=user)
    response = _password_step(client, username="sam", url_name="portal:login")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_the_step_pages_are_for_staff_only(client, required, municipality):
    client.force_login(UserFactory(role=Role.PARTICIPANT, municipalities=[municipality]))
    assert client.get(reverse("accounts:second_factor_setup"))["Location"] == reverse("home")
    assert not TOTPDevice.objects.exists()


def test_not_required_staff_without_an_app_go_straight_in(client, staff):
    response = _password_step(client, next_url="/participants/")
    assert response["Location"] == "/participants/"
    assert client.get("/participants/").status_code == 200


def test_not_required_staff_with_an_app_are_offered_the_step_and_may_skip_it(client, staff):
    _app(staff)
    response = _password_step(client, next_url="/participants/")
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    page = client.get(response["Location"]).content.decode()
    assert "Deze stap overslaan" in page and 'href="/participants/"' in page
    assert client.get("/participants/").status_code == 200


def test_next_cannot_send_anyone_to_another_site(client, required, staff):
    device = _app(staff)
    _password_step(client)
    response = client.post(reverse("accounts:second_factor"), {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_setting_up_a_new_app_replaces_the_old_one_and_the_old_recovery_codes(client, required, staff):
    old = _app(staff)
    old_codes = recovery_codes_replace(user=staff)
    _password_step(client)
    client.post(reverse("accounts:second_factor"), {"code": _code(old)})
    page = client.get(reverse("accounts:second_factor_setup")).content.decode()
    assert "U stelt een nieuwe app in" in page
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    client.post(reverse("accounts:second_factor_setup"), {"code": _code(new)})
    assert list(TOTPDevice.objects.filter(user=staff).values_list("pk", flat=True)) == [new.pk]
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    assert StaticDevice.objects.filter(user=staff).count() == 1
    assert client.get(reverse("participants:caseload")).status_code == 200
