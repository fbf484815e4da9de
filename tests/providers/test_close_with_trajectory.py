"""Audit of issue 4: when the consultant closes a trajectory, its open referrals end on the
closing date, so the provider's access period starts and access cannot last for ever. A
provider that had accepted still owes (and may still send) its end report."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.trajectories import referrals as services
from maatpak.trajectories.models import Referral
from maatpak.trajectories.reporting import owes_end_report_after_close
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def referrals(case, municipality):
    """The case's referral is active; add a proposed, a declined and an ended one on the same trajectory."""
    municipality.provider_access_days_after_close = 30
    municipality.save()
    t = case["referral"].trajectory
    Referral.objects.filter(pk=case["referral"].pk).update(
        status="active",
        responded_on=TODAY - dt.timedelta(days=39),
        intake_on=TODAY - dt.timedelta(days=35),
        started_on=TODAY - dt.timedelta(days=35),
    )

    def make(status, **kwargs):
        return Referral.objects.create(
            municipality=municipality,
            trajectory=t,
            provider=ProviderFactory(municipality=municipality),
            status=status,
            proposed_on=TODAY - dt.timedelta(days=31),
            **kwargs,
        )

    return {
        "active": Referral.objects.get(pk=case["referral"].pk),
        "proposed": make("proposed"),
        "accepted": make("accepted", responded_on=TODAY - dt.timedelta(days=31)),
        "declined": make("declined", responded_on=TODAY - dt.timedelta(days=28), decline_reason="Vol"),
        "ended": make("ended", started_on=TODAY - dt.timedelta(days=29), ended_on=TODAY - dt.timedelta(days=20)),
    }


def _close(case, closed_on):
    return services.referrals_close_with_trajectory(actor=case["consultant"], trajectory=case["referral"].trajectory, closed_on=closed_on)


def test_every_open_referral_ends_on_the_closing_date(case, referrals):
    closed_on = TODAY - dt.timedelta(days=2)
    ended = _close(case, closed_on)
    assert {r.pk for r in ended} == {referrals[k].pk for k in ("active", "proposed", "accepted")}
    for key in ("active", "proposed", "accepted"):
        r = Referral.objects.get(pk=referrals[key].pk)
        assert (r.status, r.ended_on, r.version) == ("ended", closed_on, referrals[key].version + 1)
        event = AuditEvent.objects.get(object_id=str(r.pk), action="update")
        assert event.detail["reason"] == "trajectory closed" and event.detail["previous_status"] == referrals[key].status
    # Declined and already-ended referrals are left as they were.
    assert Referral.objects.get(pk=referrals["declined"].pk).status == "declined"
    assert Referral.objects.get(pk=referrals["ended"].pk).ended_on == TODAY - dt.timedelta(days=20)


@pytest.mark.parametrize("days_ago, visible", [(10, True), (30, True), (31, False)])
def test_access_period_runs_from_the_closing_date(client, case, referrals, days_ago, visible):
    # Closing on the active referral's start date is the earliest allowed (35 days ago); use later dates.
    _close(case, TODAY - dt.timedelta(days=min(days_ago, 35)))
    client.force_login(case["coach"])
    pk = referrals["active"].pk
    expected = 200 if visible else 404
    assert client.get(reverse("providers:referral", args=[pk])).status_code == expected
    assert client.get(f"/api/v1/providers/referrals/{pk}/").status_code == expected


def test_without_closing_an_open_referral_stays_visible(client, case, referrals):
    # The reason for the service: an open referral has no end, so it is never cut off.
    client.force_login(case["coach"])
    assert client.get(reverse("providers:referral", args=[referrals["active"].pk])).status_code == 200


def test_only_the_participants_consultant_may_close(case, referrals):
    with pytest.raises(PermissionDenied):
        services.referrals_close_with_trajectory(actor=case["coach"], trajectory=case["referral"].trajectory, closed_on=TODAY)
    assert Referral.objects.get(pk=referrals["active"].pk).status == "active"


def test_closing_before_a_referral_began_is_refused_and_nothing_changes(case, referrals):
    with pytest.raises(ValidationError) as exc:
        _close(case, TODAY - dt.timedelta(days=36))  # the active referral started 35 days ago
    assert "submitted_on" in exc.value.message_dict and "Werkfit" in exc.value.message_dict["submitted_on"][0]
    assert set(Referral.objects.filter(pk__in=[r.pk for r in referrals.values()]).values_list("status", flat=True)) == {
        "active",
        "proposed",
        "accepted",
        "declined",
        "ended",
    }


def test_accepted_provider_still_sends_its_end_report_after_closing(client, case, referrals):
    closed_on = TODAY - dt.timedelta(days=5)
    _close(case, closed_on)
    client.force_login(case["coach"])
    pk = referrals["active"].pk
    page = client.get(reverse("providers:referral", args=[pk])).content.decode()
    assert 'id="end"' in page
    # The portal lists it as owed: due 14 days after the close, not yet late.
    r = Referral.objects.get(pk=pk)
    with pytest.raises(ValidationError):
        services.end_report_submit(
            actor=case["coach"],
            referral=r,
            conclusion="Klaar",
            outcome="none",
            recommendation="Zorg",
            ended_on=TODAY,
            expected_version=r.version,
        )
    report = services.end_report_submit(
        actor=case["coach"],
        referral=r,
        conclusion="Klaar",
        outcome="none",
        recommendation="Zorg",
        ended_on=None,
        expected_version=r.version,
    )
    r.refresh_from_db()
    assert (r.status, r.ended_on, report.due_on) == ("ended", closed_on, closed_on + dt.timedelta(days=14))
    assert not owes_end_report_after_close(r)


def test_never_accepted_referral_owes_no_end_report(client, case, referrals, municipality):
    from tests.factories import UserFactory

    _close(case, TODAY - dt.timedelta(days=20))
    r = Referral.objects.get(pk=referrals["proposed"].pk)
    assert r.was_never_accepted and not owes_end_report_after_close(r)
    staff = UserFactory(role="provider_staff", municipalities=[municipality], provider=r.provider)
    with pytest.raises(ValidationError) as exc:
        services.end_report_submit(
            actor=staff, referral=r, conclusion="x", outcome="none", recommendation="y", ended_on=None, expected_version=r.version
        )
    assert exc.value.code == "wrong_status"
    client.force_login(staff)
    assert client.get(reverse("providers:portal")).context["overdue"] == []
    # The accepted one, closed 20 days ago, has its end report 6 days overdue for its provider.
    accepted = Referral.objects.get(pk=referrals["accepted"].pk)
    client.force_login(UserFactory(role="provider_staff", municipalities=[municipality], provider=accepted.provider))
    rows = [(o["referral"].pk, o["days"]) for o in client.get(reverse("providers:portal")).context["overdue"]]
    assert rows == [(accepted.pk, 6)]
