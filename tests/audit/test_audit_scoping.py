"""Requirement: the audit log of one municipality is never readable by another's privacy
officer, also for events that touch no dossier (log-ins, searches, overviews, exports), and a
failed log-in never stores what was typed unless it is an existing user name (issue 2)."""

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.audit.services import audit_record
from maatpak.privacy.selectors import audit_event_list
from tests.factories import TEST_PASSWORD, MunicipalityFactory, ParticipantFactory, UserFactory


@pytest.fixture
def officer(municipality):
    return UserFactory(role="privacy_officer", municipalities=[municipality], username="fg-a")


@pytest.fixture
def other_officer(other_municipality):
    return UserFactory(role="privacy_officer", municipalities=[other_municipality], username="fg-b")


@pytest.mark.django_db
def test_event_without_object_gets_the_actors_municipality(consultant, municipality):
    event = audit_record(actor=consultant, action="search", purpose="caseload bsn search")
    assert event.municipality_id == municipality.id


@pytest.mark.django_db
def test_actor_of_several_municipalities_leaves_the_municipality_empty(municipality, other_municipality):
    shared = UserFactory(municipalities=[municipality, other_municipality])
    assert audit_record(actor=shared, action="search").municipality_id is None


@pytest.mark.django_db
def test_participant_account_gets_its_dossiers_municipality(municipality):
    account = UserFactory(role="participant", username="deelnemer")
    ParticipantFactory(municipality=municipality, user=account)
    assert audit_record(actor=account, action="read").municipality_id == municipality.id


@pytest.mark.django_db
def test_an_explicit_object_still_wins(consultant, other_municipality):
    foreign = ParticipantFactory(municipality=other_municipality)
    assert audit_record(actor=consultant, action="read", obj=foreign).municipality_id == other_municipality.id


@pytest.mark.django_db
def test_officer_never_sees_another_municipalitys_staff_events(client, municipality, other_municipality, officer, other_officer):
    """The cross-municipality case: B's consultant logs in, searches and exports; A's privacy
    officer sees none of it, B's officer sees all of it."""
    b_staff = UserFactory(municipalities=[other_municipality], username="km-gemeente-b")
    # Through the log-in form: django-axes needs the request that client.login() does not pass.
    assert client.post(reverse("accounts:login"), {"username": "km-gemeente-b", "password": TEST_PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    audit_record(actor=b_staff, action="search", purpose="caseload text search")
    audit_record(actor=b_staff, action="export", purpose="effectiveness CSV")
    b_events = set(AuditEvent.objects.filter(actor=b_staff).values_list("pk", flat=True))
    assert len(b_events) == 4
    assert not b_events & set(audit_event_list(user=officer).values_list("pk", flat=True))
    assert b_events <= set(audit_event_list(user=other_officer).values_list("pk", flat=True))
    client.force_login(officer)
    assert "km-gemeente-b" not in client.get(reverse("privacy:audit_log")).content.decode()


@pytest.mark.django_db
def test_legacy_events_without_municipality_follow_the_actor(municipality, other_municipality, officer, other_officer):
    """Events written before the municipality was derived have it empty; they must still go
    only to the actor's municipality."""
    a_staff = UserFactory(municipalities=[municipality])
    b_staff = UserFactory(municipalities=[other_municipality])
    a_event = AuditEvent.objects.create(actor=a_staff, actor_label=a_staff.username, action="search")
    b_event = AuditEvent.objects.create(actor=b_staff, actor_label=b_staff.username, action="search")
    visible_to_a = set(audit_event_list(user=officer))
    assert a_event in visible_to_a and b_event not in visible_to_a


@pytest.mark.django_db
def test_shared_staff_events_are_visible_to_each_of_their_municipalities(municipality, other_municipality, officer, other_officer):
    third = UserFactory(role="privacy_officer", municipalities=[MunicipalityFactory(code="GM0080", name="Leeuwarden")])
    shared = UserFactory(municipalities=[municipality, other_municipality])
    event = audit_record(actor=shared, action="search")
    assert event in audit_event_list(user=officer)
    assert event in audit_event_list(user=other_officer)
    assert event not in audit_event_list(user=third)


@pytest.mark.django_db
def test_anonymous_events_only_for_administrators(municipality, officer):
    event = audit_record(actor=None, action="login_failed", detail={"username": "unknown user"})
    assert event.municipality_id is None
    assert event not in audit_event_list(user=officer)
    admin = UserFactory(role="admin", municipalities=[municipality])
    assert event in audit_event_list(user=admin)


@pytest.mark.django_db
def test_failed_login_with_a_bsn_as_user_name_stores_nothing_identifying(client, municipality, officer):
    client.post(reverse("accounts:login"), {"username": "111222333", "password": "whatever-123"})
    event = AuditEvent.objects.get(action="login_failed")
    assert "111222333" not in str(event.detail) and "111222333" not in event.actor_label
    assert event.detail == {"username": "unknown user"}


@pytest.mark.django_db
def test_failed_login_with_an_unknown_name_stores_unknown_user(client):
    client.post(reverse("accounts:login"), {"username": "mijn.wachtwoord.is.geheim", "password": "x"})
    assert AuditEvent.objects.get(action="login_failed").detail == {"username": "unknown user"}


@pytest.mark.django_db
def test_failed_login_on_an_existing_account_is_kept_for_its_municipality(client, municipality, other_municipality, officer, other_officer):
    UserFactory(username="km", municipalities=[municipality])
    client.post(reverse("accounts:login"), {"username": "km", "password": "wrong"})
    event = AuditEvent.objects.get(action="login_failed")
    assert event.detail == {"username": "km"} and event.municipality_id == municipality.id
    assert event in audit_event_list(user=officer)
    assert event not in audit_event_list(user=other_officer)


@pytest.mark.django_db
def test_a_numeric_user_name_is_never_stored(client, municipality):
    UserFactory(username="123456782", municipalities=[municipality])
    client.post(reverse("accounts:login"), {"username": "123456782", "password": "wrong"})
    assert "123456782" not in str(AuditEvent.objects.get(action="login_failed").detail)
