"""The plan page's forms: one view per form, calculations in selectors, no write on GET."""

import datetime as dt

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.casework import trajectory_views
from maatpak.casework.selectors import plan_version_comparison
from maatpak.trajectories import services
from maatpak.trajectories.models import PlanHandover, Signature, SignatureMethod
from tests.trajectories.conftest import complete_plan

pytestmark = pytest.mark.django_db


def test_every_form_of_the_page_has_its_own_view_and_unknown_names_are_404(client, km, active_trajectory):
    client.force_login(km)
    forms = client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).context["forms"]
    # The forms of a sanction's or default's next step sit on their row, not on the page.
    row_forms = {name for name, view in trajectory_views.PLAN_FORMS.items() if issubclass(view, trajectory_views.RowStepView)}
    assert row_forms == {
        "sanction_hearing",
        "sanction_decision",
        "sanction_objection",
        "sanction_objection_decision",
        "default_answer",
        "default_resolve",
    }
    assert set(forms) | row_forms == set(trajectory_views.PLAN_FORMS)
    assert client.post(reverse("trajectories:action", args=[active_trajectory.pk, "nonsense"]), {}).status_code == 404
    assert client.get(reverse("trajectories:action", args=[active_trajectory.pk, "goal"])).status_code == 405


def test_a_post_builds_only_its_own_form(client, km, person, monkeypatch):
    trajectory = services.trajectory_create(actor=km, participant=person)
    client.force_login(km)

    def page_form(*args, **kwargs):
        raise AssertionError("a saved form must not build the page's other forms")

    monkeypatch.setattr(trajectory_views.PlanFormView, "blank_form", classmethod(page_form))
    data = {
        "plan-version": trajectory.version,
        "plan-end_goal_kind": "education",
        "plan-end_goal": "Opleiding",
        "plan-planned_start": "2026-02-01",
        "plan-planned_end": "2026-12-31",
    }
    response = client.post(reverse("trajectories:action", args=[trajectory.pk, "plan"]), data)
    assert response.status_code == 302 and response["Location"].endswith("?done=plan#plan")
    assert trajectory.latest_plan().end_goal == "Opleiding"


def test_the_signing_method_follows_who_signs(client, km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
    client.force_login(km)
    url = reverse("trajectories:action", args=[trajectory.pk, "sign"])
    for party in ("consultant", "participant"):
        data = {"sign-party": party, "sign-signer_name": "Iemand", "sign-signed_on": "2026-01-05"}
        assert client.post(url, data).status_code == 302
    methods = dict(Signature.objects.filter(plan__trajectory=trajectory).values_list("party", "method"))
    assert methods == {"consultant": SignatureMethod.IN_PERSON, "participant": SignatureMethod.PAPER}


def test_downloading_the_plan_pdf_writes_nothing_but_the_audit_event(client, km, active_trajectory):
    client.force_login(km)
    events = AuditEvent.objects.count()
    response = client.get(reverse("trajectories:pdf", args=[active_trajectory.pk, 1]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not PlanHandover.objects.exists() and AuditEvent.objects.count() == events + 1


def test_the_comparison_shows_changed_fields_and_changed_rows(km, active_trajectory):
    new = services.plan_revise(actor=km, trajectory=active_trajectory, reason="Tempo verlaagd", expected_version=active_trajectory.version)
    new.planned_end = dt.date(2027, 6, 30)
    new.save(update_fields=["planned_end"])
    agreement = new.agreements.get(party="participant")
    agreement.deadline = dt.date(2026, 9, 1)
    agreement.save(update_fields=["deadline"])
    rows, lists = plan_version_comparison(active_trajectory.plan_versions.get(number=1), new)
    changed = {row["label"]: (row["before"], row["after"]) for row in rows if row["changed"]}
    assert list(changed.values()) == [("31-12-2026", "30-06-2027")]
    agreements = next(entry for entry in lists if entry["label"] == "Afspraken")
    assert agreements["removed"] == ["Deelnemer: Ik solliciteer twee keer per maand (01-06-2026)"]
    assert agreements["added"] == ["Deelnemer: Ik solliciteer twee keer per maand (01-09-2026)"]
    assert all(not entry["removed"] and not entry["added"] for entry in lists if entry["label"] != "Afspraken")


def test_the_plan_page_puts_each_agreement_on_its_own_side(client, km, active_trajectory):
    client.force_login(km)
    content = client.get(reverse("trajectories:detail", args=[active_trajectory.pk])).content.decode()
    participant_side, municipality_side = content.split('<div class="side">')[1:3]
    assert "Ik solliciteer twee keer per maand" in participant_side and "kinderopvang" not in participant_side
    assert "De gemeente regelt kinderopvang" in municipality_side


def test_removing_a_row_without_the_pages_version_is_refused_with_a_message_not_a_404(client, km, person, instrument):
    trajectory = complete_plan(km, services.trajectory_create(actor=km, participant=person), instrument)
    goal = trajectory.latest_plan().goals.get()
    client.force_login(km)
    response = client.post(reverse("trajectories:item_remove", args=[trajectory.pk, "goal", goal.pk]), {}, follow=True)
    assert response.redirect_chain[0][0].endswith("#goal") and response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert trajectory.latest_plan().goals.filter(pk=goal.pk).exists()
