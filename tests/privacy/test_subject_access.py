"""Issue 14, item 4 — right of access (inzage, AVG art. 15).

The participant sees in the portal every kind of data Maatpak holds about them and which
organisations and roles looked at their file (never a staff member's name), and downloads it all
as JSON and PDF; the privacy officer produces the same for a written request, for participants of
their own municipality only. The BSN is never shown in full. Every look and download is an audit
row linked to the participant (downloads as EXPORT; the privacy officer's with the purpose
"inzageverzoek"). Anyone else gets the same 404 as for a participant that does not exist.
"""

import datetime as dt
import json
import uuid
from unittest import mock

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from maatpak.accounts.policy import SUBJECT_ACCESS, relation_for
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.audit.services import audit_read, audit_record
from maatpak.employers.models import PlacementFollowUp
from maatpak.insights.models import ImportedTrajectory
from maatpak.participants.models import (
    Competence,
    Contact,
    Education,
    Exemption,
    ParticipantCompetence,
    WorkExperience,
)
from maatpak.portal.models import (
    ConsultantChangeRequest,
    FeedbackWeekCount,
    Message,
    MessageDirection,
    PortalActivation,
    ReportReaction,
)
from maatpak.privacy.access_views import one_month_after
from maatpak.privacy.policies import subject_access_policy
from maatpak.privacy.subject_access import SECTIONS, subject_access_report
from maatpak.privacy.subject_access_pdf import subject_access_pdf_blocks, subject_access_pdf_bytes
from maatpak.providers.models import Provider
from maatpak.surveys.models import AnonymousFeedback, SurveyInvitation, SurveyResponse
from maatpak.trajectories.models import (
    GoalProgress,
    MunicipalityDefault,
    PlanHandover,
    PlanIdea,
    PlannedInstrument,
    ReportCopy,
    Signature,
)
from tests.factories import (
    AgreementFactory,
    BenefitFactory,
    ConsultantAssignmentFactory,
    DomainAssessmentFactory,
    EmployerFactory,
    EndReportFactory,
    InstrumentFactory,
    LadderAssessmentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    PlacementFactory,
    PlanVersionFactory,
    ProgressReportFactory,
    ProviderFactory,
    ReferralFactory,
    SanctionFactory,
    SolAssessmentFactory,
    SurveyFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    VacancyFactory,
    WishFactory,
    valid_bsn,
)
from tests.test_policy import World

BSN = valid_bsn(4242)


def full_file(participant, *, consultant):
    """One row of every kind of data Maatpak holds about a participant, each with a text that
    names its kind (so a test can find it in the page, the JSON and the PDF)."""
    m = participant.municipality
    BenefitFactory(participant=participant, end_reason="work", end_date=dt.date(2025, 6, 1))
    Education.objects.create(municipality=m, participant=participant, name="Opleiding heftruck", year=2020, completed=True)
    WorkExperience.objects.create(municipality=m, participant=participant, job_title="Werkervaring magazijn", description="Orderpicken")
    ParticipantCompetence.objects.create(
        municipality=m,
        participant=participant,
        competence=Competence.objects.get_or_create(municipality=m, name="Competentie samenwerken")[0],
        evidence="Bewijs competentie",
        recorded_on=dt.date(2025, 2, 1),
        recorded_by=consultant,
    )
    WishFactory(participant=participant, text="Wens: met dieren werken", recorded_by=consultant)
    DomainAssessmentFactory(participant=participant, domain="health_mental", note="Notitie leefgebied", author=consultant)
    LadderAssessmentFactory(participant=participant, note="Notitie ladder", answers={"current": {"paid_work": False}}, author=consultant)
    SolAssessmentFactory(participant=participant, note="Notitie Sol", author=consultant)
    ConsultantAssignmentFactory(participant=participant, consultant=consultant, reason="Reden toewijzing")
    Contact.objects.create(
        municipality=m,
        participant=participant,
        occurred_on=dt.date(2025, 3, 3),
        channel="phone",
        summary="Samenvatting contact",
        staff=consultant,
    )
    Exemption.objects.create(
        municipality=m,
        participant=participant,
        reason="Reden ontheffing",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 6, 30),
        decided_by=consultant,
    )
    trajectory = TrajectoryFactory(participant=participant, consultant=consultant, repeat_reason="Reden nieuw traject", status="active")
    plan = PlanVersionFactory(trajectory=trajectory, end_goal="Einddoel: werk in het groen", created_by=consultant)
    goal = plan.goals.create(
        municipality=m, kind="health", description="Tussendoel gezondheid", measure="Maat", target_date=dt.date(2025, 9, 1)
    )
    PlanIdea.objects.create(municipality=m, plan=plan, idea="Eigen idee moestuin", supported=True, response="Antwoord op idee")
    provider = Provider.objects.get_or_create(municipality=m, name="Werkfit Noord", defaults={"kind": "external"})[0]
    PlannedInstrument.objects.create(
        municipality=m,
        plan=plan,
        instrument=InstrumentFactory(municipality=m, name="Instrument sollicitatietraining"),
        provider=provider,
        start_date=dt.date(2025, 2, 1),
        end_date=dt.date(2025, 5, 1),
        cost_cents=123456,
        serves_goal=goal,
    )
    agreement = AgreementFactory(plan=plan, description="Afspraak solliciteren")
    Signature.objects.create(
        municipality=m,
        plan=plan,
        party="participant",
        signer_name="Handtekening Sam",
        signed_on=dt.date(2025, 2, 2),
        method="portal",
        recorded_by=consultant,
    )
    PlanHandover.objects.create(municipality=m, plan=plan, handed_over_on=dt.date(2025, 2, 3), channel="paper", recorded_by=consultant)
    referral = ReferralFactory(trajectory=trajectory, provider=provider, shared_information="Gedeeld met aanbieder: rugklachten")
    progress = ProgressReportFactory(referral=referral, activities="Activiteiten voortgang", author=consultant)
    GoalProgress.objects.create(municipality=m, report=progress, goal=goal, level="some", note="Notitie voortgang doel")
    end = EndReportFactory(trajectory=trajectory, referral=referral, conclusion="Conclusie eindrapportage", author=consultant)
    ReportCopy.objects.create(municipality=m, participant=participant, progress_report=progress, made_available_on=dt.date(2025, 6, 3))
    ReportReaction.objects.create(municipality=m, participant=participant, end_report=end, text="Reactie op eindrapportage")
    SanctionFactory(
        agreement=agreement,
        reason="Reden maatregel",
        decision_reason="Besluit maatregel",
        status="imposed",
        decided_on=dt.date(2025, 10, 8),
        recorded_by=consultant,
    )
    MunicipalityDefault.objects.create(
        municipality=m,
        participant=participant,
        trajectory=trajectory,
        agreement=agreement,
        description="Verzuim gemeente: geen kinderopvang",
        recorded_on=dt.date(2025, 4, 1),
        reported_by_participant=True,
        recorded_by=consultant,
    )
    employer = EmployerFactory(municipality=m, name="Werkgever Groen BV")
    placement = PlacementFactory(
        participant=participant, employer=employer, vacancy=VacancyFactory(employer=employer, title="Vacature hovenier")
    )
    PlacementFollowUp.objects.create(municipality=m, placement=placement, months=1, due_on=dt.date(2025, 7, 1), note="Notitie nazorg")
    Message.objects.create(
        municipality=m,
        participant=participant,
        direction=MessageDirection.TO_CONSULTANT,
        sender=consultant,
        subject="Onderwerp bericht",
        body="Tekst bericht",
    )
    ConsultantChangeRequest.objects.create(
        municipality=m, participant=participant, consultant=consultant, reason="Reden andere klantmanager"
    )
    survey = SurveyFactory(municipality=m, title="Vragenlijst einde traject")
    invitation = SurveyInvitation.objects.create(
        municipality=m, survey=survey, participant=participant, token_hash=uuid.uuid4().hex, sent_on=dt.date(2025, 12, 1), responded=True
    )
    SurveyResponse.objects.create(
        municipality=m, survey=survey, invitation=invitation, answers={"q1": "Antwoord vragenlijst"}, week="2025-W50"
    )
    FeedbackWeekCount.objects.create(participant=participant, week="2026-W10", count=2)
    PortalActivation.objects.create(
        municipality=m, participant=participant, code_hash="geheim-code-hash", expires_at=timezone.now(), created_by=consultant
    )
    ImportedTrajectory.objects.create(
        municipality=m,
        participant_ref=participant.reference,
        start_date=dt.date(2019, 1, 1),
        instrument_code="OUD-1",
        trajectory=trajectory,
        source_file="export-oud-systeem.csv",
        row={"note": "Regel uit oud systeem"},
    )
    # Anonymous feedback is not linked to anyone, so it can never be in the file.
    AnonymousFeedback.objects.create(id=uuid.uuid4(), municipality=m, week="2026-W10", topic="plan", text="Anoniem: de koffie is koud")
    return {"trajectory": trajectory, "provider": provider}


@pytest.fixture
def world(db):
    municipality = MunicipalityFactory(code="GM0090", name="Smallingerland")
    elsewhere = MunicipalityFactory(code="GM0687", name="Middelburg")
    team = TeamFactory(municipality=municipality, name="Team Noord")
    consultant = UserFactory(
        role=Role.CONSULTANT, municipalities=[municipality], team=team, username="km-kim", first_name="Kim", last_name="de Vries"
    )
    login = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="sam")
    participant = ParticipantFactory(municipality=municipality, consultant=consultant, user=login, first_name="Sam", bsn=BSN)
    other_login = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="alex")
    other = ParticipantFactory(municipality=municipality, consultant=consultant, user=other_login, first_name="Alex")
    built = full_file(participant, consultant=consultant)
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipalities=[municipality], username="fg-smallingerland")
    officer_elsewhere = UserFactory(role=Role.PRIVACY_OFFICER, municipalities=[elsewhere], username="fg-middelburg")
    provider_staff = UserFactory(
        role=Role.PROVIDER_STAFF, municipalities=[municipality], provider=built["provider"], username="aanbieder-piet", first_name="Piet"
    )
    return {
        "municipality": municipality,
        "consultant": consultant,
        "login": login,
        "participant": participant,
        "other": other,
        "other_login": other_login,
        "officer": officer,
        "officer_elsewhere": officer_elsewhere,
        "provider_staff": provider_staff,
        "team_lead": UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team),
    }


def _records(report, key):
    return next(s for s in report.sections if s.key == key).records


# --- what the file holds ---------------------------------------------------------------------------


def test_every_section_finds_the_participants_row(world):
    report = subject_access_report(participant=world["participant"])
    empty = [section.key for section in report.sections if not section.records]
    assert empty == []


def test_another_participants_data_is_not_in_the_file(world):
    full_file(world["other"], consultant=world["consultant"])
    report = subject_access_report(participant=world["participant"])
    assert all(len(section.records) == 1 for section in report.sections if section.key != "personal_details")


def test_the_bsn_is_masked_everywhere(world, client):
    client.force_login(world["login"])
    page = client.get(reverse("subject_access:mine")).content.decode()
    data = client.get(reverse("subject_access:mine_json")).content.decode()
    pdf = client.get(reverse("subject_access:mine_pdf")).content
    assert BSN not in page and BSN not in data and BSN.encode() not in pdf
    assert "******" + BSN[-3:] in page
    assert json.loads(data)["sections"]["personal_details"]["records"][0]["bsn_masked"] == "******" + BSN[-3:]


def test_the_json_has_documented_keys_dates_and_choice_labels(world, client):
    client.force_login(world["login"])
    response = client.get(reverse("subject_access:mine_json"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="inzage-')
    data = json.loads(response.content)
    assert data["format"] == "maatpak-inzage" and data["version"] == 1
    assert set(data["sections"]) == {section.key for section in SECTIONS}
    sanction = data["sections"]["sanctions"]["records"][0]
    assert sanction["reason"] == "Reden maatregel" and sanction["decision_reason"] == "Besluit maatregel"
    assert sanction["decided_on"] == "2025-10-08"
    assert sanction["status"] == "imposed" and sanction["status_label"] == "Opgelegd"  # Dutch, whatever the page language
    instrument = data["sections"]["planned_instruments"]["records"][0]
    assert instrument["cost_cents"] == 123456
    referral = data["sections"]["referrals"]["records"][0]
    assert referral["shared_information"] == "Gedeeld met aanbieder: rugklachten"
    assert data["sections"]["anonymous_feedback_count"]["records"] == [{"reactions_counted": 2}]
    assert "de koffie is koud" not in response.content.decode()


def test_the_participant_page_shows_every_kind_of_data(world, client):
    client.force_login(world["login"])
    response = client.get(reverse("subject_access:mine"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Wens: met dieren werken",
        "Notitie leefgebied",
        "Notitie ladder",
        "Einddoel: werk in het groen",
        "Tussendoel gezondheid",
        "Activiteiten voortgang",
        "Conclusie eindrapportage",
        "Reden maatregel",
        "Besluit maatregel",
        "Verzuim gemeente: geen kinderopvang",
        "Werkgever Groen BV",
        "Tekst bericht",
        "Reden andere klantmanager",
        "Vragenlijst einde traject",
        "Gedeeld met aanbieder: rugklachten",
        "€ 1.234,56",
    ):
        assert text in page, text
    assert "geheim-code-hash" not in page and "de koffie is koud" not in page


def test_the_pdf_is_a_readable_dutch_attachment(world, client):
    client.force_login(world["login"])
    response = client.get(reverse("subject_access:mine_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="inzage-') and response["Content-Disposition"].endswith('.pdf"')
    assert response.content.startswith(b"%PDF")


def test_the_pdf_has_a_dutch_heading_per_kind_of_data_and_who_looked(world):
    audit_read(actor=world["consultant"], obj=world["participant"])
    with translation.override("en"), translation.override("nl"):
        report = subject_access_report(participant=world["participant"])
        blocks = subject_access_pdf_blocks(report)
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings[0] == "Wie heeft uw dossier bekeken?"
    assert headings[1 : 1 + len(SECTIONS)] == [s.title for s in report.sections]
    assert "Maatregelen en de besluiten daarover" in headings
    items = {(b.label, b.text) for b in blocks if b.kind == "item"}
    assert ("Reden", "Reden maatregel") in items and ("Status", "Opgelegd") in items
    table = next(b for b in blocks if b.kind == "table")
    assert table.rows[1][2:] == ("Smallingerland", "Klantmanager", "Inzien", "1")
    assert not any("Kim" in cell or "km-kim" in cell for row in table.rows for cell in row)
    data = subject_access_pdf_bytes(report)
    assert data.startswith(b"%PDF") and b"/FontFile2" in data


# --- who looked at the file --------------------------------------------------------------------------


def test_who_looked_gives_organisation_and_role_never_the_name(world, client):
    participant = world["participant"]
    for _ in range(3):
        audit_read(actor=world["consultant"], obj=participant, purpose="dossier")
    audit_record(actor=world["consultant"], action=AuditAction.UPDATE, obj=participant, purpose="dossier")
    audit_read(actor=world["provider_staff"], obj=participant, purpose="referral")
    client.force_login(world["login"])
    client.get(reverse("subject_access:mine"))  # the participant's own visit is not listed
    report = subject_access_report(participant=participant)
    lines = {(e.organisation, e.role): e for e in report.access_log}
    assert set(lines) == {("Smallingerland", Role.CONSULTANT), ("Werkfit Noord", Role.PROVIDER_STAFF)}
    consultant_line = lines[("Smallingerland", Role.CONSULTANT)]
    assert consultant_line.count == 4 and consultant_line.actions == [AuditAction.READ, AuditAction.UPDATE]
    assert consultant_line.day == timezone.localdate()
    page = client.get(reverse("subject_access:mine")).content.decode()
    assert "Klantmanager" in page and "Werkfit Noord" in page  # the role's Dutch label, the provider's name
    for name in ("km-kim", "Kim", "de Vries", "aanbieder-piet", "Piet"):
        assert name not in page.split('id="who-title"')[1].split('id="data-title"')[0]
    data = json.loads(client.get(reverse("subject_access:mine_json")).content)
    assert {line["role"] for line in data["access_log"]} == {"consultant", "provider_staff"}
    assert "km-kim" not in json.dumps(data["access_log"])


def test_who_looked_is_one_line_per_day_and_role_newest_first(world):
    participant = world["participant"]
    earlier = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=earlier):
        audit_read(actor=world["consultant"], obj=participant)
    with mock.patch("django.utils.timezone.now", return_value=earlier + dt.timedelta(hours=5)):
        audit_read(actor=world["consultant"], obj=participant)
    audit_read(actor=world["consultant"], obj=participant)
    audit_read(actor=world["team_lead"], obj=participant)
    entries = subject_access_report(participant=participant).access_log
    assert [(e.day, e.role, e.count) for e in entries][-1] == (dt.date(2026, 3, 2), Role.CONSULTANT, 2)
    assert sorted((e.role, e.count) for e in entries[:-1]) == [(Role.CONSULTANT, 1), (Role.TEAM_LEAD, 1)]
    assert entries[-1].time_text == "10:15–15:15"  # Amsterdam time, first and last look that day


def test_the_privacy_officers_look_is_listed_too(world, client):
    client.force_login(world["officer"])
    client.get(reverse("privacy:subject_access_request", args=[world["participant"].pk]), {"received_on": "2026-01-05"})
    entries = subject_access_report(participant=world["participant"]).access_log
    assert [(e.role, e.organisation) for e in entries] == [(Role.PRIVACY_OFFICER, "Smallingerland")]


# --- audit rows of the right of access -------------------------------------------------------------


def test_page_and_downloads_are_audit_rows_linked_to_the_participant(world, client):
    participant = world["participant"]
    client.force_login(world["login"])
    client.get(reverse("subject_access:mine"))
    client.get(reverse("subject_access:mine_pdf"))
    client.get(reverse("subject_access:mine_json"))
    rows = list(
        AuditEvent.objects.filter(actor=world["login"], action__in=[AuditAction.READ, AuditAction.EXPORT])
        .order_by("id")
        .values_list("action", "participant_id", "detail")
    )
    assert rows == [
        (AuditAction.READ, participant.pk, {}),
        (AuditAction.EXPORT, participant.pk, {"format": "pdf"}),
        (AuditAction.EXPORT, participant.pk, {"format": "json"}),
    ]


# --- who may have it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["subject_access:mine", "subject_access:mine_pdf", "subject_access:mine_json"])
@pytest.mark.parametrize("role", [r for r in Role if r != Role.PARTICIPANT])
def test_staff_get_the_portal_404(world, client, url_name, role):
    client.force_login(_staff(role, world["municipality"]))
    assert client.get(reverse(url_name)).status_code == 404


def test_a_participant_sees_only_their_own_file(world, client):
    client.force_login(world["other_login"])
    data = json.loads(client.get(reverse("subject_access:mine_json")).content)
    assert data["client_number"] == world["other"].reference
    assert "Reden maatregel" not in json.dumps(data)


def test_logged_out_visitors_go_to_the_portal_login(db, client):
    response = client.get(reverse("subject_access:mine"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


# --- the privacy officer and a written request ------------------------------------------------------


def _staff(role, municipality):
    provider = ProviderFactory(municipality=municipality) if role == Role.PROVIDER_STAFF else None
    return UserFactory(role=role, municipalities=[municipality], provider=provider)


def _lookup(client, **data):
    return client.post(reverse("privacy:subject_access_lookup"), {"received_on": "2026-01-05", "reference": "INZ-2026-7", **data})


def test_the_privacy_officer_finds_by_bsn_and_downloads_with_the_request(world, client):
    participant = world["participant"]
    client.force_login(world["officer"])
    response = _lookup(client, bsn=BSN)
    detail_url = reverse("privacy:subject_access_request", args=[participant.pk])
    assert response.status_code == 302 and response["Location"].startswith(detail_url)
    assert BSN not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "5 februari 2026" in content  # answer within one month
    assert BSN not in content
    query = {"received_on": "2026-01-05", "reference": "INZ-2026-7"}
    pdf = client.get(reverse("privacy:subject_access_pdf", args=[participant.pk]), query)
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("attachment;")
    data = json.loads(client.get(reverse("privacy:subject_access_json", args=[participant.pk]), query).content)
    assert data["request"] == {"received_on": "2026-01-05", "reference": "INZ-2026-7"}
    assert data["sections"]["sanctions"]["records"][0]["reason"] == "Reden maatregel"
    rows = list(
        AuditEvent.objects.filter(actor=world["officer"], purpose="inzageverzoek")
        .order_by("id")
        .values_list("action", "participant_id", "purpose", "detail")
    )
    assert rows == [
        (AuditAction.SEARCH, participant.pk, "inzageverzoek", {"by": "bsn", "found": True}),
        (AuditAction.READ, participant.pk, "inzageverzoek", {"request_received_on": "2026-01-05", "request_reference": "INZ-2026-7"}),
        (
            AuditAction.EXPORT,
            participant.pk,
            "inzageverzoek",
            {"format": "pdf", "request_received_on": "2026-01-05", "request_reference": "INZ-2026-7"},
        ),
        (
            AuditAction.EXPORT,
            participant.pk,
            "inzageverzoek",
            {"format": "json", "request_received_on": "2026-01-05", "request_reference": "INZ-2026-7"},
        ),
    ]
    assert BSN not in json.dumps([row[3] for row in rows])


def test_the_privacy_officer_finds_by_client_number(world, client):
    client.force_login(world["officer"])
    response = _lookup(client, client_number=world["participant"].reference)
    assert response.status_code == 302


def test_another_municipalitys_participant_is_not_found_and_is_the_same_404(world, client):
    participant = world["participant"]
    client.force_login(world["officer_elsewhere"])
    response = _lookup(client, bsn=BSN)
    assert response.status_code == 400
    assert "Er is geen deelnemer met dit BSN of klantnummer in uw gemeente." in response.content.decode()
    query = {"received_on": "2026-01-05"}
    missing = max(p.pk for p in [participant, world["other"]]) + 1000
    for name in ("privacy:subject_access_request", "privacy:subject_access_pdf", "privacy:subject_access_json"):
        assert client.get(reverse(name, args=[participant.pk]), query).status_code == 404
        assert client.get(reverse(name, args=[missing]), query).status_code == 404
    assert not AuditEvent.objects.filter(actor=world["officer_elsewhere"], action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY_OFFICER])
def test_no_other_role_handles_written_requests(world, client, role):
    user = world["login"] if role == Role.PARTICIPANT else _staff(role, world["municipality"])
    client.force_login(user)
    assert client.get(reverse("privacy:subject_access_lookup")).status_code == 403
    assert _lookup(client, bsn=BSN).status_code == 403
    detail = reverse("privacy:subject_access_json", args=[world["participant"].pk])
    assert client.get(detail, {"received_on": "2026-01-05"}).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bsn": "123456789"}, "Dit is geen geldig BSN"),
        ({}, "Vul een BSN of een klantnummer in."),
        ({"bsn": BSN, "client_number": "T-1"}, "Vul een BSN of een klantnummer in, niet allebei."),
        ({"bsn": BSN, "received_on": "2099-01-01"}, "De datum waarop het verzoek binnenkwam kan niet in de toekomst liggen."),
        ({"bsn": BSN, "received_on": "2017-01-01"}, "Een verzoek onder de AVG kan niet van voor 25 mei 2018 zijn."),
    ],
)
def test_a_wrong_lookup_gets_a_specific_dutch_message(world, client, data, message):
    client.force_login(world["officer"])
    response = _lookup(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_missing_request_date_sends_the_officer_back(world, client):
    client.force_login(world["officer"])
    response = client.get(reverse("privacy:subject_access_json", args=[world["participant"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("privacy:subject_access_lookup")
    assert not AuditEvent.objects.filter(actor=world["officer"], action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (dt.date(2026, 1, 5), dt.date(2026, 2, 5)),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 15), dt.date(2026, 1, 15)),
    ],
)
def test_the_answer_deadline_is_one_month(received, deadline):
    assert one_month_after(received) == deadline


def test_the_portal_home_links_to_my_data(world, client):
    client.force_login(world["login"])
    assert reverse("subject_access:mine") in client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["view_own", "handle_request"])
def test_the_policy_reaches_exactly_what_the_permission_table_promises(action):
    world = World()
    for role, user in world.users.items():
        relation = relation_for(user, SUBJECT_ACCESS, action)
        promised = world.promised(user, relation) if relation is not None else set()
        expected = {participant for name, participant in world.participants.items() if name in promised}
        assert set(subject_access_policy.instances_for(user, action)) == expected, role
        for name, participant in world.participants.items():
            if name not in promised:
                with pytest.raises(Http404):
                    subject_access_policy.get(user, action, participant.pk)
