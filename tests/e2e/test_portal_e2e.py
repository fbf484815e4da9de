"""Issue 5 must-show, in real Chromium (desktop and phone-sized): a participant logs in, reads
their plan, signs it, downloads the PDF, reacts to a report, adds a wish (the consultant sees
it), asks for another consultant (the team lead sees it), and sends anonymous feedback."""

import pytest
from playwright.sync_api import expect

from maatpak.accounts.roles import Role
from maatpak.portal.models import ConsultantChangeRequest
from maatpak.surveys.models import AnonymousFeedback
from maatpak.trajectories.models import PlanHandover, Signature
from tests.factories import TEST_PASSWORD, MunicipalityFactory, ParticipantFactory, TeamFactory, UserFactory
from tests.portal.factories import plan_for, reports_for


@pytest.fixture
def world(transactional_db):
    municipality = MunicipalityFactory(code="GM9999", name="Demodorp")
    team = TeamFactory(municipality=municipality, name="Team Centrum")
    consultant = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team, username="kim", first_name="Kim", last_name="de Vries")
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team, username="teamleider")
    login_user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="deelnemer")
    participant = ParticipantFactory(municipality=municipality, consultant=consultant, user=login_user, first_name="Sanne")
    trajectory, plan = plan_for(participant, consultant=consultant)
    Signature.objects.create(municipality=municipality, plan=plan, party="consultant", signer_name="Kim de Vries", signed_on=trajectory.started_on, method="in_person", recorded_by=consultant)
    progress, _end = reports_for(trajectory, author=consultant)
    return {"participant": participant, "plan": plan, "consultant": consultant, "lead": lead, "progress": progress}


def _portal_login(page, live_server):
    page.goto(live_server.url + "/portal/login/")
    page.get_by_label("Gebruikersnaam").fill("deelnemer")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Sanne")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_participant_journey(request, live_server, world, device, login):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    _portal_login(page, live_server)

    # Read and sign the plan; both sides' promises are on the page.
    page.get_by_role("link", name="Mijn plan", exact=True).first.click()
    expect(page.get_by_role("heading", name="Wat de gemeente afspreekt")).to_be_visible()
    expect(page.get_by_text("De gemeente regelt kinderopvang")).to_be_visible()
    page.get_by_label("Ik heb mijn plan gelezen en ik ga ermee akkoord.").check()
    page.get_by_role("button", name="Mijn plan ondertekenen").click()
    expect(page.get_by_text("U heeft uw plan ondertekend")).to_be_visible()
    assert Signature.objects.filter(plan=world["plan"], party="participant", method="portal").exists()

    # Download the PDF copy: recorded as handed over via the portal.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Mijn plan downloaden (pdf)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert PlanHandover.objects.filter(plan=world["plan"], channel="portal").exists()

    # React to a report.
    page.get_by_role("link", name="Mijn rapportages").first.click()
    page.get_by_label("Uw reactie op deze rapportage").first.fill("De training was nuttig.")
    page.get_by_role("button", name="Mijn reactie toevoegen").first.click()
    expect(page.get_by_text("De training was nuttig.")).to_be_visible()

    # Add a wish, and ask for another consultant.
    page.get_by_role("link", name="Mijn inbreng").first.click()
    page.get_by_label("In uw eigen woorden").fill("Ik wil graag buiten werken, met planten.")
    page.get_by_role("button", name="Mijn idee opslaan").click()
    expect(page.get_by_text("Ik wil graag buiten werken, met planten.")).to_be_visible()
    page.get_by_role("button", name="Een andere klantmanager vragen").click()
    expect(page.get_by_text("Uw verzoek is naar de teamleider gestuurd")).to_be_visible()
    assert ConsultantChangeRequest.objects.filter(participant=world["participant"], status="open").exists()

    # Anonymous feedback.
    page.get_by_role("link", name="Anonieme reactie").first.click()
    expect(page.get_by_text("IP-adres")).to_be_visible()
    page.get_by_label("Waar gaat uw reactie over?").select_option("provider")
    page.get_by_label("Uw reactie (schrijf uw naam er niet in)").fill("Meer contact met echte werkgevers graag.")
    page.get_by_role("button", name="Anoniem versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw reactie")
    assert AnonymousFeedback.objects.filter(text="Meer contact met echte werkgevers graag.").exists()


def test_consultant_sees_the_wish_and_team_lead_sees_the_request(page, live_server, world, login):
    from maatpak.portal.services import consultant_change_request

    participant = world["participant"]
    consultant_change_request(actor=participant.user, participant=participant, reason="Het klikt niet.")
    from maatpak.participants.models import Wish

    Wish.objects.create(municipality=participant.municipality, participant=participant, kind="wish", text="Ik wil met dieren werken.", source="participant", recorded_by=participant.user)
    login(page, "kim", TEST_PASSWORD)
    from django.urls import reverse

    page.goto(live_server.url + reverse("participants:dossier", args=[participant.pk]))
    expect(page.get_by_text("Ik wil met dieren werken.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    login(page, "teamleider", TEST_PASSWORD)
    page.get_by_role("link", name="Verzoeken andere klantmanager").first.click()
    expect(page.get_by_text("Het klikt niet.")).to_be_visible()
