"""Issue 6 screen in real Chromium: the analyst reads gross rates, curves and a net effect."""

import pytest
from playwright.sync_api import expect

from maatpak.demo.generator import DEMO_PASSWORD, generate_demo


@pytest.fixture
def demo(transactional_db):
    generate_demo(participants=150, seed=4, log=lambda *a: None)


def test_analyst_compares_an_instrument_with_a_comparison_group(page, live_server, login, demo, assert_accessible):
    login(page, "analist", DEMO_PASSWORD)
    page.get_by_role("link", name="Wat werkt").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat werkt, voor wie")
    page.get_by_label("Te vergelijken behandeling (niet verplicht)").select_option("SOLL")
    page.get_by_label("Resultaat", exact=True).select_option("work_24m")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_role("heading", name="Netto-effect met een vergelijkingsgroep")).to_be_visible()
    expect(page.get_by_text("Tijd tot werk (Kaplan–Meier)")).to_be_visible()
    assert_accessible(page)


def test_policy_officer_reads_the_cautions_and_downloads_the_net_effect(page, live_server, login, demo):
    login(page, "beleidsmedewerker", DEMO_PASSWORD)
    page.get_by_role("link", name="Wat werkt").first.click()
    page.get_by_label("Te vergelijken behandeling (niet verplicht)").select_option("SOLL")
    page.get_by_label("Effect per groep (voor wie)").select_option("sol_group")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_text("komt uit de laatste versie van het plan")).to_be_visible()
    expect(page.get_by_role("table", name="Aantal nog in beeld per Aanbieder")).to_be_visible()
    expect(page.get_by_role("rowheader", name="(geen aanbieder)").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Netto-effect, balanstabel en effect per groep downloaden als CSV").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0].startswith("section;name;treated_n") and lines[1].startswith("effect;SOLL;")
