"""Issue 14 must-show, in real Chromium: a participant downloads their right-of-access PDF and sees
who viewed their file.

Beforehand their consultant opens the dossier (the real dossier page, which writes the audit
row). The participant then logs in through the portal's log-in form, follows "Mijn gegevens" from
the portal's start page, sees the municipality and the consultant's role (not the consultant's
name) under "Wie heeft mijn dossier bekeken?", their own data under its headings, and downloads
the PDF; the page passes axe-core's WCAG 2.1 AA checks."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction, AuditEvent
from tests.e2e.conftest import AXE_JS, WCAG_TAGS, _format
from tests.factories import TEST_PASSWORD, MunicipalityFactory, ParticipantFactory, SanctionFactory, TeamFactory, UserFactory
from tests.portal.factories import plan_for


def _assert_accessible(page):
    """axe-core's WCAG 2.1 A/AA rules on the current page. Loaded with evaluate(), which the
    Content-Security-Policy does not block (an injected <script> tag, as conftest's
    assert_accessible adds it, is inline code and is refused)."""
    with open(AXE_JS, encoding="utf-8") as source:
        page.evaluate(source.read())
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert result["violations"] == [], f"WCAG 2.1 AA violations on {page.url}:\n{_format(result['violations'])}"


@pytest.fixture
def world(transactional_db):
    municipality = MunicipalityFactory(code="GM9998", name="Inzagedorp")
    team = TeamFactory(municipality=municipality, name="Team Inzage")
    consultant = UserFactory(
        role=Role.CONSULTANT, municipalities=[municipality], team=team, username="kim-inzage", first_name="Kimberley", last_name="Verhoeven"
    )
    login = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="deelnemer-inzage")
    participant = ParticipantFactory(municipality=municipality, consultant=consultant, user=login, first_name="Noor")
    _trajectory, plan = plan_for(participant, consultant=consultant)
    reason = f"Niet verschenen op het gesprek ({uuid.uuid4().hex[:6]})"
    SanctionFactory(agreement=plan.agreements.first(), reason=reason, recorded_by=consultant)
    return {"participant": participant, "consultant": consultant, "reason": reason}


def test_participant_downloads_the_access_pdf_and_sees_who_viewed_the_file(page, live_server, world):
    participant = world["participant"]
    # The consultant opens the dossier through the real page (in process, before the browser).
    staff = Client()
    staff.force_login(world["consultant"])
    assert staff.get(reverse("participants:dossier", args=[participant.pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=world["consultant"], action=AuditAction.READ, participant_id=participant.pk).exists()

    page.goto(live_server.url + "/portal/login/")
    page.get_by_label("Gebruikersnaam").fill("deelnemer-inzage")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Noor")

    # The portal menu and the start page both lead there; the participant uses the menu.
    page.get_by_role("navigation", name="Mijn Maatpak").get_by_role("link", name="Mijn gegevens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat weet de gemeente over mij?")

    # Who looked: the municipality and the role, never the consultant's name.
    who = page.locator("section", has=page.get_by_role("heading", name="Wie heeft mijn dossier bekeken?"))
    row = who.get_by_role("row").filter(has_text="Klantmanager")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Inzagedorp")
    expect(row).to_contain_text("Inzien")
    expect(who).not_to_contain_text("Kimberley")
    expect(who).not_to_contain_text("Verhoeven")
    expect(who).not_to_contain_text("kim-inzage")

    # Their data, under its heading.
    sanctions = page.locator("details", has=page.get_by_text("Maatregelen en de besluiten daarover"))
    sanctions.locator("summary").click()
    expect(sanctions).to_contain_text(world["reason"])
    _assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("inzage-") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(
        actor=participant.user, action=AuditAction.EXPORT, participant_id=participant.pk, detail__format="pdf"
    ).exists()
