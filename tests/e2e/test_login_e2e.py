"""Requirement: a person can log in and out in a real browser, by keyboard alone (issue 2)."""

from playwright.sync_api import expect

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
