"""Requirement: a person can log in and out in a real browser, by keyboard alone (issue 2); ten
wrong passwords lock the account, staff log in with a code from their app, and an idle session
warns and ends (issue 14)."""

import base64

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.conftest import AXE_JS, WCAG_TAGS
from tests.factories import TEST_PASSWORD, MunicipalityFactory, UserFactory


def test_keyboard_only_login_and_logout(page, live_server, transactional_db):
    municipality = MunicipalityFactory(code="GM9999", name="Demodorp")
    UserFactory(username="klantmanager", first_name="Kim", municipalities=[municipality])
    page.goto(live_server.url + "/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # The user name field has focus on arrival; tab to the password and submit with Enter.
    # A consultant starts on their caseload.
    page.keyboard.type("klantmanager")
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inloggen bij Maatpak")


def test_wrong_password_shows_dutch_error(page, live_server, transactional_db, login):
    UserFactory(username="km2", municipalities=[MunicipalityFactory(code="GM9998")])
    login(page, "km2", "niet-het-wachtwoord")
    expect(page.get_by_role("alert")).to_contain_text("wachtwoord is niet juist")


def test_language_switch_to_english(page, live_server, transactional_db):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Maatpak")


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(page, live_server, transactional_db, login):
    """Issue 14: 300 wrong passwords were never throttled, then the right one worked."""
    UserFactory(username="km3", municipalities=[MunicipalityFactory(code="GM9997")])
    for _attempt in range(9):
        login(page, "km3", "niet-het-wachtwoord")
        expect(page.get_by_role("alert")).to_contain_text("wachtwoord is niet juist")
    login(page, "km3", "niet-het-wachtwoord")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen is tijdelijk geblokkeerd")
    login(page, "km3", TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen is tijdelijk geblokkeerd")
    expect(page.get_by_role("alert")).to_contain_text("Tot dan werkt ook het juiste wachtwoord niet")
    expect(page.get_by_role("alert")).to_contain_text("functioneel beheerder van uw gemeente")
    _assert_accessible(page)


def _assert_accessible(page):
    """axe-core's WCAG 2.1 A/AA rules, injected by evaluation: the Content-Security-Policy (no
    inline script) refuses the <script> tag that conftest's assert_accessible adds."""
    with open(AXE_JS, encoding="utf-8") as source:
        page.evaluate(source.read() + "\n;true")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert result["violations"] == [], f"WCAG 2.1 AA violations on {page.url}: {[v['id'] for v in result['violations']]}"


def _csp_violations(page) -> list:
    """Collects what the browser refuses under the Content-Security-Policy (console errors)."""
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    return refused


def _totp_now(device):
    device.refresh_from_db()
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def test_staff_log_in_asks_for_the_code_from_the_app_and_gets_in(page, live_server, transactional_db, login, settings):
    settings.MAATPAK_REQUIRE_SECOND_FACTOR = True
    user = UserFactory(username="km4", municipalities=[MunicipalityFactory(code="GM9996")])
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    login(page, "km4", TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen in twee stappen")
    assert "Deze stap overslaan" not in page.content()
    _assert_accessible(page)
    page.get_by_label("Code").fill(_totp_now(device))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")


def test_staff_without_an_app_sets_one_up_and_sees_the_recovery_codes_once(page, live_server, transactional_db, login, settings):
    settings.MAATPAK_REQUIRE_SECOND_FACTOR = True
    UserFactory(username="km5", municipalities=[MunicipalityFactory(code="GM9995")])
    refused = _csp_violations(page)
    login(page, "km5", TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen in twee stappen instellen")
    expect(page.get_by_role("img", name="QR-code voor uw authenticator-app")).to_be_visible()
    _assert_accessible(page)
    # What a person types into the app when scanning does not work: the secret on the page.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = str(totp(base64.b32decode(secret), 30, 0, 6, 0)).zfill(6)
    page.get_by_label("Code uit de app").fill(code)
    page.get_by_role("button", name="Bevestigen en verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    expect(page.get_by_role("list", name="Herstelcodes").get_by_role("listitem")).to_have_count(10)
    _assert_accessible(page)
    page.get_by_role("link", name="Ik heb ze bewaard: verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    assert refused == []


def test_the_idle_warning_offers_to_stay_and_then_logs_out(page, live_server, transactional_db, login, settings):
    settings.MAATPAK_IDLE_MINUTES = 0.25  # 15 seconds
    settings.MAATPAK_IDLE_WARNING_SECONDS = 10
    UserFactory(username="km6", municipalities=[MunicipalityFactory(code="GM9994")])
    refused = _csp_violations(page)
    login(page, "km6", TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    warning = page.get_by_role("alertdialog", name="U wordt zo uitgelogd")
    expect(warning).to_be_visible(timeout=20_000)
    expect(warning.get_by_role("button", name="Ingelogd blijven")).to_be_focused()
    _assert_accessible(page)
    warning.get_by_role("button", name="Ingelogd blijven").click()
    expect(warning).to_be_hidden()
    # Nobody touches the page again: the warning returns, then the log-in page with the reason.
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Maatpak", timeout=40_000)
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd")
    assert refused == []
