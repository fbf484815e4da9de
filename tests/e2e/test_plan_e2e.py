"""Issue 3 must-show, in real Chromium: the demo consultant finds a participant, records a wish
in their own words, writes a plan with goals, instruments and agreements of both sides, signs
it, downloads the PDF copy and records its hand-over (shown on screen), makes a new version with a
reason, changes an agreement's deadline in it, agrees on it and compares it with version 1, closes
the trajectory with an end report,
is refused a new one without a reason (message shown), and starts it with a reason."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from maatpak.accounts.models import User
from maatpak.core.templatetags.maatpak_tags import euros
from maatpak.demo.generator import DEMO_PASSWORD, generate_demo
from maatpak.trajectories.models import Instrument, PlanHandover, Trajectory
from tests.factories import ParticipantFactory


@pytest.fixture
def demo(transactional_db):
    generate_demo(participants=40, seed=11, log=lambda *a: None)
    kim = User.objects.get(username="klantmanager")
    return ParticipantFactory(
        municipality=kim.municipalities.get(),
        consultant=kim,
        first_name="Fenna",
        last_name="Testdeelnemer",
        registered_on=dt.date(2026, 1, 1),
    )


def _fill_and_submit(page, section, values, button):
    form = page.locator(f"section#{section} form").first
    for label, value in values.items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name=button).click()


def test_consultant_writes_signs_hands_over_and_closes_a_plan(page, live_server, login, demo, assert_accessible):
    today = dt.date.today()
    login(page, "klantmanager", DEMO_PASSWORD)
    page.get_by_role("link", name="Caseload", exact=True).first.click()
    page.get_by_label("Zoek op naam, BSN of klantnummer").fill("Testdeelnemer")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Fenna Testdeelnemer").click()

    # A wish in the participant's own words, through the htmx form (no page reload).
    page.get_by_role("textbox", name="In de eigen woorden van de deelnemer").fill("Ik wil graag in een dierenasiel werken.")
    page.get_by_role("button", name="Wens vastleggen").click()
    expect(page.locator("section#wishes")).to_contain_text("Ik wil graag in een dierenasiel werken.")

    page.get_by_role("link", name="Nieuw traject").click()
    page.get_by_role("button", name="Traject starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trajectplan van Fenna Testdeelnemer")

    plan = page.locator("section#plan form")
    plan.get_by_label("Einddoel", exact=True).select_option("regular_work")
    plan.get_by_label("Einddoel in woorden").fill("Betaald werk in de dierenzorg")
    plan.get_by_label("Geplande start").fill(today.isoformat())
    plan.get_by_label("Gepland einde").fill((today + dt.timedelta(days=300)).isoformat())
    plan.get_by_label("Wat er gebeurt als er geen baan komt").fill("Vrijwilligerswerk bij het asiel, daarna opnieuw kijken")
    plan.get_by_role("button", name="Plan opslaan").click()
    expect(page.get_by_text("Het plan is opgeslagen.")).to_be_visible()

    goal = page.locator("section#goal form")
    goal.get_by_label("Tussendoel", exact=True).fill("Drie maanden vrijwilligerswerk bij het asiel")
    goal.get_by_label("Hoe we weten dat het bereikt is").fill("12 weken elke week 8 uur aanwezig")
    goal.get_by_label("Streefdatum").fill((today + dt.timedelta(days=90)).isoformat())
    goal.get_by_role("button", name="Tussendoel toevoegen").click()
    expect(page.get_by_text("Het tussendoel is toegevoegd.")).to_be_visible()
    expect(page.locator("#goals-title")).to_be_focused()  # htmx swap keeps the keyboard user in place
    assert_accessible(page)  # the draft plan with all its forms

    idea = page.locator("section#idea form")
    idea.get_by_label("Kies een vastgelegde wens (niet verplicht)").select_option(
        label="Ik wil graag in een dierenasiel werken."
    )  # copied word for word
    idea.get_by_label("Hoe we het ondersteunen, of waarom niet").fill("We regelen een werkervaringsplaats bij het asiel.")
    idea.get_by_role("button", name="Idee toevoegen").click()
    expect(page.locator("section#idea > ul")).to_contain_text(
        "Ik wil graag in een dierenasiel werken. — ondersteund: We regelen een werkervaringsplaats"
    )

    instrument = page.locator("section#instrument form")
    instrument.get_by_label("Instrument", exact=True).select_option(
        label=f"Werkervaringsplaats ({euros(Instrument.objects.get(name='Werkervaringsplaats').default_cost_cents)})"
    )
    instrument.get_by_label("Van").fill(today.isoformat())
    instrument.get_by_label("Tot").fill((today + dt.timedelta(days=120)).isoformat())
    # Every instrument names what it is for (seed 000: work "on rhythm" nobody found needed).
    instrument.get_by_label("Voor het tussendoel").select_option(label="Drie maanden vrijwilligerswerk bij het asiel")
    instrument.get_by_role("button", name="Instrument toevoegen").click()
    expect(page.locator("section#instrument > ul")).to_contain_text("Werkervaringsplaats")  # the list, not the catalogue drop-down

    for party, text in (
        ("participant", "Ik ga drie dagdelen per week naar het asiel."),
        ("municipality", "De gemeente vergoedt de reiskosten."),
    ):
        agreement = page.locator("section#agreement form").last
        agreement.get_by_label("Wie belooft het").select_option(party)
        agreement.get_by_label("Afspraak", exact=True).fill(text)
        agreement.get_by_label("Uiterste datum").fill((today + dt.timedelta(days=60)).isoformat())
        agreement.get_by_role("button", name="Afspraak toevoegen").click()
        expect(page.locator("section#agreement")).to_contain_text(text)

    page.get_by_role("button", name="De deelnemer en ik zijn het eens over dit plan").click()
    expect(page.get_by_text("Het plan is akkoord")).to_be_visible()

    for party, name in (("consultant", "Kim de Vries"), ("participant", "Fenna Testdeelnemer")):
        sign = page.locator("section#sign form")
        sign.get_by_label("Wie tekent", exact=True).select_option(party)
        sign.get_by_label("Naam van wie tekent").fill(name)
        sign.get_by_label("Datum van ondertekening").fill(today.isoformat())
        sign.get_by_role("button", name="Handtekening vastleggen").click()
        expect(page.get_by_text("De handtekening is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Status: Actief")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Plan downloaden (pdf)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    handover = page.locator("section#handover form")
    handover.get_by_label("Hoe de kopie is uitgereikt").select_option("paper")
    handover.get_by_label("Datum").fill(today.isoformat())
    handover.get_by_role("button", name="Uitreiking vastleggen").click()
    expect(page.get_by_text("De uitreiking van het exemplaar is vastgelegd.")).to_be_visible()
    expect(page.locator("section#handover")).to_contain_text(
        f"Uitgereikt {today:%d-%m-%Y} (Op papier, persoonlijk)"
    )  # shown on screen, not only stored
    assert PlanHandover.objects.filter(plan__trajectory__participant=demo, channel="paper").exists()

    # A change after agreement: a new version with a reason, its copied agreement gets a later
    # deadline, it is agreed, and the comparison shows the change. Version 1 stays in force meanwhile.
    page.get_by_text("Een nieuwe versie maken, met een reden").click()
    page.locator("section#revise form").get_by_label("Reden voor de nieuwe versie (bijvoorbeeld tempo verlaagd)").fill("Tempo verlaagd")
    page.get_by_role("button", name="Nieuwe versie maken").click()
    expect(page.locator("#revision-notice")).to_contain_text("Tot dan blijft versie 1 geldig.")
    old_deadline, new_deadline = today + dt.timedelta(days=60), today + dt.timedelta(days=120)
    row = page.locator("section#agreement li", has_text="Ik ga drie dagdelen per week naar het asiel.")
    row.get_by_text("Wijzigen of verwijderen").click()
    row.get_by_label("Uiterste datum").fill(new_deadline.isoformat())
    row.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.get_by_text("De wijziging is opgeslagen.")).to_be_visible()
    page.get_by_role("button", name="De deelnemer en ik zijn het eens over dit plan").click()
    expect(page.get_by_text("Het plan is akkoord")).to_be_visible()
    expect(page.get_by_text("Status: Actief")).to_be_visible()  # the trajectory runs on while both sign version 2
    page.get_by_role("link", name="vergelijk met de vorige versie").click()
    expect(page.locator("del", has_text=f"Ik ga drie dagdelen per week naar het asiel. ({old_deadline:%d-%m-%Y})")).to_be_visible()
    expect(page.locator("ins", has_text=f"Ik ga drie dagdelen per week naar het asiel. ({new_deadline:%d-%m-%Y})")).to_be_visible()
    expect(page.get_by_text("Tempo verlaagd")).to_be_visible()
    page.get_by_role("link", name="Terug naar het plan").click()

    # Closing without a conclusion is refused; with one it works.
    page.locator("section#close form").get_by_role("button", name="Afsluiten met deze eindrapportage").click()
    expect(page.locator("section#close")).to_contain_text("schrijf de conclusie")
    expect(page.get_by_label("Conclusie van de eindrapportage")).to_be_focused()  # straight to the field to fix
    assert_accessible(page)  # the signed plan, with an error shown
    close = page.locator("section#close form")
    close.get_by_label("Conclusie van de eindrapportage").fill("Werkervaring opgedaan, maar nog geen baan: eerst rijbewijs halen.")
    close.get_by_label("Resultaat").select_option("none")
    close.get_by_role("button", name="Afsluiten met deze eindrapportage").click()
    expect(page.get_by_text("Het traject is afgesloten met de eindrapportage.")).to_be_visible()

    page.get_by_role("link", name="Nieuw traject starten").click()
    expect(page.get_by_text("eerst rijbewijs halen")).to_be_visible()
    page.get_by_role("button", name="Traject starten").click()
    expect(page.get_by_role("alert")).to_contain_text("Leg uit waarom een nieuw traject nodig is")
    assert_accessible(page)
    assert Trajectory.objects.filter(participant=demo).count() == 1
    page.get_by_label("Waarom een nieuw traject? Verwijs naar de conclusie van het vorige.").fill(
        "Het rijbewijs is nu gehaald, zoals de eindrapportage adviseerde; nu gericht op een baan."
    )
    page.get_by_label("Ik heb de conclusie van het vorige traject met de deelnemer doorgenomen.").check()
    page.get_by_role("button", name="Traject starten").click()
    expect(page.get_by_text("Het traject is aangemaakt.")).to_be_visible()
    assert Trajectory.objects.filter(participant=demo).count() == 2
