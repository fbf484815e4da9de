"""Requirement: the audit log cannot be changed, also not past the application (issue 14, item 2).

The database refuses UPDATE and DELETE of audit events (raw SQL, `_base_manager`, bulk update),
and TRUNCATE on PostgreSQL; the retention purge is the one way to remove events, only those past
retention, and it leaves a purge event behind. Accounts that acted cannot be deleted, so their
events keep naming them. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import datetime as dt
import logging
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from maatpak.audit import append_only
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.audit.services import DEFAULT_AUDIT_RETENTION_DAYS, audit_purge_expired, audit_record, audit_retention_days
from maatpak.privacy.selectors import audit_event_list
from tests.factories import ParticipantFactory, UserFactory

TABLE = AuditEvent._meta.db_table


def _event_at(moment, actor, **kwargs):
    """An event written at `moment` (the column is set on insert; only time can make it old)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_record(actor=actor, action="read", **kwargs)


def _refused(statement, params=()):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_the_triggers_are_on_the_migrated_table():
    assert append_only.expected_triggers() <= append_only.installed_triggers()


@pytest.mark.django_db
def test_raw_sql_cannot_update_or_delete_an_event(consultant):
    event = audit_record(actor=consultant, action="read", purpose="dossier")
    _refused(f"UPDATE {TABLE} SET purpose = 'nothing to see' WHERE id = %s", [event.pk])
    _refused(f"UPDATE {TABLE} SET actor_id = NULL WHERE id = %s", [event.pk])
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    _refused(f"DELETE FROM {TABLE}")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.purpose, stored.actor_id) == ("dossier", consultant.pk)


@pytest.mark.django_db
def test_the_orm_past_the_python_guard_is_refused_by_the_database(consultant):
    event = audit_record(actor=consultant, action="read")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(action="delete")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "read"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_is_refused_on_postgresql(consultant):
    audit_record(actor=consultant, action="read")
    with connection.cursor() as cursor:
        # Run the deferred foreign-key checks of the insert now: PostgreSQL refuses TRUNCATE
        # of a table with pending checks for its own reason, which would hide the trigger's.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _refused(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
def test_purge_removes_only_events_past_retention_and_records_itself(consultant, caplog):
    now = timezone.now()
    old = _event_at(now - dt.timedelta(days=DEFAULT_AUDIT_RETENTION_DAYS + 1), consultant)
    recent = _event_at(now - dt.timedelta(days=DEFAULT_AUDIT_RETENTION_DAYS - 1), consultant)
    with caplog.at_level(logging.INFO, logger="maatpak.audit.services"):
        purge = audit_purge_expired(now=now)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert (purge.action, purge.actor_id, purge.actor_label) == (AuditAction.PURGE, None, "system")
    assert purge.detail["removed"] == 1
    assert purge.detail["cutoff"] == (now - dt.timedelta(days=DEFAULT_AUDIT_RETENTION_DAYS)).isoformat()
    assert "removed 1 audit events" in caplog.text


@pytest.mark.django_db
def test_the_purge_window_closes_with_the_purge(consultant):
    now = timezone.now()
    old = _event_at(now - dt.timedelta(days=DEFAULT_AUDIT_RETENTION_DAYS + 5), consultant)
    audit_purge_expired(now=now - dt.timedelta(days=10))  # cutoff before `old`: nothing to remove
    assert AuditEvent.objects.filter(pk=old.pk).exists()
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [old.pk])


@pytest.mark.django_db
def test_an_open_purge_window_still_protects_events_inside_retention(consultant):
    now = timezone.now()
    recent = _event_at(now - dt.timedelta(days=1), consultant)
    cutoff = now - dt.timedelta(days=30)
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        append_only.purge_window(cutoff),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [recent.pk])
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


def test_the_purge_window_needs_a_transaction():
    with pytest.raises(RuntimeError), append_only.purge_window(timezone.now()):
        pass  # pragma: no cover - never reached


@pytest.mark.django_db
def test_retention_follows_the_setting(settings, consultant):
    settings.MAATPAK_AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    month_old = _event_at(now - dt.timedelta(days=31), consultant)
    week_old = _event_at(now - dt.timedelta(days=7), consultant)
    assert audit_purge_expired(now=now).detail == {
        "removed": 1,
        "cutoff": (now - dt.timedelta(days=30)).isoformat(),
        "retention_days": 30,
    }
    assert set(AuditEvent.objects.filter(pk__in=[month_old.pk, week_old.pk]).values_list("pk", flat=True)) == {week_old.pk}


@pytest.mark.parametrize("value", [0, -1, "365", 2.5, True])
def test_a_nonsensical_retention_is_refused(settings, value):
    settings.MAATPAK_AUDIT_RETENTION_DAYS = value
    with pytest.raises(ImproperlyConfigured, match="MAATPAK_AUDIT_RETENTION_DAYS"):
        audit_retention_days()


@pytest.mark.django_db
def test_purge_command_reports_what_it_removed(consultant, capsys):
    _event_at(timezone.now() - dt.timedelta(days=DEFAULT_AUDIT_RETENTION_DAYS + 1), consultant)
    call_command("audit_purge")
    out = capsys.readouterr().out
    assert out.startswith("Removed 1 audit events from before ")
    assert AuditEvent.objects.filter(action=AuditAction.PURGE, detail__removed=1).exists()


@pytest.mark.django_db
def test_flush_outside_development_and_tests_is_refused(settings, consultant):
    settings.DEBUG = False
    settings.MAATPAK_TESTING = False
    audit_record(actor=consultant, action="read")
    with pytest.raises(CommandError, match="append-only audit log"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_account_that_acted_cannot_be_deleted_and_keeps_its_events(municipality):
    officer = UserFactory(role="privacy_officer", municipalities=[municipality])
    kim = UserFactory(municipalities=[municipality], username="kim")
    participant = ParticipantFactory(municipality=municipality)
    event = audit_record(actor=kim, action="read", obj=participant)
    with pytest.raises(ProtectedError), transaction.atomic():
        kim.delete()
    kim.is_active = False
    kim.save()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.actor_label) == (kim.pk, "kim")
    # The privacy officer's filter by person still finds the deactivated account's events.
    assert list(audit_event_list(user=officer, actor="kim")) == [stored]
    assert stored in audit_event_list(user=officer, participant_id=participant.pk)


@pytest.mark.django_db
def test_an_account_that_never_acted_can_still_be_deleted(municipality):
    mistake = UserFactory(municipalities=[municipality], username="typo")
    mistake.delete()
    assert not type(mistake).objects.filter(username="typo").exists()


@pytest.mark.django_db(transaction=True)
def test_flush_in_tests_empties_the_log_and_closes_the_door_again(municipality):
    """Django's test runner flushes the database between browser tests; that must keep working."""
    audit_record(actor=UserFactory(municipalities=[municipality]), action="read")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    event = audit_record(actor=None, action="login_failed")
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
