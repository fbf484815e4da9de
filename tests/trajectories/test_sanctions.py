"""Issue 13 item 4: a sanction's life cycle (maatregel): proposed → hearing held → imposed or
withdrawn; an objection and its decision. One service per step, the order declared once,
Dutch refusals for the wrong order and for impossible dates; on the plan page and in the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.trajectories import services
from maatpak.trajectories.models import ObjectionDecision, Sanction, SanctionStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def proposed(km, active_trajectory):
    agreement = active_trajectory.latest_plan().agreements.get(party="participant")
    return services.sanction_record(
        actor=km,
        trajectory=active_trajectory,
        agreement=agreement,
        reason="Drie keer niet verschenen",
        initiated_by="consultant",
        percentage=20,
        months=1,
        hearing_on=TODAY,
    )


def _heard(km, sanction):
    return services.sanction_hearing_record(actor=km, sanction=sanction, held_on=TODAY, notes="Ze was ziek, maar meldde zich niet af.")


def test_the_whole_life_imposed_objected_and_upheld_revokes_it(km, proposed):
    assert services.sanction_next_steps(proposed) == ["hearing"]
    heard = _heard(km, proposed)
    assert heard.status == SanctionStatus.HEARD and heard.hearing_notes.startswith("Ze was ziek")
    assert services.sanction_next_steps(heard) == ["impose", "withdraw"]
    imposed = services.sanction_impose(actor=km, sanction=heard, decided_on=TODAY, reason="Geen geldige reden")
    assert imposed.status == SanctionStatus.IMPOSED and imposed.decided_on == TODAY
    assert services.sanction_next_steps(imposed) == ["objection"]
    objected = services.sanction_objection_file(actor=km, sanction=imposed, filed_on=TODAY)
    assert objected.status == SanctionStatus.IMPOSED and services.sanction_next_steps(objected) == ["objection_decision"]
    revoked = services.sanction_objection_decide(
        actor=km, sanction=objected, decision=ObjectionDecision.UPHELD, decided_on=TODAY, outcome="Ziekte was aangetoond."
    )
    assert revoked.status == SanctionStatus.REVOKED and revoked.objection_decided_on == TODAY
    assert services.sanction_next_steps(revoked) == []
    steps = [e.detail["step"] for e in AuditEvent.objects.filter(object_type="Sanction", object_id=str(proposed.pk), action="update")]
    assert sorted(steps) == sorted(["hearing", "impose", "objection", "objection_decision"])


def test_objection_rejected_lets_the_sanction_stand_and_withdrawn_ends_it(km, proposed, active_trajectory):
    imposed = services.sanction_impose(actor=km, sanction=_heard(km, proposed), decided_on=TODAY, reason="Geen reden")
    services.sanction_objection_file(actor=km, sanction=imposed, filed_on=TODAY)
    stands = services.sanction_objection_decide(
        actor=km, sanction=imposed, decision=ObjectionDecision.REJECTED, decided_on=TODAY, outcome="Geen nieuwe feiten."
    )
    assert stands.status == SanctionStatus.IMPOSED and stands.objection_decision == ObjectionDecision.REJECTED
    other = services.sanction_record(
        actor=km,
        trajectory=active_trajectory,
        agreement=proposed.agreement,
        reason="Te laat",
        initiated_by="consultant",
        percentage=10,
        months=1,
        hearing_on=TODAY,
    )
    withdrawn = services.sanction_withdraw(actor=km, sanction=_heard(km, other), decided_on=TODAY, reason="Ze had een goede reden.")
    assert withdrawn.status == SanctionStatus.WITHDRAWN and services.sanction_next_steps(withdrawn) == []


def test_wrong_order_is_refused_in_dutch(km, proposed):
    with pytest.raises(ValidationError) as exc:
        services.sanction_impose(actor=km, sanction=proposed, decided_on=TODAY, reason="Te snel")
    assert exc.value.code == "wrong_order" and "Voorgesteld" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.sanction_objection_file(actor=km, sanction=proposed, filed_on=TODAY)
    heard = _heard(km, proposed)
    with pytest.raises(ValidationError):  # heard once
        _heard(km, heard)
    imposed = services.sanction_impose(actor=km, sanction=heard, decided_on=TODAY, reason="Geen reden")
    with pytest.raises(ValidationError):  # no decision on an objection that was never filed
        services.sanction_objection_decide(actor=km, sanction=imposed, decision=ObjectionDecision.UPHELD, decided_on=TODAY, outcome="x")
    services.sanction_objection_file(actor=km, sanction=imposed, filed_on=TODAY)
    with pytest.raises(ValidationError):  # one objection
        services.sanction_objection_file(actor=km, sanction=imposed, filed_on=TODAY)


def test_dates_before_the_step_they_follow_or_in_the_future_are_refused(km, proposed):
    with pytest.raises(ValidationError) as exc:
        services.sanction_hearing_record(actor=km, sanction=proposed, held_on=TODAY - dt.timedelta(days=1), notes="Gehoord")
    assert "voorstel" in exc.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.sanction_hearing_record(actor=km, sanction=proposed, held_on=TODAY + dt.timedelta(days=1), notes="Gehoord")
    assert "toekomst" in exc.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.sanction_hearing_record(actor=km, sanction=proposed, held_on=TODAY, notes=" ")
    assert "notes" in exc.value.message_dict
    heard = _heard(km, proposed)
    Sanction.objects.filter(pk=heard.pk).update(hearing_held_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.sanction_impose(actor=km, sanction=heard, decided_on=TODAY - dt.timedelta(days=2), reason="Geen reden")
    assert "hoorzitting" in exc.value.message_dict["decided_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.sanction_impose(actor=km, sanction=heard, decided_on=TODAY, reason="")
    assert "reason" in exc.value.message_dict
    assert Sanction.objects.get(pk=heard.pk).status == SanctionStatus.HEARD


def test_only_staff_of_the_dossier_decide(km, person, proposed):
    with pytest.raises(PermissionDenied):
        services.sanction_hearing_record(actor=person.user, sanction=proposed, held_on=TODAY, notes="Ik was ziek")


def test_plan_page_shows_each_sanction_with_its_next_step_form(client, km, proposed, active_trajectory):
    client.force_login(km)
    page = client.get(reverse("trajectories:detail", args=[active_trajectory.pk]))
    sanction = next(s for s in page.context["sanctions"] if s.pk == proposed.pk)
    assert [step["url_name"] for step in sanction.steps] == ["sanction_hearing"]
    assert "Hoorzitting vastleggen" in page.content.decode()
    url = reverse("trajectories:action", args=[active_trajectory.pk, "sanction_hearing"])
    refused = client.post(url, {"sanction_hearing-sanction": proposed.pk, "sanction_hearing-held_on": TODAY.isoformat()})
    assert refused.status_code == 400 and "zei" in refused.content.decode()
    response = client.post(
        url, {"sanction_hearing-sanction": proposed.pk, "sanction_hearing-held_on": TODAY.isoformat(), "sanction_hearing-notes": "Gehoord."}
    )
    assert response.status_code == 302 and Sanction.objects.get(pk=proposed.pk).status == SanctionStatus.HEARD
    decision = reverse("trajectories:action", args=[active_trajectory.pk, "sanction_decision"])
    response = client.post(
        decision,
        {
            "sanction_decision-sanction": proposed.pk,
            "sanction_decision-decision": SanctionStatus.IMPOSED,
            "sanction_decision-decided_on": TODAY.isoformat(),
            "sanction_decision-reason": "Geen geldige reden.",
        },
    )
    assert response.status_code == 302 and Sanction.objects.get(pk=proposed.pk).status == SanctionStatus.IMPOSED


def test_a_form_naming_another_trajectorys_sanction_is_refused(client, km, municipality, proposed, active_trajectory):
    from tests.factories import SanctionFactory

    stranger = SanctionFactory(municipality=municipality)
    client.force_login(km)
    url = reverse("trajectories:action", args=[active_trajectory.pk, "sanction_hearing"])
    response = client.post(
        url, {"sanction_hearing-sanction": stranger.pk, "sanction_hearing-held_on": TODAY.isoformat(), "sanction_hearing-notes": "x"}
    )
    assert response.status_code == 400 and Sanction.objects.get(pk=stranger.pk).status == SanctionStatus.PROPOSED


def test_the_steps_through_the_api(client, km, proposed, active_trajectory):
    client.force_login(km)
    base = f"/api/v1/trajectories/{active_trajectory.pk}/sanctions/{proposed.pk}"
    early = client.post(
        f"{base}/decision/", {"decision": "imposed", "decided_on": TODAY.isoformat(), "reason": "x"}, content_type="application/json"
    )
    assert early.status_code == 400
    response = client.post(f"{base}/hearing/", {"held_on": TODAY.isoformat(), "notes": "Gehoord"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "heard"
    response = client.post(
        f"{base}/decision/",
        {"decision": "imposed", "decided_on": TODAY.isoformat(), "reason": "Geen reden"},
        content_type="application/json",
    )
    assert response.json()["status"] == "imposed"
    assert client.post(f"{base}/objection/", {"filed_on": TODAY.isoformat()}, content_type="application/json").status_code == 200
    response = client.post(
        f"{base}/objection-decision/",
        {"decision": "upheld", "decided_on": TODAY.isoformat(), "outcome": "Terecht"},
        content_type="application/json",
    )
    assert response.json()["status"] == "revoked"
    assert (
        client.post(
            f"/api/v1/trajectories/{active_trajectory.pk}/sanctions/999999/hearing/", {}, content_type="application/json"
        ).status_code
        == 404
    )
