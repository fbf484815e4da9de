"""Issue 3 (part A) in real Chromium: the demo consultant's caseload shows signal counts; they
find a participant by name and by BSN (which never appears in a URL), open the integral dossier and record a wish in the
participant's own words through the htmx form; the team lead sees the team overview. axe-core
checks WCAG 2.1 AA on each of these screens."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from maatpak.accounts.models import User
from maatpak.demo.generator import DEMO_PASSWORD, generate_demo
from tests.factories import ParticipantFactory, valid_bsn

BSN = valid_bsn(4_242_424)


@pytest.fixture
def demo(transactional_db):
    generate_demo(participants=40, seed=7, log=lambda *a: None)
    kim = User.objects.get(username="klantmanager")
    # Registered long ago, never contacted: at least this one shows "no contact for 90 days".
    return ParticipantFactory(
        municipality=kim.municipalities.get(),
        consultant=kim,
        first_name="Joost",
        last_name="Zoekbaar",
        bsn=BSN,
        registered_on=dt.date(2024, 1, 1),
    )


def test_consultant_finds_a_participant_by_name_and_bsn_and_records_a_wish(page, live_server, login, demo, assert_accessible):
    login(page, "klantmanager", DEMO_PASSWORD)
    page.get_by_role("link", name="Caseload", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    signals = page.get_by_role("region", name="Signalen")
    no_contact = signals.get_by_role("link", name="90 dagen geen contact")
    expect(no_contact).to_be_visible()
    count = int(no_contact.locator(".badge").inner_text())
    assert count >= 1
    assert_accessible(page)

    # Each count is a filter: following it shows exactly that many participants.
    no_contact.click()
    expect(page.locator("table caption")).to_contain_text(f"{count} deelnemer")

    search = page.get_by_label("Zoek op naam, BSN of klantnummer")
    search.fill("Zoekbaar")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name="Joost Zoekbaar")).to_be_visible()

    # The search form is posted; a BSN comes back only as an opaque key, never in a URL
    # (URLs end up in server and proxy logs) nor in a redirect.
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("response", lambda response: seen.append(response.headers.get("location", "")))
    search.fill(BSN)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("table caption")).to_have_text("1 deelnemer")
    expect(page.get_by_text(f"Zoekopdracht op het BSN dat eindigt op {BSN[-3:]}.")).to_be_visible()
    assert "search=" in page.url
    assert all(BSN not in url for url in [*seen, page.url]), seen
    page.get_by_role("link", name="Joost Zoekbaar").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Joost Zoekbaar")
    assert_accessible(page)
    page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role("link", name="Wensen en ideeën").click()
    wishes = page.locator("section#wishes")
    # An empty wish is refused with a Dutch message, shown next to the field.
    wishes.get_by_role("button", name="Wens vastleggen").click()
    expect(wishes.locator(".errorlist")).to_have_text("Schrijf de wens op in de eigen woorden van de deelnemer.")
    expect(wishes.get_by_role("textbox", name="In de eigen woorden van de deelnemer")).to_have_attribute("aria-invalid", "true")
    wishes.get_by_role("textbox", name="In de eigen woorden van de deelnemer").fill("Ik wil fietsen repareren, dat deed ik vroeger ook.")
    wishes.get_by_role("button", name="Wens vastleggen").click()
    expect(page.locator("section#wishes")).to_contain_text("Ik wil fietsen repareren, dat deed ik vroeger ook.")
    expect(page.locator("section#wishes").get_by_role("status")).to_have_text("Opgeslagen.")
    assert_accessible(page)


def test_team_lead_sees_caseloads_and_continuity_per_consultant(page, live_server, login, demo, assert_accessible):
    login(page, "teamleider", DEMO_PASSWORD)
    page.get_by_role("link", name="Teamoverzicht", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamoverzicht")
    sizes = page.get_by_role("table", name="Caseloadgrootte en signalen per klantmanager")
    expect(sizes.get_by_role("rowheader", name="Kim de Vries")).to_be_visible()
    assert_accessible(page)
    expect(
        page.get_by_role("table", name="Wisselingen van klantmanager per deelnemer in de laatste 24 maanden (continuïteit)")
    ).to_be_visible()
    # A consultant's name leads to their caseload, filtered.
    sizes.get_by_role("link", name="Kim de Vries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload van mijn team")
    kim = User.objects.get(username="klantmanager")
    expect(page.get_by_label("Klantmanager", exact=True)).to_have_value(str(kim.pk))
    expect(page.locator("table caption")).to_have_text(f"{kim.caseload.filter(moved_away_on__isnull=True).count()} deelnemers")
