"""Issue 13 must-show, in real Chromium: a person who did not exist before is followed from intake to
outcome, every fact typed by the person who knows it. The consultant registers them (BSN, benefit,
domains, the ladder's question flow, Sol group) and makes a portal activation code; writes the plan
with the participant's own idea, both sign, and refers to a provider; the provider reports the goal
reached; the consultant confirms it; a placement is recorded and its 6-month check; the trajectory
closes with an end report. The participant then opens their account with the code and sees the
goal reached and the placement."""

import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from maatpak.accounts.models import User
from maatpak.demo.generator import DEMO_PASSWORD, generate_demo
from maatpak.employers.models import PlacementFollowUp
from maatpak.participants.models import Participant
from maatpak.trajectories.models import Goal, GoalStatus, Trajectory, TrajectoryStatus

BSN = "111222333"  # passes the 11-test; nobody in the demo has it
GOAL = "Drie maanden vrijwilligerswerk bij de kringloop"


@pytest.fixture
def demo(transactional_db):
    generate_demo(participants=30, seed=13, log=lambda *a: None)
    return User.objects.get(username="aanbieder").provider


def _form(page, section):
    return page.locator(f"section#{section} form").first


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()


def test_a_new_person_from_intake_to_outcome(page, live_server, login, demo, assert_accessible):
    today = dt.date.today()
    placement_start = today - relativedelta(months=6, days=5)
    login(page, "klantmanager", DEMO_PASSWORD)

    # 1. Intake: a person the system has never seen.
    page.get_by_role("link", name="Caseload", exact=True).first.click()
    page.get_by_role("link", name="Nieuwe deelnemer aanmelden").click()
    page.get_by_label("BSN").fill(BSN)
    page.get_by_label("Klantnummer").fill("KETEN-001")
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Achternaam").fill("Ketenaar")
    page.get_by_label("Geboortedatum").fill("1988-04-12")
    page.get_by_label("Straat en huisnummer").fill("Stationsweg 4")
    page.get_by_label("Postcode").fill("9201 AB")
    page.get_by_label("Woonplaats").fill("Drachten")
    page.get_by_label("Uitkering", exact=True).select_option(index=1)
    page.get_by_label("Uitkering sinds").fill((today - relativedelta(years=2)).isoformat())
    page.get_by_label("Bedrag per maand (euro)").fill("1250,00")
    page.get_by_label("Groep van Sol").select_option(index=4)
    page.get_by_role("group", name="Heeft de deelnemer betaald werk?").get_by_label("Nee").check()
    page.get_by_role("group", name=re.compile("^Vrijwilligerswerk of een stage")).get_by_label("Nee").check()
    page.get_by_role("group", name=re.compile("^Elke week een georganiseerde activiteit")).get_by_label("Ja").check()
    page.get_by_role("group", name="Is betaald werk over ongeveer een jaar haalbaar?").get_by_label("Nee").check()
    page.get_by_role("group", name=re.compile("^Is vrijwilligerswerk of een stage")).get_by_label("Ja").check()
    page.get_by_label("Activeringscode maken voor Mijn Maatpak").check()
    assert_accessible(page)
    page.get_by_role("button", name="Aanmelden").click()

    # The activation code, shown once, for the participant's letter.
    page.get_by_role("button", name="Code maken").click()
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page.locator("main").inner_text()).group(0)
    noor = Participant.objects.get(reference="KETEN-001")
    assert noor.bsn == BSN and noor.ladder_assessments.get().rung == 3 and noor.ladder_assessments.get().potential_rung == 4

    # 2. A trajectory plan written with her: her idea, a goal, an instrument for that goal at the provider.
    page.goto(live_server.url + f"/participants/{noor.pk}/")
    page.get_by_role("link", name="Nieuw traject").click()
    page.get_by_role("button", name="Traject starten").click()
    plan = _form(page, "plan")
    plan.get_by_label("Einddoel", exact=True).select_option("regular_work")
    plan.get_by_label("Einddoel in woorden").fill("Betaald werk in de kringloopwinkel")
    plan.get_by_label("Geplande start").fill(today.isoformat())
    plan.get_by_label("Gepland einde").fill((today + dt.timedelta(days=300)).isoformat())
    plan.get_by_label("Wat er gebeurt als er geen baan komt").fill("Vrijwilligerswerk houden en opnieuw kijken")
    plan.get_by_role("button", name="Plan opslaan").click()
    expect(page.get_by_text("Het plan is opgeslagen.")).to_be_visible()
    goal = _form(page, "goal")
    goal.get_by_label("Tussendoel", exact=True).fill(GOAL)
    goal.get_by_label("Hoe we weten dat het bereikt is").fill("12 weken elke week 2 dagdelen")
    goal.get_by_label("Streefdatum").fill((today + dt.timedelta(days=90)).isoformat())
    goal.get_by_role("button", name="Tussendoel toevoegen").click()
    expect(page.get_by_text("Het tussendoel is toegevoegd.")).to_be_visible()
    idea = _form(page, "idea")
    idea.get_by_label("Het idee van de deelnemer, in eigen woorden").fill("Ik wil graag iets met spullen opknappen.")
    idea.get_by_label("Hoe we het ondersteunen, of waarom niet").fill("Een plek bij de kringloop, met begeleiding.")
    idea.get_by_role("button", name="Idee toevoegen").click()
    expect(page.locator("section#idea")).to_contain_text("Ik wil graag iets met spullen opknappen.")
    instrument = _form(page, "instrument")
    instrument.get_by_label("Instrument", exact=True).select_option(index=1)
    instrument.get_by_label("Aanbieder").select_option(label=demo.name)
    instrument.get_by_label("Van").fill(today.isoformat())
    instrument.get_by_label("Tot").fill((today + dt.timedelta(days=120)).isoformat())
    instrument.get_by_label("Voor het tussendoel").select_option(label=GOAL)
    instrument.get_by_role("button", name="Instrument toevoegen").click()
    expect(page.get_by_text("Het instrument is toegevoegd.")).to_be_visible()
    for party, text in (("participant", "Ik ga twee dagdelen per week."), ("municipality", "De gemeente vergoedt de reiskosten.")):
        agreement = page.locator("section#agreement form").last
        agreement.get_by_label("Wie belooft het").select_option(party)
        agreement.get_by_label("Afspraak", exact=True).fill(text)
        agreement.get_by_label("Uiterste datum").fill((today + dt.timedelta(days=60)).isoformat())
        agreement.get_by_role("button", name="Afspraak toevoegen").click()
        expect(page.locator("section#agreement")).to_contain_text(text)
    page.get_by_role("button", name="De deelnemer en ik zijn het eens over dit plan").click()
    expect(page.get_by_text("Het plan is akkoord")).to_be_visible()
    # No referral before both signed.
    expect(page.get_by_role("button", name="Aanmelding voorstellen")).to_have_count(0)
    for party, name in (("consultant", "Kim de Vries"), ("participant", "Noor Ketenaar")):
        sign = _form(page, "sign")
        sign.get_by_label("Wie tekent", exact=True).select_option(party)
        sign.get_by_label("Naam van wie tekent").fill(name)
        sign.get_by_label("Datum van ondertekening").fill(today.isoformat())
        sign.get_by_role("button", name="Handtekening vastleggen").click()
        expect(page.get_by_text("De handtekening is vastgelegd.")).to_be_visible()
    referral = _form(page, "referral")
    referral.get_by_label("Aanbieder", exact=True).select_option(label=demo.name)
    referral.get_by_role("button", name="Aanmelding voorstellen").click()
    expect(page.get_by_text("De aanmelding is aan de aanbieder voorgesteld.")).to_be_visible()
    trajectory = Trajectory.objects.get(participant=noor)
    _logout(page)

    # 3. The provider accepts, holds the intake, starts, and reports the goal reached.
    login(page, "aanbieder", DEMO_PASSWORD)
    page.get_by_role("link", name="Aanmeldingen", exact=True).first.click()
    page.get_by_role("link", name="Noor Ketenaar").first.click()
    page.get_by_role("button", name="Aanmelding accepteren").click()
    page.get_by_role("button", name="Intake vastleggen").click()
    page.get_by_role("button", name="Start vastleggen").click()
    report = _form(page, "progress")
    report.get_by_label("Gedane activiteiten").fill("Elke week twee dagdelen in de kringloop gewerkt.")
    report.get_by_label("Volgende stappen").fill("Zoeken naar een betaalde baan in de kringloop.")
    report.get_by_label("De mening van de deelnemer zelf").fill("Ik vind het leuk werk.")
    report.get_by_label("De deelnemer heeft deze rapportage gezien").check()
    report.get_by_label(GOAL).select_option(label="Bereikt")
    report.get_by_role("button", name="Voortgangsrapportage versturen").click()
    expect(page.get_by_text("De voortgangsrapportage is verstuurd.")).to_be_visible()
    _logout(page)

    # 4. The consultant confirms the proposal from the report.
    login(page, "klantmanager", DEMO_PASSWORD)
    page.goto(live_server.url + f"/trajectories/{trajectory.pk}/")
    page.locator("section#referral a[href*='/providers/rapportage/progress/']").first.click()
    page.get_by_text("Bevestigen of aanpassen").first.click()
    page.get_by_role("button", name="Status opslaan").first.click()
    expect(page.get_by_text("De status van het doel is opgeslagen.")).to_be_visible()
    assert Goal.objects.get(plan__trajectory=trajectory, description=GOAL).status == GoalStatus.REACHED

    # 5. A placement (started half a year ago) and its 6-month check.
    page.goto(live_server.url + f"/participants/{noor.pk}/")
    form = page.locator("section#placements form", has=page.get_by_role("button", name="Plaatsing vastleggen"))
    form.get_by_label("Soort").select_option("regular")
    form.get_by_label("Werkgever").select_option(index=1)
    form.get_by_label("Startdatum").fill(placement_start.isoformat())
    form.get_by_label("Uren per week").fill("24")
    form.get_by_role("button", name="Plaatsing vastleggen").click()
    expect(page.locator("section#placements > ul")).to_contain_text("Regulier werk")  # the list, not the drop-down
    check = page.locator("section#placements form", has=page.get_by_role("button", name="Nazorgcontact opslaan"))
    six_months = check.get_by_label("Nazorgcontact", exact=True).locator("option", has_text="6 maanden")
    check.get_by_label("Nazorgcontact", exact=True).select_option(six_months.get_attribute("value"))
    check.get_by_label("Werkt de deelnemer er nog?").select_option("yes")
    check.get_by_role("button", name="Nazorgcontact opslaan").click()
    expect(page.locator("section#placements > ul")).to_contain_text("werkt er nog")
    assert PlacementFollowUp.objects.get(placement__participant=noor, months=6).still_working is True

    # 6. Close the trajectory with its end report.
    page.goto(live_server.url + f"/trajectories/{trajectory.pk}/")
    close = _form(page, "close")
    close.get_by_label("Conclusie van de eindrapportage").fill("Noor werkt 24 uur per week in de kringloop.")
    close.get_by_label("Resultaat").select_option("regular_work")
    close.get_by_role("button", name="Afsluiten met deze eindrapportage").click()
    expect(page.get_by_text("Het traject is afgesloten met de eindrapportage.")).to_be_visible()
    assert Trajectory.objects.get(pk=trajectory.pk).status == TrajectoryStatus.CLOSED
    _logout(page)

    # 7. The participant opens her account with the code and sees her goal and her work.
    page.goto(live_server.url + "/portal/login/")
    page.get_by_role("link", name="Ik heb een activeringscode").click()
    page.get_by_label("Klantnummer").fill("KETEN-001")
    page.get_by_label("Activeringscode").fill(code)
    page.get_by_label("Uw geboortedatum").fill("1988-04-12")
    page.get_by_label("Kies een gebruikersnaam").fill("noor.ketenaar")
    page.get_by_label("Kies een wachtwoord").fill("Kringloop-2026-werk")
    page.get_by_label("Wachtwoord nog een keer").fill("Kringloop-2026-werk")
    page.get_by_role("button", name="Mijn account openen").click()
    expect(page.locator("main")).to_contain_text("Mijn werk en school")
    expect(page.locator("main")).to_contain_text("Regulier werk")
    assert_accessible(page)
    page.get_by_role("link", name="Mijn plan").first.click()
    expect(page.locator("main li", has_text=GOAL)).to_contain_text("Bereikt")
