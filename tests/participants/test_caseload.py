"""Requirement (issue 3.1, 3.6): the caseload with search, filters and signal counts, whose
query count does not grow with the caseload; the team lead's view per consultant."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatpak.casework.alerts import caseload_signals
from maatpak.participants.models import Competence, LadderDefinition
from maatpak.trajectories.models import Trajectory
from tests.casework.conftest import give_purpose
from tests.factories import EmployerFactory, ParticipantFactory, UserFactory
from tests.participants.conftest import populate

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_caseload_query_count_does_not_grow_with_caseload_size(client, municipality, kim):
    populate(municipality, kim, 5)
    client.force_login(kim)
    small = _queries(client, reverse("participants:caseload"))
    populate(municipality, kim, 45, start=5)
    assert _queries(client, reverse("participants:caseload")) == small


def test_dossier_query_count_does_not_grow_with_its_rows(client, municipality, kim):
    [few] = populate(municipality, kim, 1)
    client.force_login(kim)
    small = _queries(client, reverse("participants:dossier", args=[few.pk]))
    [many] = populate(municipality, kim, 1, start=1)
    employer = EmployerFactory(municipality=municipality)
    for i in range(15):
        Trajectory.objects.create(municipality=municipality, participant=many, consultant=kim, status="closed")
        many.wishes.create(municipality=municipality, kind="wish", text=f"wens {i}", source="consultant", recorded_by=kim)
        competence = Competence.objects.create(municipality=municipality, name=f"Competentie {i}")
        many.competences.create(municipality=municipality, competence=competence, recorded_on=dt.date(2025, 1, 1), recorded_by=kim)
        many.educations.create(municipality=municipality, name=f"Cursus {i}")
        many.work_experiences.create(municipality=municipality, job_title=f"Baan {i}")
        many.placements.create(municipality=municipality, kind="regular", employer=employer, start_date=dt.date(2025, 1, 1))
        many.consultant_assignments.create(municipality=municipality, consultant=kim, start_date=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        many.ladder_assessments.create(
            municipality=municipality,
            definition=LadderDefinition.objects.get(),
            rung=1 + i % 6,
            assessed_on=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            author=kim,
        )
    assert _queries(client, reverse("participants:dossier", args=[many.pk])) == small


def test_dossier_query_count_for_a_team_lead_does_not_grow_either(client, municipality, kim, lead):
    [few, many] = populate(municipality, kim, 2)
    for i in range(15):
        many.consultant_assignments.create(municipality=municipality, consultant=kim, start_date=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        many.contacts.create(municipality=municipality, occurred_on=dt.date(2025, 1, 1), channel="phone", staff=kim)
    client.force_login(lead)
    for p in (few, many):
        give_purpose(lead, p)  # break the glass: a team lead opens a dossier for a stated purpose
    assert _queries(client, reverse("participants:dossier", args=[few.pk])) == _queries(
        client, reverse("participants:dossier", args=[many.pk])
    )


def test_signals_follow_their_definitions(municipality, kim):
    [p] = populate(municipality, kim, 1)
    signals = caseload_signals([p], today=dt.date(2026, 11, 23))[p.pk]
    # Report due 30 days after the last (2025-02-20): overdue. Plan ended 2025-12-31 while active.
    # Municipality's agreement open past its deadline. Last contact 2025-02-01: over 90 days.
    # Assessments from 2025-01-05: older than 12 months. Plan never handed over.
    assert signals == [
        "report_overdue",
        "past_planned_end",
        "plan_not_handed_over",
        "stale_assessment",
        "no_contact",
        "agreement_overdue_municipality",
    ]
    fresh = caseload_signals([p], today=dt.date(2025, 2, 25))[p.pk]
    assert "report_overdue" not in fresh and "stale_assessment" not in fresh and "no_contact" not in fresh


def test_closed_without_end_report_and_repeat_without_reason(municipality, kim):
    p = ParticipantFactory(municipality=municipality, consultant=kim)
    first = Trajectory.objects.create(municipality=municipality, participant=p, consultant=kim, status="closed")
    Trajectory.objects.create(municipality=municipality, participant=p, consultant=kim, status="draft", previous=first)
    signals = caseload_signals([p], today=dt.date(2026, 1, 1))[p.pk]
    assert "closed_without_end_report" in signals and "repeat_without_reason" in signals


def test_search_by_name_reference_and_bsn(client, municipality, kim):
    people = populate(municipality, kim, 3)
    client.force_login(kim)
    content = client.get(reverse("participants:caseload"), {"q": "Persoon001"}).content.decode()
    assert "Persoon001" in content and "Persoon002" not in content
    content = client.post(reverse("participants:caseload"), {"q": people[2].bsn}, follow=True).content.decode()
    assert "Persoon002" in content and "Persoon001" not in content
    content = client.get(reverse("participants:caseload"), {"q": people[0].reference}).content.decode()
    assert "Persoon000" in content and "Persoon002" not in content
    content = client.post(reverse("participants:caseload"), {"q": "123456789"}, follow=True).content.decode()
    assert "11-proef" in content


def test_filter_by_signal_and_counts_shown(client, municipality, kim):
    populate(municipality, kim, 2)
    ParticipantFactory(municipality=municipality, consultant=kim, last_name="Zonder", registered_on=dt.date.today())
    client.force_login(kim)
    content = client.get(reverse("participants:caseload"), {"signal": "report_overdue"}).content.decode()
    assert "Persoon000" in content and "Zonder" not in content


def test_consultant_sees_only_own_caseload_team_lead_the_team(client, municipality, kim, lead, team):
    populate(municipality, kim, 2)
    other = UserFactory(role="consultant", municipalities=[municipality], team=team, username="bas")
    ParticipantFactory(municipality=municipality, consultant=other, last_name="VanBas")
    outsider = UserFactory(role="consultant", municipalities=[municipality], username="elders")
    ParticipantFactory(municipality=municipality, consultant=outsider, last_name="VanElders")
    client.force_login(kim)
    content = client.get(reverse("participants:caseload")).content.decode()
    assert "Persoon000" in content and "VanBas" not in content
    client.force_login(lead)
    content = client.get(reverse("participants:caseload")).content.decode()
    assert "Persoon000" in content and "VanBas" in content and "VanElders" not in content
    content = client.get(reverse("participants:caseload"), {"consultant": other.pk}).content.decode()
    assert "VanBas" in content and "Persoon000" not in content


def test_team_view_counts_per_consultant(client, municipality, kim, lead):
    populate(municipality, kim, 3)
    client.force_login(lead)
    response = client.get(reverse("participants:team"))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["consultant"] == kim)
    assert row["size"] == 3 and row["changes"] == [3, 0, 0, 0]
    client.force_login(kim)
    assert client.get(reverse("participants:team")).status_code == 403


def test_hand_over_of_the_agreed_plan_clears_the_signal_and_a_draft_never_raises_it(municipality, kim):
    from maatpak.trajectories.models import PlanHandover, PlanVersion, Signature, SignatureMethod, SignatureParty

    [p] = populate(municipality, kim, 1)
    plan = PlanVersion.objects.get(trajectory__participant=p)
    PlanHandover.objects.create(municipality=municipality, plan=plan, handed_over_on=dt.date(2025, 1, 2), channel="paper", recorded_by=kim)
    assert "plan_not_handed_over" not in caseload_signals([p], today=dt.date(2025, 2, 1))[p.pk]
    # A new version being drafted (not yet agreed) does not undo the hand-over of the agreed one.
    revision = PlanVersion.objects.create(
        municipality=municipality,
        trajectory=plan.trajectory,
        number=2,
        change_reason="Vertraagd",
        end_goal_kind="regular_work",
        end_goal="Werk",
        planned_start=dt.date(2025, 1, 1),
        planned_end=dt.date(2026, 6, 30),
        created_by=kim,
    )
    signals = caseload_signals([p], today=dt.date(2026, 1, 15))[p.pk]
    assert "plan_not_handed_over" not in signals
    # The draft moves no date: version 1 stays in force, so its end (2025) has passed and its
    # municipality agreement is still overdue until the revision is agreed and signed by both.
    assert "past_planned_end" in signals and "agreement_overdue_municipality" in signals
    PlanVersion.objects.filter(pk=revision.pk).update(agreed_on=dt.date(2026, 1, 10))
    for party in SignatureParty.values:
        Signature.objects.create(
            municipality=municipality,
            plan=revision,
            party=party,
            method=SignatureMethod.PAPER,
            signed_on=dt.date(2026, 1, 10),
            signer_name="X",
            recorded_by=kim,
        )
    PlanHandover.objects.create(
        municipality=municipality, plan=revision, handed_over_on=dt.date(2026, 1, 11), channel="paper", recorded_by=kim
    )
    signals = caseload_signals([p], today=dt.date(2026, 1, 15))[p.pk]
    # Now version 2 is in force: it ends in 2026 and has no agreements of its own yet.
    assert "past_planned_end" not in signals and "agreement_overdue_municipality" not in signals and "plan_not_handed_over" not in signals


def test_no_activity_after_intake_and_participant_side_agreement(municipality, kim):
    from maatpak.trajectories.models import Agreement, PlanVersion, Referral

    [p] = populate(municipality, kim, 1)
    referral = Referral.objects.get(trajectory__participant=p)
    referral.progress_reports.all().delete()
    Referral.objects.filter(pk=referral.pk).update(status="intake", started_on=None)
    plan = PlanVersion.objects.get(trajectory__participant=p)
    Agreement.objects.create(
        municipality=municipality, plan=plan, party="participant", description="Solliciteren", deadline=dt.date(2025, 1, 20)
    )
    signals = caseload_signals([p], today=dt.date(2025, 2, 15))[p.pk]
    # Intake 2025-01-10 + 30 days < 2025-02-15 with no start and no report.
    assert "no_activity_after_intake" in signals and "agreement_overdue_participant" in signals
    assert "no_activity_after_intake" not in caseload_signals([p], today=dt.date(2025, 2, 5))[p.pk]


def test_team_view_counts_changes_after_the_first_assignment_within_24_months(client, municipality, kim, lead, team):
    from maatpak.participants.models import ConsultantAssignment

    people = populate(municipality, kim, 3)
    bas = UserFactory(role="consultant", municipalities=[municipality], team=team, username="bas")
    today = dt.date.today()
    for p, starts in zip(
        people,
        [
            [today.replace(year=today.year - 5)],
            [today.replace(year=today.year - 5), today - dt.timedelta(days=30)],
            [today - dt.timedelta(days=400 + i) for i in range(4)],
        ],
        strict=False,
    ):
        for start in starts:
            ConsultantAssignment.objects.create(municipality=municipality, participant=p, consultant=bas, start_date=start)
    client.force_login(lead)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("participants:team"))
    row = next(r for r in response.context["rows"] if r["consultant"] == kim)
    # 0 changes, 1 change, and 3 changes (the first of four assignments is the start).
    assert row["changes"] == [1, 1, 0, 1]
    assert dict(row["signals"])["report_overdue"] == 3
    assert f"?consultant={kim.pk}&amp;signal=report_overdue" in response.content.decode()
    populate(municipality, kim, 10, start=3)
    with CaptureQueriesContext(connection) as larger:
        client.get(reverse("participants:team"))
    assert len(larger.captured_queries) == len(captured.captured_queries)


def test_search_by_full_name_and_the_search_is_logged_without_the_bsn(client, municipality, kim):
    from maatpak.audit.models import AuditEvent

    people = populate(municipality, kim, 2)
    client.force_login(kim)
    full = f"{people[1].first_name} {people[1].last_name}"
    content = client.get(reverse("participants:caseload"), {"q": full}).content.decode()
    assert "Persoon001" in content and "Persoon000" not in content
    client.post(reverse("participants:caseload"), {"q": people[0].bsn}, follow=True)
    searches = AuditEvent.objects.filter(actor=kim, action="search")
    assert searches.count() == 2
    assert all(people[0].bsn not in f"{e.purpose} {e.detail}" for e in searches)


def test_sort_by_most_signals_first(client, municipality, kim):
    populate(municipality, kim, 1)
    ParticipantFactory(municipality=municipality, consultant=kim, last_name="Aaaa", registered_on=dt.date.today())
    client.force_login(kim)
    page = client.get(reverse("participants:caseload"), {"sort": "signals"}).context["page"]
    assert [p.last_name for p in page] == ["Persoon000", "Aaaa"]


def test_caseload_switches_to_english(client, municipality, kim, settings):
    populate(municipality, kim, 1)
    client.force_login(kim)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("participants:caseload")).content.decode()
    assert "My caseload" in content and "Provider overdue: intake or report" in content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Mijn caseload" in client.get(reverse("participants:caseload")).content.decode()
