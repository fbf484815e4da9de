"""Audit of issue 4 (API parity): provider staff accept, decline, record intake and start
through the API with the same services, checks and access as the pages; a progress report
through the API needs a level for each visible goal, like the web form."""

import datetime as dt

import pytest

from maatpak.audit.models import AuditEvent
from maatpak.trajectories.models import ProgressReport, Referral
from tests.api.problems import field_messages, problem
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _post(client, pk, step, body):
    return client.post(f"/api/v1/providers/referrals/{pk}/{step}/", body, content_type="application/json")


def test_whole_path_through_the_api(client, case):
    client.force_login(case["coach"])
    pk = case["referral"].pk
    version = client.get(f"/api/v1/providers/referrals/{pk}/").json()["version"]
    accepted = _post(client, pk, "accept", {"version": version})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    intake = _post(client, pk, "intake", {"version": accepted.json()["version"], "intake_on": TODAY.isoformat()})
    assert intake.status_code == 200 and intake.json()["status"] == "intake" and intake.json()["intake_on"] == TODAY.isoformat()
    started = _post(client, pk, "start", {"version": intake.json()["version"], "started_on": TODAY.isoformat()})
    assert started.status_code == 200 and started.json()["status"] == "active"
    r = Referral.objects.get(pk=pk)
    assert (r.status, r.responded_on, r.intake_on, r.started_on) == ("active", TODAY, TODAY, TODAY)
    assert AuditEvent.objects.filter(actor=case["coach"], action="update", object_id=str(pk)).count() == 3
    report = _post(
        client,
        pk,
        "progress-reports",
        {"activities": "Gesprek", "attendance": "good", "next_steps": "Verder", "goal_progress": {str(case["goal"].pk): "some"}},
    )
    assert report.status_code == 201


def test_decline_needs_a_reason_like_the_page(client, case):
    client.force_login(case["coach"])
    pk, version = case["referral"].pk, case["referral"].version
    empty = _post(client, pk, "decline", {"version": version, "reason": "  "})
    assert empty.status_code == 400 and "reason" in field_messages(empty)
    assert Referral.objects.get(pk=pk).status == "proposed"
    ok = _post(client, pk, "decline", {"version": version, "reason": "Geen plek tot maart"})
    assert ok.status_code == 200 and ok.json()["status"] == "declined"
    assert Referral.objects.get(pk=pk).decline_reason == "Geen plek tot maart"


def test_wrong_step_and_bad_dates_are_refused(client, case):
    client.force_login(case["coach"])
    pk, version = case["referral"].pk, case["referral"].version
    wrong = _post(client, pk, "start", {"version": version, "started_on": TODAY.isoformat()})
    assert wrong.status_code == 400 and problem(wrong)["detail"] and not field_messages(wrong)
    assert _post(client, pk, "accept", {"version": version}).status_code == 200
    future = _post(client, pk, "intake", {"version": version + 1, "intake_on": (TODAY + dt.timedelta(days=1)).isoformat()})
    assert future.status_code == 400 and "intake_on" in field_messages(future)
    missing = _post(client, pk, "intake", {"version": version + 1, "intake_on": None})
    assert missing.status_code == 400 and "intake_on" in field_messages(missing)
    assert Referral.objects.get(pk=pk).status == "accepted"


def test_stale_version_is_refused(client, case):
    client.force_login(case["coach"])
    pk, version = case["referral"].pk, case["referral"].version
    assert _post(client, pk, "accept", {"version": version}).status_code == 200
    stale = _post(client, pk, "intake", {"version": version, "intake_on": TODAY.isoformat()})
    assert stale.status_code == 400 and "iemand anders" in problem(stale)["detail"].lower()
    assert Referral.objects.get(pk=pk).status == "accepted"


@pytest.mark.parametrize(
    "step, body",
    [
        ("accept", {}),
        ("decline", {"reason": "Vol"}),
        ("intake", {"intake_on": TODAY.isoformat()}),
        ("start", {"started_on": TODAY.isoformat()}),
    ],
)
def test_another_providers_referral_and_consultants_get_404(client, case, municipality, step, body):
    pk, version = case["referral"].pk, case["referral"].version
    for outsider in (
        UserFactory(role="provider_staff", municipalities=[municipality], provider=ProviderFactory(municipality=municipality)),
        case["consultant"],
    ):
        client.force_login(outsider)
        assert _post(client, pk, step, {"version": version, **body}).status_code == 404
    r = Referral.objects.get(pk=pk)
    assert (r.status, r.version) == ("proposed", version)


def test_api_progress_report_needs_a_level_for_each_visible_goal(client, case):
    Referral.objects.filter(pk=case["referral"].pk).update(status="active", responded_on=TODAY, intake_on=TODAY, started_on=TODAY)
    client.force_login(case["coach"])
    pk = case["referral"].pk
    base = {"activities": "Gesprek", "attendance": "good", "next_steps": "Verder"}
    missing = _post(client, pk, "progress-reports", base)
    assert missing.status_code == 400 and "goal_progress" in field_messages(missing)
    bad_key = _post(client, pk, "progress-reports", {**base, "goal_progress": {str(case["goal"].pk): "some", "gezondheid": "some"}})
    assert bad_key.status_code == 400 and "goal_progress" in field_messages(bad_key)
    assert not ProgressReport.objects.exists()
    ok = _post(client, pk, "progress-reports", {**base, "goal_progress": {str(case["goal"].pk): "some"}})
    assert ok.status_code == 201


def test_web_form_gives_the_same_refusal_for_a_missing_goal_level(client, case):
    from django.urls import reverse

    Referral.objects.filter(pk=case["referral"].pk).update(status="active", responded_on=TODAY, intake_on=TODAY, started_on=TODAY)
    client.force_login(case["coach"])
    data = {"progress-activities": "Gesprek", "progress-attendance": "good", "progress-next_steps": "Verder"}
    response = client.post(reverse("providers:referral_action", args=[case["referral"].pk, "progress"]), data)
    assert response.status_code == 400 and not ProgressReport.objects.exists()
