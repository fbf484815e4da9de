"""Requirement (issue 5.2–5.3): the participant reads their own plan (both sides' promises
equally visible) and every report about them, and reacts; never anyone else's — not by
changing ids in page URLs, nor in API calls."""

import pytest
from django.urls import reverse

from maatpak.portal.models import ReportReaction
from tests.portal.factories import plan_for, reports_for


@pytest.fixture
def my_plan(me, team_consultant):
    return plan_for(me, consultant=team_consultant)


@pytest.fixture
def my_reports(my_plan, team_consultant):
    return reports_for(my_plan[0], author=team_consultant)


@pytest.fixture
def their_reports(someone_else, team_consultant):
    trajectory, _plan = plan_for(someone_else, consultant=team_consultant)
    return reports_for(trajectory, author=team_consultant)


@pytest.mark.django_db
def test_plan_page_shows_both_sides_promises(client, me, my_plan):
    client.force_login(me.user)
    content = client.get(reverse("portal:plan")).content.decode()
    assert "Wat ik afspreek" in content and "Ik solliciteer op twee vacatures per maand" in content
    assert "Wat de gemeente afspreekt" in content and "De gemeente regelt kinderopvang" in content
    assert "Werk in de groenvoorziening" in content


@pytest.mark.django_db
def test_reports_page_lists_my_reports_with_author_and_provider(client, me, my_reports, their_reports):
    client.force_login(me.user)
    content = client.get(reverse("portal:reports")).content.decode()
    assert "Sollicitatietraining gevolgd" in content and "Doel bereikt" in content
    assert my_reports[0].referral.provider.name in content
    assert their_reports[0].referral.provider.name not in content


@pytest.mark.django_db
def test_reacting_to_my_report(client, me, my_reports):
    client.force_login(me.user)
    progress, _end = my_reports
    response = client.post(
        reverse("portal:report_react", args=["progress", progress.pk]), {"text": "Klopt, maar de training was te vroeg."}
    )
    assert response.status_code == 302
    assert ReportReaction.objects.get().progress_report == progress


@pytest.mark.django_db
def test_reacting_to_someone_elses_report_by_changing_the_id_is_a_404(client, me, my_reports, their_reports):
    client.force_login(me.user)
    progress, end = their_reports
    assert client.post(reverse("portal:report_react", args=["progress", progress.pk]), {"text": "x"}).status_code == 404
    assert client.post(reverse("portal:report_react", args=["end", end.pk]), {"text": "x"}).status_code == 404
    assert not ReportReaction.objects.exists()


@pytest.mark.django_db
def test_plan_versions_of_others_cannot_be_opened(client, me, someone_else, my_plan, team_consultant):
    plan_for(someone_else, consultant=team_consultant)
    client.force_login(me.user)
    assert client.get(reverse("portal:plan_version", args=[1])).status_code == 200
    assert client.get(reverse("portal:plan_version", args=[2])).status_code == 404


@pytest.mark.django_db
def test_api_gives_my_plan_and_reports_only(client, me, my_reports, their_reports):
    client.force_login(me.user)
    plan = client.get("/api/v1/portal/me/plan/").json()
    assert {a["description"] for a in plan["agreements"]} == {
        "Ik solliciteer op twee vacatures per maand",
        "De gemeente regelt kinderopvang",
    }
    rows = client.get("/api/v1/portal/me/reports/").json()
    assert {(r["kind"], r["id"]) for r in rows} == {("progress", my_reports[0].pk), ("end", my_reports[1].pk)}
    progress, end = their_reports
    assert client.get(f"/api/v1/portal/me/reports/progress/{progress.pk}/").status_code == 404
    assert client.get(f"/api/v1/portal/me/reports/end/{end.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/portal/me/reports/end/{end.pk}/reactions/", {"text": "x"}, content_type="application/json").status_code == 404
    )
    response = client.post(
        f"/api/v1/portal/me/reports/end/{my_reports[1].pk}/reactions/", {"text": "Dank u"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["reactions"] == ["Dank u"]


@pytest.mark.django_db
def test_api_refuses_staff_and_anonymous(client, team_consultant, my_reports):
    assert client.get("/api/v1/portal/me/reports/").status_code == 401  # not logged in: a challenge
    client.force_login(team_consultant)
    assert client.get("/api/v1/portal/me/reports/").status_code == 404


def _copies(reports, participant):
    from maatpak.trajectories.models import ReportCopy

    progress, end = reports
    return [
        ReportCopy.objects.create(
            municipality=participant.municipality,
            participant=participant,
            progress_report=progress,
            made_available_on=progress.submitted_on,
        ),
        ReportCopy.objects.create(
            municipality=participant.municipality, participant=participant, end_report=end, made_available_on=end.submitted_on
        ),
    ]


@pytest.mark.django_db
def test_reports_page_links_a_pdf_copy_of_each_report(client, me, my_reports):
    client.force_login(me.user)
    content = client.get(reverse("portal:reports")).content.decode()
    progress, end = my_reports
    for kind, report in (("progress", progress), ("end", end)):
        url = reverse("providers:report_pdf", args=[kind, report.pk])
        assert f'href="{url}"' in content
        response = client.get(url)
        assert response.status_code == 200 and response.content[:4] == b"%PDF"


@pytest.mark.django_db
def test_opening_my_reports_records_the_first_view_once(client, me, my_reports, their_reports, someone_else):
    import datetime as dt

    from maatpak.trajectories.referrals import report_copies_mark_viewed

    mine = _copies(my_reports, me)
    theirs = _copies(their_reports, someone_else)
    client.force_login(me.user)
    client.get(reverse("portal:reports"))
    for copy in mine + theirs:
        copy.refresh_from_db()
    assert all(c.first_viewed_on == dt.date.today() for c in mine)
    assert all(c.first_viewed_on is None for c in theirs)  # only my own copies
    # A later view keeps the first date.
    assert report_copies_mark_viewed(participant=me, today=dt.date(2099, 1, 1)) == 0
    mine[0].refresh_from_db()
    assert mine[0].first_viewed_on == dt.date.today()


@pytest.mark.django_db
def test_the_api_reports_list_also_counts_as_viewing(client, someone_else, their_reports):
    copies = _copies(their_reports, someone_else)
    client.force_login(someone_else.user)
    assert client.get("/api/v1/portal/me/reports/").status_code == 200
    for copy in copies:
        copy.refresh_from_db()
        assert copy.first_viewed_on is not None


def _draft_revision(plan, consultant):
    """Version 2 being prepared by the consultant: not agreed yet."""
    import datetime as dt

    from maatpak.trajectories.models import Goal, PlanVersion

    draft = PlanVersion.objects.create(
        municipality=plan.municipality,
        trajectory=plan.trajectory,
        number=2,
        change_reason="Tempo verlaagd",
        end_goal_kind="regular_work",
        end_goal="CONCEPT-EINDDOEL",
        planned_start=plan.planned_start,
        planned_end=dt.date(2027, 6, 30),
        created_by=consultant,
    )
    Goal.objects.create(
        municipality=plan.municipality,
        plan=draft,
        kind="daily_structure",
        description="CONCEPT-DOEL",
        measure="x",
        target_date=dt.date(2027, 1, 1),
    )
    return draft


@pytest.mark.django_db
def test_a_revision_still_in_draft_is_not_the_participants_plan(client, me, my_plan, team_consultant):
    _trajectory, plan = my_plan
    _draft_revision(plan, team_consultant)
    client.force_login(me.user)
    content = client.get(reverse("portal:plan")).content.decode()
    assert "Werk in de groenvoorziening" in content and "CONCEPT-EINDDOEL" not in content
    assert client.get(reverse("portal:plan_version", args=[2])).status_code == 404
    assert client.post(reverse("portal:plan_pdf", args=[2])).status_code == 404
    assert plan.handovers.count() == 0


@pytest.mark.django_db
def test_downloading_my_plan_is_a_post_that_records_the_handover(client, me, my_plan):
    """No write on GET: taking the copy is a button (POST) that records the hand-over via the
    portal and answers with the PDF; a GET (a prefetch, a crawler) records nothing."""
    _trajectory, plan = my_plan
    client.force_login(me.user)
    assert client.get(reverse("portal:plan_pdf", args=[plan.number])).status_code == 405
    assert plan.handovers.count() == 0
    response = client.post(reverse("portal:plan_pdf", args=[plan.number]))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    assert response["Content-Disposition"].startswith("attachment;")
    assert list(plan.handovers.values_list("channel", flat=True)) == ["portal"]
