"""Issue 13, item 4: placements are recorded, their hours changed, ended with a reason, and
followed up at 1, 3, 6, 12 and 24 months; due checks are work to do for the consultant."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.employers.models import FOLLOW_UP_MONTHS, PlacementEndReason, PlacementFollowUp, PlacementKind
from maatpak.employers.selectors import follow_ups_due
from maatpak.employers.services import follow_up_record, placement_change_hours, placement_end, placement_record
from tests.factories import EmployerFactory, ParticipantFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def months_ago(n, days=0):
    return TODAY - relativedelta(months=n) - dt.timedelta(days=days)


@pytest.fixture
def team(municipality):
    return TeamFactory(municipality=municipality)


@pytest.fixture
def km(municipality, team):
    return UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team, username="kim")


@pytest.fixture
def person(municipality, km):
    return ParticipantFactory(municipality=municipality, consultant=km)


@pytest.fixture
def employer(municipality):
    return EmployerFactory(municipality=municipality, name="Groen BV")


def record(km, person, employer, start, **extra):
    return placement_record(actor=km, participant=person, kind=PlacementKind.REGULAR, employer=employer, start_date=start, **extra)


def check(placement, months):
    return placement.follow_ups.get(months=months)


def test_recording_a_placement_schedules_its_follow_up_checks(km, person, employer):
    start = months_ago(2)
    placement = record(km, person, employer, start, hours_per_week=24)
    checks = list(placement.follow_ups.order_by("months"))
    assert [c.months for c in checks] == list(FOLLOW_UP_MONTHS)
    assert [c.due_on for c in checks] == [start + relativedelta(months=m) for m in FOLLOW_UP_MONTHS]
    assert all(c.checked_on is None for c in checks)


def test_a_placement_recorded_after_it_ended_needs_its_reason_and_gets_no_checks(km, person, employer):
    with pytest.raises(ValidationError) as exc:
        record(km, person, employer, months_ago(5), end_date=months_ago(1))
    assert "end_reason" in exc.value.message_dict
    placement = record(km, person, employer, months_ago(5), end_date=months_ago(1), end_reason=PlacementEndReason.CONTRACT_ENDED)
    assert placement.end_reason == PlacementEndReason.CONTRACT_ENDED and not placement.follow_ups.exists()


def test_change_hours_keeps_the_history_in_the_audit_log(km, person, employer):
    placement = record(km, person, employer, months_ago(2), hours_per_week=20)
    placement_change_hours(actor=km, placement=placement, hours_per_week=32)
    placement.refresh_from_db()
    assert placement.hours_per_week == 32
    event = AuditEvent.objects.filter(object_type__icontains="placement", purpose="placement hours").get()
    assert event.detail == {"hours_before": 20, "hours": 32}
    with pytest.raises(ValidationError):
        placement_change_hours(actor=km, placement=placement, hours_per_week=70)


def test_ending_a_placement_needs_a_reason_and_a_date_between_the_start_and_today(km, person, employer):
    placement = record(km, person, employer, months_ago(4))
    with pytest.raises(ValidationError) as exc:
        placement_end(actor=km, placement=placement, end_date=months_ago(5), end_reason=PlacementEndReason.RESIGNED)
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        placement_end(actor=km, placement=placement, end_date=TODAY + dt.timedelta(days=1), end_reason=PlacementEndReason.RESIGNED)
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        placement_end(actor=km, placement=placement, end_date=months_ago(1), end_reason="")
    assert "end_reason" in exc.value.message_dict
    placement_end(actor=km, placement=placement, end_date=months_ago(1), end_reason=PlacementEndReason.RESIGNED)
    placement.refresh_from_db()
    assert (placement.end_date, placement.end_reason) == (months_ago(1), PlacementEndReason.RESIGNED)
    # Checks not recorded are no longer work to do.
    assert not placement.follow_ups.filter(checked_on__isnull=True).exists()
    with pytest.raises(ValidationError):
        placement_end(actor=km, placement=placement, end_date=TODAY, end_reason=PlacementEndReason.RESIGNED)


def test_a_follow_up_check_records_work_hours_and_support(km, person, employer):
    placement = record(km, person, employer, months_ago(1, days=3), hours_per_week=20)
    first = check(placement, 1)
    follow_up_record(
        actor=km, follow_up=first, checked_on=TODAY, still_working=True, hours_per_week=28, support_needed=True, note="Gaat goed"
    )
    first.refresh_from_db()
    placement.refresh_from_db()
    assert (first.checked_on, first.still_working, first.hours_per_week, first.support_needed, first.checked_by) == (
        TODAY,
        True,
        28,
        True,
        km,
    )
    assert placement.hours_per_week == 28  # the hours found at the check are the placement's hours now
    with pytest.raises(ValidationError):
        follow_up_record(actor=km, follow_up=first, checked_on=TODAY, still_working=True)


def test_a_follow_up_check_refuses_what_cannot_be(km, person, employer):
    placement = record(km, person, employer, months_ago(1, days=3))
    first, later = check(placement, 1), check(placement, 3)
    with pytest.raises(ValidationError) as exc:
        follow_up_record(actor=km, follow_up=later, checked_on=TODAY, still_working=True)
    assert "checked_on" in exc.value.message_dict  # not due yet
    with pytest.raises(ValidationError) as exc:
        follow_up_record(actor=km, follow_up=first, checked_on=TODAY + dt.timedelta(days=1), still_working=True)
    assert "checked_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        follow_up_record(actor=km, follow_up=first, checked_on=TODAY, still_working=None)
    assert "still_working" in exc.value.message_dict


def test_a_check_that_finds_them_no_longer_working_ends_the_placement_with_the_reason_asked(km, person, employer):
    placement = record(km, person, employer, months_ago(3, days=5))
    third = check(placement, 3)
    with pytest.raises(ValidationError) as exc:
        follow_up_record(actor=km, follow_up=third, checked_on=TODAY, still_working=False, ended_on=months_ago(1))
    assert "end_reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        follow_up_record(actor=km, follow_up=third, checked_on=TODAY, still_working=False, end_reason=PlacementEndReason.DISMISSED)
    assert "ended_on" in exc.value.message_dict  # the last working day is asked
    follow_up_record(
        actor=km, follow_up=third, checked_on=TODAY, still_working=False, ended_on=months_ago(1), end_reason=PlacementEndReason.DISMISSED
    )
    placement.refresh_from_db()
    assert (placement.end_date, placement.end_reason) == (months_ago(1), PlacementEndReason.DISMISSED)
    assert set(placement.follow_ups.values_list("months", flat=True)) == {3}  # the unrecorded 1-month check and later ones are gone


def test_only_staff_with_the_dossier_may_record(km, person, employer, municipality, other_municipality):
    stranger = UserFactory(role=Role.CONSULTANT, municipalities=[other_municipality])
    colleague_elsewhere = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=TeamFactory(municipality=municipality))
    placement = record(km, person, employer, months_ago(2))
    for user in (stranger, colleague_elsewhere, person.user or UserFactory(role=Role.PARTICIPANT, municipalities=[municipality])):
        with pytest.raises(PermissionDenied):
            placement_change_hours(actor=user, placement=placement, hours_per_week=10)
        with pytest.raises(PermissionDenied):
            follow_up_record(actor=user, follow_up=check(placement, 1), checked_on=TODAY, still_working=True)


def test_follow_ups_due_are_the_consultants_unrecorded_due_checks(km, person, employer, municipality, team):
    placement = record(km, person, employer, months_ago(3, days=1))
    lead = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team)
    colleague = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team)
    assert [c.months for c in follow_ups_due(user=km, today=TODAY)] == [1, 3]
    assert [c.months for c in follow_ups_due(user=lead, today=TODAY)] == [1, 3]  # the team lead's team
    assert not follow_ups_due(user=colleague, today=TODAY).exists()  # a colleague's work list holds their own caseload
    follow_up_record(actor=km, follow_up=check(placement, 1), checked_on=TODAY, still_working=True)
    assert [c.months for c in follow_ups_due(user=km, today=TODAY)] == [3]
    placement_end(actor=km, placement=placement, end_date=TODAY, end_reason=PlacementEndReason.OTHER_JOB)
    assert not follow_ups_due(user=km, today=TODAY).exists()


def _post(client, person, name, data):
    return client.post(reverse("participants:dossier_section", args=[person.pk, name]), {f"{name}-{k}": v for k, v in data.items()})


def test_dossier_screens_record_end_and_follow_up_a_placement(client, km, person, employer):
    client.force_login(km)
    start = months_ago(1, days=2)
    response = _post(client, person, "placements", {"kind": "regular", "employer": employer.pk, "start_date": start, "hours_per_week": 24})
    assert response.status_code == 302
    placement = person.placements.get()
    page = client.get(reverse("participants:dossier", args=[person.pk])).content.decode()
    assert "Nazorgcontact opslaan" in page and "Nazorgcontact na 1 maand" in page

    first = check(placement, 1)
    refused = _post(client, person, "follow_up", {"follow_up": first.pk, "checked_on": TODAY, "still_working": ""})
    assert refused.status_code == 400 and "Zeg of de deelnemer daar nog werkt." in refused.content.decode()
    ok = _post(client, person, "follow_up", {"follow_up": first.pk, "checked_on": TODAY, "still_working": "yes", "support_needed": "no"})
    assert ok.status_code == 302
    first.refresh_from_db()
    assert first.still_working is True and first.support_needed is False

    assert _post(client, person, "placement_hours", {"placement": placement.pk, "hours_per_week": 30}).status_code == 302
    refused = _post(client, person, "placement_end", {"placement": placement.pk, "end_date": TODAY, "end_reason": ""})
    assert refused.status_code == 400 and "Kies waarom de plaatsing is gestopt." in refused.content.decode()
    ok = _post(client, person, "placement_end", {"placement": placement.pk, "end_date": TODAY, "end_reason": "resigned"})
    assert ok.status_code == 302
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.end_date, placement.end_reason) == (30, TODAY, "resigned")


def test_a_placement_of_someone_else_cannot_be_chosen(client, km, person, employer, municipality):
    other = ParticipantFactory(municipality=municipality, consultant=km)
    foreign = record(km, other, employer, months_ago(2))
    client.force_login(km)
    response = _post(client, person, "placement_end", {"placement": foreign.pk, "end_date": TODAY, "end_reason": "resigned"})
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.end_date is None
    assert PlacementFollowUp.objects.filter(placement=foreign, checked_on__isnull=True).exists()


def test_the_participant_sees_their_placement_on_the_portal_home(client, km, municipality, employer):
    user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality])
    person = ParticipantFactory(municipality=municipality, consultant=km, user=user)
    start = months_ago(6, days=1)
    placement = record(km, person, employer, start, hours_per_week=32)
    follow_up_record(actor=km, follow_up=check(placement, 6), checked_on=TODAY, still_working=True)
    client.force_login(user)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Mijn werk en school" in page and "bij Groen BV" in page and "loopt nog" in page and "32 uur per week" in page
