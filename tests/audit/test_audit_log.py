"""Requirement: every dossier access is logged in an append-only audit log that only the
privacy officer (and administrator) can read; the log has its own retention (DOMAIN §10).
The database's own refusal and the retention purge are in test_append_only.py."""

import pytest
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.audit.services import audit_read, audit_record
from tests.factories import ParticipantFactory, UserFactory


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted(consultant):
    event = audit_record(actor=consultant, action="read")
    event.action = "update"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "read"


@pytest.mark.django_db
def test_read_of_a_participant_records_who_what_and_which_dossier(consultant, municipality):
    participant = ParticipantFactory(municipality=municipality)
    event = audit_read(actor=consultant, obj=participant, purpose="dossier")
    assert (event.actor, event.actor_role, event.municipality_id, event.participant_id, event.object_type) == (
        consultant,
        "consultant",
        municipality.id,
        participant.id,
        "Participant",
    )
    assert participant.bsn not in str(event.detail)


@pytest.mark.django_db
def test_privacy_officer_reads_the_log_and_that_read_is_logged(client, municipality):
    officer = UserFactory(role="privacy_officer", municipalities=[municipality])
    participant = ParticipantFactory(municipality=municipality, reference="REF-1")
    audit_read(actor=UserFactory(municipalities=[municipality], username="kim"), obj=participant)
    client.force_login(officer)
    response = client.get(reverse("privacy:audit_log"), {"participant_reference": "REF-1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "kim" in content and "Logboek" in content
    assert AuditEvent.objects.filter(actor=officer, purpose="audit log review", participant_id=participant.id).exists()


@pytest.mark.django_db
def test_unknown_reference_shows_nothing_rather_than_everything(client, municipality):
    officer = UserFactory(role="privacy_officer", municipalities=[municipality])
    audit_read(actor=UserFactory(municipalities=[municipality], username="kim"), obj=ParticipantFactory(municipality=municipality))
    client.force_login(officer)
    response = client.get(reverse("privacy:audit_log"), {"participant_reference": "NOPE"})
    assert "kim" not in response.content.decode()


@pytest.mark.django_db
def test_other_municipalitys_events_are_not_shown(client, municipality, other_municipality):
    officer = UserFactory(role="privacy_officer", municipalities=[municipality])
    audit_read(
        actor=UserFactory(municipalities=[other_municipality], username="elsewhere"),
        obj=ParticipantFactory(municipality=other_municipality),
    )
    client.force_login(officer)
    assert "elsewhere" not in client.get(reverse("privacy:audit_log")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["consultant", "team_lead", "analyst", "council_member"])
def test_other_roles_may_not_read_the_log(client, municipality, role):
    client.force_login(UserFactory(role=role, municipalities=[municipality]))
    assert client.get(reverse("privacy:audit_log")).status_code == 403


@pytest.mark.django_db
def test_inverted_date_range_gives_a_dutch_error(client, municipality):
    client.force_login(UserFactory(role="privacy_officer", municipalities=[municipality]))
    response = client.get(reverse("privacy:audit_log"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert "begindatum ligt na de einddatum" in response.content.decode()
