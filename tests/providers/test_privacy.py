"""Audit of issue 4 (privacy): provider staff never see health goals or the participant's
reactions — through pages, API, progress form, report pages and the PDF copy alike — and a
progress report covers exactly the goals the provider can see."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.portal.models import ReportReaction
from maatpak.providers.pdf import report_pdf_sections
from maatpak.trajectories import referrals as services
from maatpak.trajectories.models import Goal, GoalProgress, ProgressReport, Referral
from tests.api.problems import field_messages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
HEALTH_GOAL = "Behandeling bij de GGZ volhouden"
HEALTH_MEASURE = "Elke afspraak bij de psycholoog nagekomen"
REACTION = "Ik ben het niet eens met wat over mij staat"


@pytest.fixture
def active(case, municipality):
    r = case["referral"]
    Referral.objects.filter(pk=r.pk).update(
        status="active",
        responded_on=TODAY - dt.timedelta(days=39),
        intake_on=TODAY - dt.timedelta(days=35),
        started_on=TODAY - dt.timedelta(days=35),
    )
    r.refresh_from_db()
    case["health_goal"] = Goal.objects.create(
        municipality=municipality,
        plan=case["goal"].plan,
        kind="health",
        description=HEALTH_GOAL,
        measure=HEALTH_MEASURE,
        target_date=TODAY + dt.timedelta(days=30),
    )
    return case


def _progress_data(case, **extra):
    data = {
        "progress-activities": "Gesprek gevoerd",
        "progress-attendance": "good",
        "progress-next_steps": "Stage zoeken",
        f"progress-goal_{case['goal'].pk}": "some",
    }
    return {**data, **extra}


def _pages_seen_by_provider(client, case, report=None):
    client.force_login(case["coach"])
    pk = case["referral"].pk
    texts = [
        client.get(reverse("providers:referral", args=[pk])).content.decode(),
        client.get(f"/api/v1/providers/referrals/{pk}/").content.decode(),
        client.get("/api/v1/providers/referrals/").content.decode(),
        client.get(reverse("providers:portal")).content.decode(),
    ]
    if report is not None:
        texts.append(client.get(reverse("providers:report_detail", args=["progress", report.pk])).content.decode())
    return texts


def test_health_goal_never_reaches_provider_pages_or_api(client, active):
    texts = _pages_seen_by_provider(client, active)
    # The visible goal is there (the test can fail), the health goal is not, nor its measure.
    assert "Elke dag op tijd op" in texts[0] and "Elke dag op tijd op" in texts[1]
    for text in texts:
        assert HEALTH_GOAL not in text and HEALTH_MEASURE not in text
    # The progress form asks only about the visible goal.
    form = client.get(reverse("providers:referral", args=[active["referral"].pk])).context["forms"]["progress"]
    assert form.goal_fields == [f"goal_{active['goal'].pk}"]


def test_web_form_report_goes_through_with_the_visible_goal_only(client, active):
    client.force_login(active["coach"])
    response = client.post(reverse("providers:referral_action", args=[active["referral"].pk, "progress"]), _progress_data(active))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert [gp.goal_id for gp in report.goal_progress.all()] == [active["goal"].pk]


def test_a_health_goal_cannot_be_reported_on_through_the_api(client, active):
    client.force_login(active["coach"])
    url = f"/api/v1/providers/referrals/{active['referral'].pk}/progress-reports/"
    body = {
        "activities": "Gesprek",
        "attendance": "good",
        "next_steps": "Verder",
        "goal_progress": {str(active["goal"].pk): "some", str(active["health_goal"].pk): "reached"},
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "goal_progress" in field_messages(response)
    assert not ProgressReport.objects.exists()


def test_every_visible_goal_needs_a_level_in_the_service(active):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.progress_report_submit(
            actor=active["coach"], referral=active["referral"], activities="a", attendance="good", next_steps="n", goal_progress={}
        )
    assert set(exc.value.message_dict) == {"goal_progress"}
    assert "elk tussendoel" in exc.value.message_dict["goal_progress"][0]
    assert not ProgressReport.objects.exists()


def test_health_progress_in_an_older_report_is_hidden_from_the_provider_but_not_the_consultant(client, active, municipality):
    report = services.progress_report_submit(
        actor=active["coach"],
        referral=active["referral"],
        activities="Gesprek",
        attendance="good",
        next_steps="Verder",
        goal_progress={active["goal"].pk: "some"},
    )
    # As a report written before health goals were hidden would hold it.
    GoalProgress.objects.create(municipality=municipality, report=report, goal=active["health_goal"], level="reached")
    for text in _pages_seen_by_provider(client, active, report):
        assert HEALTH_GOAL not in text
    client.force_login(active["consultant"])
    assert HEALTH_GOAL in client.get(reverse("providers:report_detail", args=["progress", report.pk])).content.decode()
    provider_copy = "\n".join(p for _, ps in report_pdf_sections(report, "progress", hide_health_goals=True) for p in ps)
    participant_copy = "\n".join(p for _, ps in report_pdf_sections(report, "progress") for p in ps)
    assert HEALTH_GOAL not in provider_copy and "Elke dag op tijd op" in provider_copy
    assert HEALTH_GOAL in participant_copy
    # The PDF downloaded by provider staff is the filtered one.
    client.force_login(active["coach"])
    pdf = client.get(reverse("providers:report_pdf", args=["progress", report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_participant_reactions_are_for_the_consultant_only(client, active, municipality):
    report = services.progress_report_submit(
        actor=active["coach"],
        referral=active["referral"],
        activities="Gesprek",
        attendance="good",
        next_steps="Verder",
        goal_progress={active["goal"].pk: "some"},
    )
    ReportReaction.objects.create(municipality=municipality, participant=active["participant"], progress_report=report, text=REACTION)
    url = reverse("providers:report_detail", args=["progress", report.pk])
    client.force_login(active["consultant"])
    assert REACTION in client.get(url).content.decode()
    client.force_login(active["coach"])
    response = client.get(url)
    assert (
        response.status_code == 200
        and REACTION not in response.content.decode()
        and "reacties van de deelnemer" not in response.content.decode().lower()
    )


def test_pdf_holds_the_proposed_rung(active, municipality):
    from tests.factories import LadderAssessmentFactory, LadderDefinitionFactory

    report = services.progress_report_submit(
        actor=active["coach"],
        referral=active["referral"],
        activities="Gesprek",
        attendance="good",
        next_steps="Verder",
        goal_progress={active["goal"].pk: "some"},
        proposed_rung=4,
    )
    sections = dict(report_pdf_sections(report, "progress"))
    assert sections["Voorgestelde trede op de participatieladder"][0].startswith("Trede 4 van 6")
    definition = LadderDefinitionFactory(
        code="variant-test",
        rungs=[{"rung": i, "label": f"label {i}", "description": ""} for i in range(1, 4)]
        + [{"rung": 4, "label": "Onbetaald werk", "description": ""}],
    )
    LadderAssessmentFactory(participant=active["participant"], definition=definition, author=active["consultant"])
    named = dict(report_pdf_sections(report, "progress"))["Voorgestelde trede op de participatieladder"][0]
    assert named.startswith("Trede 4 van 6 (") and "onbetaald" in named.lower()
    without = services.progress_report_submit(
        actor=active["coach"],
        referral=active["referral"],
        activities="Gesprek",
        attendance="good",
        next_steps="Verder",
        goal_progress={active["goal"].pk: "some"},
    )
    assert dict(report_pdf_sections(without, "progress"))["Voorgestelde trede op de participatieladder"] == [
        "De aanbieder stelt geen trede voor."
    ]


def test_other_consultant_sees_no_reactions_either(client, active, municipality):
    report = services.progress_report_submit(
        actor=active["coach"],
        referral=active["referral"],
        activities="Gesprek",
        attendance="good",
        next_steps="Verder",
        goal_progress={active["goal"].pk: "some"},
    )
    ReportReaction.objects.create(municipality=municipality, participant=active["participant"], progress_report=report, text=REACTION)
    client.force_login(UserFactory(role="consultant", municipalities=[municipality]))
    assert client.get(reverse("providers:report_detail", args=["progress", report.pk])).status_code == 404


def test_a_revision_still_in_draft_is_not_shown_to_the_provider(client, active, municipality):
    """The provider works to the plan agreed with the participant, not to the consultant's draft."""
    from maatpak.trajectories.models import PlanVersion

    plan = active["goal"].plan
    draft = PlanVersion.objects.create(
        municipality=municipality,
        trajectory=plan.trajectory,
        number=2,
        change_reason="Tempo verlaagd",
        end_goal_kind="regular_work",
        end_goal="Werk",
        planned_start=plan.planned_start,
        planned_end=plan.planned_end,
        created_by=active["consultant"],
    )
    Goal.objects.create(
        municipality=municipality,
        plan=draft,
        kind="daily_structure",
        description="CONCEPT-DOEL",
        measure="x",
        target_date=TODAY + dt.timedelta(days=30),
    )
    texts = _pages_seen_by_provider(client, active)
    assert "Elke dag op tijd op" in texts[0] and "Elke dag op tijd op" in texts[1]
    assert all("CONCEPT-DOEL" not in text for text in texts)
    PlanVersion.objects.filter(pk=draft.pk).update(agreed_on=TODAY)
    assert "CONCEPT-DOEL" in client.get(reverse("providers:referral", args=[active["referral"].pk])).content.decode()
