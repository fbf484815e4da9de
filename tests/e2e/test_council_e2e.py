"""Issue 15 in real Chromium: a council member opens the council report from the menu, reads
the checklist answers, downloads the PDF, and reaches no personal data — also not by typing the
address of a dossier, the API or the list behind a dashboard figure."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from maatpak.accounts.roles import Role
from maatpak.insights.indicators import Period
from maatpak.insights.models import ChecklistQuestion
from maatpak.participants.models import BenefitEndReason
from tests.factories import TEST_PASSWORD, BenefitFactory, MunicipalityFactory, ParticipantFactory, UserFactory


@pytest.fixture
def world(transactional_db):
    municipality = MunicipalityFactory(code="GM0090", name="Smallingerland")
    consultant = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], username="kim")
    UserFactory(role=Role.COUNCIL_MEMBER, municipalities=[municipality], username="raadslid")
    period = Period.last_ended(timezone.localdate())
    people = []
    # In the latest ended quarter 24 left the benefit for work, 5 for education (shown "< 10")
    # and 11 for another reason (hidden as "×", else 40 - 24 - 11 would give the 5 back).
    reasons = [BenefitEndReason.WORK] * 24 + [BenefitEndReason.EDUCATION] * 5 + [BenefitEndReason.OTHER] * 11
    for index, reason in enumerate(reasons):
        person = ParticipantFactory(municipality=municipality, consultant=consultant, first_name="Noor", last_name=f"Vermeulen{index}")
        BenefitFactory(
            participant=person,
            municipality=municipality,
            start_date=period.start - dt.timedelta(days=400),
            end_date=period.start + dt.timedelta(days=10),
            end_reason=reason,
        )
        people.append(person)
    # The checklist is data: one question answered with a figure, one that no figure answers.
    ChecklistQuestion.objects.create(
        municipality=municipality,
        text="Hoeveel mensen stromen uit de uitkering?",
        source="Vraag van de cliëntenraad",
        indicator_codes=["outflow_by_reason"],
        position=1,
    )
    ChecklistQuestion.objects.create(
        municipality=municipality,
        text="Voelen deelnemers zich gehoord?",
        source="Vraag van de cliëntenraad",
        not_measurable_reason="Dat vragen we niet apart.",
        position=2,
    )
    return {"period": period, "participant": people[0]}


def test_council_member_reads_the_report_and_downloads_the_pdf(page, live_server, login, world, assert_accessible):
    login(page, "raadslid", TEST_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rapport cliëntenraad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport voor de cliëntenraad")
    # The figures: 24 for work is shown; the 5 for education only as "< 10".
    outflow = page.get_by_role("table", name=re.compile("^Uitstroom uit de uitkering"))
    expect(outflow.get_by_role("row", name=re.compile("^Werk")).get_by_role("cell").first).to_have_text("24")
    expect(outflow.get_by_role("row", name=re.compile("^Opleiding")).get_by_role("cell").first).to_have_text("< 10")
    expect(outflow.get_by_role("row", name=re.compile("^Anders")).get_by_role("cell").first).to_have_text("×")
    # The checklist answers.
    checklist = page.locator("section", has=page.get_by_role("heading", name="De checklist", level=2))
    ours = checklist.locator("article", has=page.get_by_role("heading", name="Hoeveel mensen stromen uit de uitkering?"))
    expect(ours.get_by_text(re.compile("gingen 40 mensen uit de uitkering"))).to_be_visible()
    unmeasurable = checklist.locator("article", has=page.get_by_role("heading", name="Voelen deelnemers zich gehoord?"))
    expect(unmeasurable).to_contain_text("Niet meetbaar.")
    expect(unmeasurable).to_contain_text("Dat vragen we niet apart.")
    # The definition opens in place.
    page.get_by_text("Zo tellen we “Uitstroom uit de uitkering").first.click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="het rapport als PDF").click()
    assert download.value.suggested_filename.endswith(f"{world['period'].code}.pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # No name, no person anywhere on the page.
    assert "Vermeulen" not in page.content() and "Noor" not in page.content()


def test_council_member_typing_addresses_reaches_no_personal_data(page, live_server, login, world):
    login(page, "raadslid", TEST_PASSWORD)
    participant = world["participant"]
    for path in (
        reverse("participants:dossier", args=[participant.pk]),
        "/api/v1/caseload/",
        f"/api/v1/participants/{participant.pk}/dossier/",
        "/api/v1/participants/",  # only registers a participant (POST): a GET is refused
        reverse("insights:figure_people", args=["outflow_by_reason", world["period"].code, "work"]),
        reverse("insights:figure_people", args=["outflow_by_reason", world["period"].code, "education"]),
        reverse("insights:dashboard"),
    ):
        response = page.goto(live_server.url + path)
        assert response.status in (401, 403, 404, 405), (path, response.status)
        body = page.content()
        assert "Vermeulen" not in body and participant.reference not in body, path
