"""Issue 5 must-show, in real Chromium (desktop and phone-sized): a participant logs in, reads
their plan, signs it, downloads the PDF, reacts to a report and downloads its copy, adds a wish,
sends a message, asks for another consultant, sends anonymous feedback, opens Help and logs out
to the portal log-in — every portal page passing axe-core's WCAG 2.1 AA checks on both
viewports. Then, in fresh browser contexts, the consultant sees exactly the wish and the message
the participant typed, and the team lead sees exactly the request."""

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from maatpak.accounts.roles import Role
from maatpak.portal.models import ConsultantChangeRequest
from maatpak.surveys.models import AnonymousFeedback
from maatpak.trajectories.models import PlanHandover, ReportCopy, Signature
from tests.factories import TEST_PASSWORD, MunicipalityFactory, ParticipantFactory, TeamFactory, UserFactory
from tests.portal.factories import plan_for, reports_for


@pytest.fixture
def world(transactional_db):
    municipality = MunicipalityFactory(code="GM9999", name="Demodorp")
    team = TeamFactory(municipality=municipality, name="Team Centrum")
    consultant = UserFactory(
        role=Role.CONSULTANT, municipalities=[municipality], team=team, username="kim", first_name="Kim", last_name="de Vries"
    )
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team, username="teamleider")
    login_user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="deelnemer")
    participant = ParticipantFactory(municipality=municipality, consultant=consultant, user=login_user, first_name="Sanne")
    trajectory, plan = plan_for(participant, consultant=consultant)
    Signature.objects.create(
        municipality=municipality,
        plan=plan,
        party="consultant",
        signer_name="Kim de Vries",
        signed_on=trajectory.started_on,
        method="in_person",
        recorded_by=consultant,
    )
    progress, _end = reports_for(trajectory, author=consultant)
    ReportCopy.objects.create(
        municipality=municipality, participant=participant, progress_report=progress, made_available_on=progress.submitted_on
    )
    return {"participant": participant, "plan": plan, "consultant": consultant, "lead": lead, "progress": progress}


def _portal_login(page, live_server):
    page.goto(live_server.url + "/portal/login/")
    page.get_by_label("Gebruikersnaam").fill("deelnemer")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Sanne")


def _staff_page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_participant_journey_and_staff_see_what_was_typed(request, browser, live_server, world, device, login, assert_accessible):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    # Unique per run, so the staff checks below can only pass on what was typed here.
    tag = uuid.uuid4().hex[:6]
    wish = f"Ik wil graag buiten werken, met planten ({tag})."
    message_subject, message_body = f"Vraag {tag}", f"Kan de intake op dinsdag? ({tag})"
    reason = f"Het klikt niet tussen ons ({tag})."

    _portal_login(page, live_server)
    assert_accessible(page)

    # Read and sign the plan; both sides' promises are on the page.
    page.get_by_role("link", name="Mijn plan", exact=True).first.click()
    expect(page.get_by_role("heading", name="Wat de gemeente afspreekt")).to_be_visible()
    expect(page.locator("li", has_text="De gemeente regelt kinderopvang").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ik heb mijn plan gelezen en ik ga ermee akkoord.").check()
    page.get_by_role("button", name="Mijn plan ondertekenen").click()
    expect(page.get_by_text("U heeft uw plan ondertekend")).to_be_visible()
    assert Signature.objects.filter(plan=world["plan"], party="participant", method="portal").exists()

    # Download the PDF copy: recorded as handed over via the portal.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Mijn plan downloaden (pdf)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert PlanHandover.objects.filter(plan=world["plan"], channel="portal").exists()

    # Reports: opening them records the first view on the copy; react; download a copy.
    page.get_by_role("link", name="Mijn rapportages").first.click()
    expect(page.get_by_role("heading", name="Mijn rapportages")).to_be_visible()
    assert ReportCopy.objects.get(progress_report=world["progress"]).first_viewed_on is not None
    assert_accessible(page)
    page.get_by_label("Uw reactie op deze rapportage").first.fill("De training was nuttig.")
    page.get_by_role("button", name="Mijn reactie toevoegen").first.click()
    expect(page.get_by_text("De training was nuttig.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Rapportage downloaden (pdf)").first.click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # My say: a wish, a message to the consultant, a request for another consultant.
    page.get_by_role("link", name="Mijn inbreng").first.click()
    assert_accessible(page)
    page.get_by_label("In uw eigen woorden").fill(wish)
    page.get_by_role("button", name="Mijn idee opslaan").click()
    expect(page.get_by_text(wish)).to_be_visible()
    page.get_by_label("Onderwerp").fill(message_subject)
    page.get_by_label("Uw bericht").fill(message_body)
    page.get_by_role("button", name="Versturen naar mijn klantmanager").click()
    expect(page.get_by_text("Uw bericht is naar uw klantmanager gestuurd")).to_be_visible()
    page.get_by_label("Waarom wilt u een andere klantmanager?").fill(reason)
    page.get_by_role("button", name="Een andere klantmanager vragen").click()
    expect(page.get_by_text("Uw verzoek is naar de teamleider gestuurd")).to_be_visible()
    assert ConsultantChangeRequest.objects.filter(participant=world["participant"], status="open").exists()

    # Anonymous feedback.
    page.get_by_role("link", name="Anonieme reactie").first.click()
    expect(page.get_by_text("IP-adres").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Waar gaat uw reactie over?").select_option("provider")
    page.get_by_label("Uw reactie (schrijf uw naam er niet in)").fill("Meer contact met echte werkgevers graag.")
    page.get_by_role("button", name="Anoniem versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw reactie")
    assert AnonymousFeedback.objects.filter(text="Meer contact met echte werkgevers graag.").exists()

    # Help, then log out: back on the portal log-in, not the staff one.
    page.goto(live_server.url + reverse("portal:home"))
    page.get_by_role("link", name="Hulp", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn Maatpak in het kort")
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Mijn Maatpak")
    assert page.url.endswith("/portal/login/")

    # The consultant, in a fresh browser, sees the wish and the message as typed above.
    context, staff = _staff_page(browser)
    try:
        login(staff, "kim", TEST_PASSWORD)
        staff.goto(live_server.url + reverse("participants:dossier", args=[world["participant"].pk]))
        expect(staff.get_by_text(wish)).to_be_visible()
        staff.goto(live_server.url + reverse("portal:inbox"))
        expect(staff.get_by_role("heading", name=message_subject)).to_be_visible()
        expect(staff.get_by_text(message_body)).to_be_visible()
    finally:
        context.close()

    # The team lead, in another fresh browser, sees the request with its reason.
    context, staff = _staff_page(browser)
    try:
        login(staff, "teamleider", TEST_PASSWORD)
        staff.get_by_role("link", name="Verzoeken andere klantmanager").first.click()
        expect(staff.get_by_text(reason)).to_be_visible()
        expect(staff.get_by_text("1 wacht op uw antwoord")).to_be_visible()
    finally:
        context.close()
