"""Issue 13, item 4: the provider's progress report proposes a level per goal; the consultant
confirms or corrects the goal's status (reached / partly / not reached / open) with the date and
the author; only goals of the plan in force; the participant sees it in the portal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.trajectories import services
from maatpak.trajectories.goals import PROPOSED_STATUS, goal_status_confirm
from maatpak.trajectories.models import GoalProgress, GoalProgressLevel, GoalStatus
from tests.factories import ProgressReportFactory, ProviderFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
PLAN_START = dt.date(2026, 1, 5)  # the start of the plan the `active_trajectory` fixture signs


@pytest.fixture
def goal(active_trajectory):
    return active_trajectory.plan_in_force().goals.get()


def proposal(trajectory, goal, level, *, author=None, submitted_on=None):
    referral = ReferralFactory(trajectory=trajectory)
    report = ProgressReportFactory(
        referral=referral, submitted_on=submitted_on or TODAY, due_on=submitted_on or TODAY, author=author or UserFactory()
    )
    return GoalProgress.objects.create(municipality=trajectory.municipality, report=report, goal=goal, level=level)


def test_a_proposal_means_a_status():
    assert PROPOSED_STATUS == {
        GoalProgressLevel.REACHED: GoalStatus.REACHED,
        GoalProgressLevel.SOME: GoalStatus.PARTLY_REACHED,
        GoalProgressLevel.NONE: GoalStatus.NOT_REACHED,
    }


def test_the_consultant_confirms_a_proposal_with_date_and_author(km, active_trajectory, goal):
    progress = proposal(active_trajectory, goal, GoalProgressLevel.REACHED)
    on = TODAY - dt.timedelta(days=3)
    goal_status_confirm(actor=km, goal=goal, status=GoalStatus.REACHED, status_on=on, from_progress=progress)
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on, goal.status_set_by, goal.status_from_progress) == (GoalStatus.REACHED, on, km, progress)
    event = AuditEvent.objects.get(purpose="confirm intermediate goal")
    assert event.participant_id == active_trajectory.participant_id and event.detail["status"] == GoalStatus.REACHED


def test_the_consultant_may_correct_and_reopen(km, goal):
    goal_status_confirm(actor=km, goal=goal, status=GoalStatus.PARTLY_REACHED, status_on=TODAY)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.PARTLY_REACHED and goal.status_from_progress is None
    goal_status_confirm(actor=km, goal=goal, status=GoalStatus.OPEN, status_on=TODAY)
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on, goal.status_set_by) == (GoalStatus.OPEN, None, km)


@pytest.mark.parametrize(
    ("status", "status_on", "field"),
    [
        (GoalStatus.REACHED, None, "status_on"),
        (GoalStatus.REACHED, TODAY + dt.timedelta(days=1), "status_on"),
        (GoalStatus.NOT_REACHED, PLAN_START - dt.timedelta(days=1), "status_on"),
        ("half", TODAY, "status"),
    ],
)
def test_dates_and_statuses_that_cannot_be(km, goal, status, status_on, field):
    with pytest.raises(ValidationError) as exc:
        goal_status_confirm(actor=km, goal=goal, status=status, status_on=status_on)
    assert field in exc.value.message_dict


def test_a_proposal_about_another_goal_is_refused(km, active_trajectory, goal):
    other = active_trajectory.plan_in_force().goals.create(
        municipality=goal.municipality, kind="finances", description="Schulden op orde", measure="Regeling", target_date=TODAY
    )
    progress = proposal(active_trajectory, other, GoalProgressLevel.SOME)
    with pytest.raises(ValidationError):
        goal_status_confirm(actor=km, goal=goal, status=GoalStatus.PARTLY_REACHED, status_on=TODAY, from_progress=progress)


def test_only_goals_of_the_plan_in_force(km, active_trajectory, goal):
    services.plan_revise(actor=km, trajectory=active_trajectory, reason="Tempo verlaagd", expected_version=active_trajectory.version)
    active_trajectory.refresh_from_db()
    draft_copy = active_trajectory.draft_revision().goals.get()
    with pytest.raises(ValidationError) as exc:
        goal_status_confirm(actor=km, goal=draft_copy, status=GoalStatus.REACHED, status_on=TODAY)
    assert exc.value.code == "not_in_force"
    # The version in force keeps its goals confirmable while the revision is written.
    goal_status_confirm(actor=km, goal=goal, status=GoalStatus.REACHED, status_on=TODAY)
    # ... and the revision's copy follows, so the confirmation survives when the revision comes into force.
    draft_copy.refresh_from_db()
    assert (draft_copy.copied_from, draft_copy.status, draft_copy.reached_on, draft_copy.status_set_by) == (
        goal,
        GoalStatus.REACHED,
        TODAY,
        km,
    )


def test_a_new_version_copies_the_confirmed_status_with_who_confirmed_it(km, active_trajectory, goal):
    goal_status_confirm(actor=km, goal=goal, status=GoalStatus.PARTLY_REACHED, status_on=TODAY)
    services.plan_revise(actor=km, trajectory=active_trajectory, reason="Tempo verlaagd", expected_version=active_trajectory.version)
    active_trajectory.refresh_from_db()
    copy = active_trajectory.draft_revision().goals.get()
    assert (copy.status, copy.reached_on, copy.status_set_by, copy.copied_from) == (GoalStatus.PARTLY_REACHED, TODAY, km, goal)


def test_others_may_not_confirm(active_trajectory, goal, municipality, other_municipality):
    coach = UserFactory(role=Role.PROVIDER_STAFF, municipalities=[municipality], provider=ProviderFactory(municipality=municipality))
    stranger = UserFactory(role=Role.CONSULTANT, municipalities=[other_municipality])
    for user in (coach, stranger, active_trajectory.participant.user):
        with pytest.raises(PermissionDenied):
            goal_status_confirm(actor=user, goal=goal, status=GoalStatus.REACHED, status_on=TODAY)


# --- screens ------------------------------------------------------------------------------------


def test_the_plan_page_links_each_goal_in_force_to_its_status_page(client, km, active_trajectory, goal):
    client.force_login(km)
    page = client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).content.decode()
    url = reverse("trajectories:goal_status", args=[active_trajectory.pk, goal.pk])
    assert url in page and "Status bevestigen of aanpassen" in page


def test_the_goal_page_saves_a_status_and_shows_errors_next_to_the_field(client, km, active_trajectory, goal):
    client.force_login(km)
    url = reverse("trajectories:goal_status", args=[active_trajectory.pk, goal.pk])
    assert client.get(url).status_code == 200
    prefix = f"goal-{goal.pk}"
    refused = client.post(url, {f"{prefix}-status": GoalStatus.REACHED, f"{prefix}-status_on": TODAY + dt.timedelta(days=2)})
    assert refused.status_code == 400
    assert f'id="id_goal-{goal.pk}-status_on_error"' in refused.content.decode()
    ok = client.post(url, {f"{prefix}-status": GoalStatus.REACHED, f"{prefix}-status_on": TODAY})
    assert ok.status_code == 302 and ok["Location"].endswith(reverse("trajectories:detail", args=[active_trajectory.pk]) + "#goal")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REACHED


def test_the_goal_page_is_404_for_someone_without_the_dossier(client, active_trajectory, goal, other_municipality):
    client.force_login(UserFactory(role=Role.CONSULTANT, municipalities=[other_municipality]))
    assert client.get(reverse("trajectories:goal_status", args=[active_trajectory.pk, goal.pk])).status_code == 404


def test_the_report_page_offers_confirmation_prefilled_from_the_proposal(client, km, active_trajectory, goal, municipality):
    progress = proposal(active_trajectory, goal, GoalProgressLevel.SOME)
    coach = UserFactory(role=Role.PROVIDER_STAFF, municipalities=[municipality], provider=progress.report.referral.provider)
    report_url = reverse("providers:report_detail", args=["progress", progress.report_id])
    client.force_login(km)
    page = client.get(report_url).content.decode()
    prefix = f"goal-{goal.pk}"
    assert reverse("trajectories:goal_status", args=[active_trajectory.pk, goal.pk]) in page
    assert f'<option value="{GoalStatus.PARTLY_REACHED}" selected>' in page
    assert f'name="{prefix}-from_progress" value="{progress.pk}"' in page
    response = client.post(
        reverse("trajectories:goal_status", args=[active_trajectory.pk, goal.pk]),
        {
            f"{prefix}-status": GoalStatus.PARTLY_REACHED,
            f"{prefix}-status_on": TODAY,
            f"{prefix}-from_progress": progress.pk,
            f"{prefix}-next": report_url,
        },
    )
    assert response.status_code == 302 and response["Location"] == report_url
    goal.refresh_from_db()
    assert goal.status_from_progress == progress and goal.status_set_by == km
    # The provider reads its report without the consultant's form.
    client.force_login(coach)
    page = client.get(report_url).content.decode()
    assert "Status opslaan" not in page and f"{prefix}-status" not in page


def test_the_participant_sees_the_confirmed_status_and_its_date(client, km, active_trajectory, goal):
    goal_status_confirm(actor=km, goal=goal, status=GoalStatus.REACHED, status_on=TODAY)
    client.force_login(active_trajectory.participant.user)
    page = client.get(reverse("portal:plan")).content.decode()
    assert "Bereikt" in page and f"sinds {TODAY.day}" in page
