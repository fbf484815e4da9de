"""Issue 4 must-show, in real Chromium: provider staff log in, submit a progress report and an
end report; the consultant opens both; the participant sees their copies in the portal."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from maatpak.demo.generator import DEMO_PASSWORD, generate_demo
from maatpak.trajectories.models import Referral, ReportCopy


@pytest.fixture
def demo(transactional_db):
    generate_demo(participants=40, seed=11, log=lambda *a: None)
    return Referral.objects.get(trajectory__participant__user__username="deelnemer", provider__name="Werkfit Re-integratie")


def test_provider_reports_and_consultant_sees_them(page, live_server, login, demo, assert_accessible):
    login(page, "aanbieder", DEMO_PASSWORD)
    page.get_by_role("link", name="Aanmeldingen", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Sanne Jansen").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sanne Jansen")
    assert_accessible(page)

    form = page.locator("section#progress form")
    form.get_by_label("Gedane activiteiten").fill("Twee sollicitatiegesprekken geoefend en een werkplek bezocht.")
    form.get_by_label("Aanwezigheid").select_option("good")
    form.get_by_label("Volgende stappen").fill("Proefplaatsing bij een hovenier regelen.")
    form.get_by_label("De mening van de deelnemer zelf").fill("Ik heb er zin in.")
    form.get_by_label("De deelnemer heeft deze rapportage gezien").check()
    form.get_by_role("button", name="Voortgangsrapportage versturen").click()
    expect(page.get_by_text("De voortgangsrapportage is verstuurd")).to_be_visible()

    end = page.locator("section#end form")
    end.get_by_label("Conclusie").fill("Deelnemer start volgende maand bij Hoveniers Bos.")
    end.get_by_label("Resultaat").select_option("regular_work")
    end.get_by_label("Advies voor daarna").fill("Nazorg door de jobcoach gedurende zes maanden.")
    end.get_by_role("button", name="Eindrapportage versturen en aanmelding beëindigen").click()
    expect(page.get_by_text("De eindrapportage is verstuurd")).to_be_visible()
    demo.refresh_from_db()
    assert demo.status == "ended"
    assert ReportCopy.objects.filter(participant=demo.trajectory.participant, end_report__isnull=False).exists()
    assert ReportCopy.objects.filter(participant=demo.trajectory.participant, progress_report__isnull=False).exists()

    page.get_by_role("button", name="Uitloggen").click()
    login(page, "klantmanager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/trajectories/{demo.trajectory_id}/")
    page.get_by_role("link", name="Eindrapportage", exact=True).first.click()
    expect(page.get_by_text("Deelnemer start volgende maand bij Hoveniers Bos.")).to_be_visible()
    expect(page.get_by_text("In het portaal beschikbaar gemaakt voor de deelnemer", exact=False)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Afschrift voor de deelnemer downloaden (pdf)").click()
    assert download.value.suggested_filename.startswith("eindrapportage-")

    # The consultant opens the progress report too, from the trajectory page.
    progress = ReportCopy.objects.get(
        participant=demo.trajectory.participant, progress_report__activities__startswith="Twee sollicitatiegesprekken"
    ).progress_report
    page.goto(f"{live_server.url}/trajectories/{demo.trajectory_id}/")
    page.locator(f'a[href="{reverse("providers:report_detail", args=["progress", progress.pk])}"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voortgangsrapportage")
    expect(page.get_by_text("Twee sollicitatiegesprekken geoefend en een werkplek bezocht.")).to_be_visible()
    expect(page.get_by_text("Ik heb er zin in.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Uitloggen").click()
    login(page, "deelnemer", DEMO_PASSWORD, path="/portal/login/")
    page.goto(f"{live_server.url}/portal/rapportages/")
    expect(page.get_by_text("Deelnemer start volgende maand bij Hoveniers Bos.")).to_be_visible()
    # The participant's copy of the progress report, with their own view as written down.
    card = page.locator(f"article#progress-{progress.pk}")
    expect(card).to_contain_text("Twee sollicitatiegesprekken geoefend en een werkplek bezocht.")
    expect(card).to_contain_text("Proefplaatsing bij een hovenier regelen.")
    expect(card).to_contain_text("Ik heb er zin in.")
    # The participant's own PDF copy downloads, and the download is recorded on the copy.
    copy = ReportCopy.objects.get(participant=demo.trajectory.participant, end_report__isnull=False)
    pdf = page.request.get(f"{live_server.url}/providers/rapportage/end/{copy.end_report_id}/pdf/")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    copy.refresh_from_db()
    assert copy.downloaded_on is not None


def test_policy_officer_reads_monitoring_and_exports(page, live_server, login, demo, assert_accessible):
    login(page, "beleidsmedewerker", DEMO_PASSWORD)
    page.get_by_role("link", name="Contractmonitoring").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contractmonitoring")
    expect(page.get_by_text("Werkplein Demodorp").first).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX) downloaden").click()
    assert download.value.suggested_filename.endswith(".xlsx")
