"""Requirement (issue 4.3, 4.5): every report is visible to the consultant at once and as a copy
(portal and PDF) to the participant, and that is recorded; the provider sees its own overdue
list; the API submits reports through the same services with the same access as the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.providers.pdf import report_pdf_sections
from maatpak.trajectories import referrals as services
from maatpak.trajectories.models import ProgressReport, Referral, ReportCopy
from tests.api.problems import field_messages
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def active(case):
    r = case["referral"]
    Referral.objects.filter(pk=r.pk).update(
        status="active",
        responded_on=TODAY - dt.timedelta(days=39),
        intake_on=TODAY - dt.timedelta(days=35),
        started_on=TODAY - dt.timedelta(days=35),
    )
    r.refresh_from_db()
    return case


def _post_progress(client, case):
    data = {
        "progress-activities": "Twee gesprekken geoefend",
        "progress-attendance": "good",
        "progress-next_steps": "Proefplaatsing",
        f"progress-goal_{case['goal'].pk}": "reached",
        "progress-participant_view": "Ik heb er zin in",
        "progress-participant_saw_report": "on",
    }
    return client.post(reverse("providers:referral_action", args=[case["referral"].pk, "progress"]), data)


def test_progress_report_form_reaches_consultant_and_participant(client, active):
    client.force_login(active["coach"])
    response = _post_progress(client, active)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    copy = ReportCopy.objects.get(progress_report=report)
    client.force_login(active["consultant"])
    page = client.get(reverse("providers:report_detail", args=["progress", report.pk])).content.decode()
    assert "Twee gesprekken geoefend" in page and "Ik heb er zin in" in page and "Bereikt" in page
    assert f"Een afschrift is op {TODAY:%d-%m-%Y} in het portaal beschikbaar gemaakt" in page
    assert AuditEvent.objects.filter(actor=active["consultant"], action="read", object_id=str(report.pk)).exists()
    assert copy.made_available_on == TODAY


def test_progress_form_shows_errors_linked_to_fields(client, active):
    client.force_login(active["coach"])
    response = client.post(
        reverse("providers:referral_action", args=[active["referral"].pk, "progress"]),
        {"progress-attendance": "good", f"progress-goal_{active['goal'].pk}": "some"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "Beschrijf de activiteiten" in html
    assert not ProgressReport.objects.exists()


def test_other_consultant_and_other_provider_get_404_for_the_report(client, active, municipality):
    client.force_login(active["coach"])
    _post_progress(client, active)
    report = ProgressReport.objects.get()
    for outsider in (
        UserFactory(role="consultant", municipalities=[municipality]),
        UserFactory(role="policy_officer", municipalities=[municipality]),
    ):
        client.force_login(outsider)
        assert client.get(reverse("providers:report_detail", args=["progress", report.pk])).status_code == 404
        assert client.get(reverse("providers:report_pdf", args=["progress", report.pk])).status_code == 404


def test_participant_downloads_pdf_and_the_download_is_recorded(client, active, municipality):
    client.force_login(active["coach"])
    _post_progress(client, active)
    report = ProgressReport.objects.get()
    user = UserFactory(role="participant", municipalities=[municipality])
    active["participant"].user = user
    active["participant"].save()
    client.force_login(user)
    response = client.get(reverse("providers:report_pdf", args=["progress", report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert ReportCopy.objects.get(progress_report=report).downloaded_on == TODAY
    assert AuditEvent.objects.filter(actor=user, action="export", object_id=str(report.pk)).exists()
    # Another participant cannot fetch it.
    stranger = UserFactory(role="participant", municipalities=[municipality])
    client.force_login(stranger)
    assert client.get(reverse("providers:report_pdf", args=["progress", report.pk])).status_code == 404


def test_pdf_text_is_plain_dutch_and_holds_the_report(active):
    report = services.progress_report_submit(
        actor=active["coach"],
        referral=active["referral"],
        activities="Sollicitatiebrief geschreven",
        attendance="poor",
        next_steps="Netwerkgesprek",
        goal_progress={active["goal"].pk: "none"},
        barriers="Schulden",
        participant_view="",
    )
    text = "\n".join(h + "\n" + "\n".join(p) for h, p in report_pdf_sections(report, "progress"))
    for expected in (
        "Voortgangsrapportage",
        "Ali Yilmaz",
        "Sollicitatiebrief geschreven",
        "Slecht (minder dan 70 %)",
        "Elke dag op tijd op: nog geen vooruitgang",
        "Schulden",
        "Niet opgeschreven.",
        "nog niet gezien",
    ):
        assert expected in text
    assert active["participant"].bsn not in text


def test_provider_overdue_list(client, case, municipality):
    r = case["referral"]
    client.force_login(case["coach"])
    # Accepted 20 days ago, intake due after 10 days: 10 days late.
    Referral.objects.filter(pk=r.pk).update(status="accepted", responded_on=TODAY - dt.timedelta(days=20))
    page = client.get(reverse("providers:portal")).content.decode()
    assert "Intake" in page and "10 dagen te laat" in page
    # Active since 40 days, no report, rhythm 30 days: the progress report is 10 days late.
    # The instrument with this provider ended 20 days ago; the end report (14 days) is 6 days late.
    Referral.objects.filter(pk=r.pk).update(
        status="active", intake_on=TODAY - dt.timedelta(days=40), started_on=TODAY - dt.timedelta(days=40)
    )
    case["instrument"].end_date = TODAY - dt.timedelta(days=20)
    case["instrument"].save()
    response = client.get(reverse("providers:portal"))
    rows = [(o["what"], o["days"]) for o in response.context["overdue"]]
    assert rows == [("Voortgangsrapportage", 10), ("Eindrapportage", 6)]


def test_api_submits_reports_through_the_same_services(client, active):
    client.force_login(active["coach"])
    pk = active["referral"].pk
    bad = client.post(
        f"/api/v1/providers/referrals/{pk}/progress-reports/",
        {"activities": "", "attendance": "good", "next_steps": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "activities" in field_messages(bad)
    ok = client.post(
        f"/api/v1/providers/referrals/{pk}/progress-reports/",
        {"activities": "Gesprek", "attendance": "good", "next_steps": "Verder", "goal_progress": {str(active["goal"].pk): "some"}},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ReportCopy.objects.filter(progress_report_id=ok.json()["id"]).exists()
    version = client.get(f"/api/v1/providers/referrals/{pk}/").json()["version"]
    stale = client.post(
        f"/api/v1/providers/referrals/{pk}/end-report/",
        {"conclusion": "Klaar", "outcome": "none", "recommendation": "Zorg", "ended_on": TODAY.isoformat(), "version": version - 1},
        content_type="application/json",
    )
    assert stale.status_code == 400
    end = client.post(
        f"/api/v1/providers/referrals/{pk}/end-report/",
        {"conclusion": "Klaar", "outcome": "none", "recommendation": "Zorg", "ended_on": TODAY.isoformat(), "version": version},
        content_type="application/json",
    )
    assert end.status_code == 201
    active["referral"].refresh_from_db()
    assert active["referral"].status == "ended" and ReportCopy.objects.filter(end_report_id=end.json()["id"]).exists()


def test_api_refuses_consultants_and_other_providers(client, active, municipality):
    pk = active["referral"].pk
    client.force_login(active["consultant"])
    assert (
        client.post(
            f"/api/v1/providers/referrals/{pk}/progress-reports/",
            {"activities": "x", "attendance": "good", "next_steps": "y"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/providers/referrals/{pk}/end-report/", {}, content_type="application/json").status_code == 404
    assert not ProgressReport.objects.exists()


def test_provider_reads_own_reports_only_while_the_referral_is_accessible(client, active, municipality):
    client.force_login(active["coach"])
    _post_progress(client, active)
    report = ProgressReport.objects.get()
    url = reverse("providers:report_detail", args=["progress", report.pk])
    assert client.get(url).status_code == 200
    other = UserFactory(role="provider_staff", municipalities=[municipality], provider=ProviderFactory(municipality=municipality))
    client.force_login(other)
    assert client.get(url).status_code == 404
    # Ended longer ago than the municipality's access period (30 days): gone for the provider too.
    Referral.objects.filter(pk=active["referral"].pk).update(
        status="ended", ended_on=TODAY - dt.timedelta(days=municipality.provider_access_days_after_close + 1)
    )
    client.force_login(active["coach"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("providers:referral", args=[active["referral"].pk])).status_code == 404
    assert client.get(f"/api/v1/providers/referrals/{active['referral'].pk}/").status_code == 404


def test_every_provider_read_is_audit_logged(client, active):
    client.force_login(active["coach"])
    pk = active["referral"].pk
    client.get(reverse("providers:referral", args=[pk]))
    client.get(f"/api/v1/providers/referrals/{pk}/")
    client.get("/api/v1/providers/referrals/")
    reads = AuditEvent.objects.filter(actor=active["coach"], action="read")
    assert (
        reads.filter(object_type="Referral", object_id=str(pk)).count() == 2 and reads.filter(purpose="provider api referral list").exists()
    )
