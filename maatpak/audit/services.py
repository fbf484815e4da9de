"""Writing to and purging the audit log. Every dossier read and write calls `audit_record`."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from maatpak.audit import append_only
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.core.tenancy import municipality_ids_for

logger = logging.getLogger(__name__)

# Access logs are personal data too (DOMAIN §10); kept this long, then purged. An installation
# sets its own period with the setting MAATPAK_AUDIT_RETENTION_DAYS.
DEFAULT_AUDIT_RETENTION_DAYS = 365 * 7
# Who a purge event names: no account did it, the scheduled command did.
SYSTEM_ACTOR_LABEL = "system"


def actor_municipality_id(user) -> int | None:
    """The one municipality an account works for, or None when that is not unambiguous.

    Staff of a service organisation working for several municipalities get None: recording
    one of them would show the event to that municipality's privacy officer only, and
    guessing would be wrong. A participant's account belongs to their dossier's municipality.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    ids = municipality_ids_for(user)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        participant = getattr(user, "participant", None)
        if participant is not None:
            return participant.municipality_id
    return None


def audit_record(*, actor, action: str, obj=None, participant_id=None, municipality_id=None, purpose: str = "", detail=None) -> AuditEvent:
    """Append one event. `obj` is any model instance; its municipality and participant are
    derived when not given so callers cannot forget them. Without an object (log-ins,
    searches, overviews, exports) the municipality is the actor's own, when unambiguous, so
    the event is visible to that municipality's privacy officer and to no other."""
    event = _event(
        actor=actor,
        action=action,
        obj=obj,
        participant_id=participant_id,
        municipality_id=municipality_id,
        purpose=purpose,
        detail=detail,
    )
    event.save()
    return event


def _event(*, actor, action: str, obj=None, participant_id=None, municipality_id=None, purpose: str = "", detail=None) -> AuditEvent:
    """The unsaved event `audit_record` describes (shared with the bulk writers)."""
    if obj is not None:
        municipality_id = municipality_id or getattr(obj, "municipality_id", None)
        if participant_id is None:
            participant_id = getattr(obj, "participant_id", None)
            if participant_id is None and type(obj).__name__ == "Participant":
                participant_id = obj.pk
    if municipality_id is None:
        municipality_id = actor_municipality_id(actor)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "anonymous"),
        actor_role=(getattr(actor, "role", "") if authenticated else ""),
        municipality_id=municipality_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        participant_id=participant_id,
        purpose=purpose,
        detail={**getattr(actor, "audit_detail", {}), **(detail or {})},  # audit_detail: e.g. the API key used (api.authentication)
    )


def audit_read(*, actor, obj, purpose: str = "") -> AuditEvent:
    return audit_record(actor=actor, action=AuditAction.READ, obj=obj, purpose=purpose)


def audit_read_participants(*, actor, participants, purpose: str, detail=None) -> list[AuditEvent]:
    """One READ event per participant a list shows (caseload, matching, a provider's referrals),
    each linked to that participant so "who saw my data?" is complete; one INSERT for the page.
    `participants` are Participant instances (their pk and municipality_id are used)."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    shown = {p.pk: p for p in participants}
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor if authenticated else None,
            actor_label=(actor.get_username() if authenticated else "anonymous"),
            actor_role=(getattr(actor, "role", "") if authenticated else ""),
            municipality_id=p.municipality_id,
            action=AuditAction.READ,
            object_type="Participant",
            object_id=str(p.pk),
            participant_id=p.pk,
            purpose=purpose,
            detail={**getattr(actor, "audit_detail", {}), **(detail or {})},
        )
        for p in shown.values()
    )


def audit_read_many(*, actor, rows, purpose: str = "") -> list[AuditEvent]:
    """One read event per `(obj, participant_id)` pair, written in one statement: a list page
    that shows several participants is one event per participant ("who saw my data?")."""
    events = [
        _event(actor=actor, action=AuditAction.READ, obj=obj, participant_id=participant_id, purpose=purpose)
        for obj, participant_id in rows
    ]
    return AuditEvent.objects.bulk_create(events) if events else []


def audit_retention_days() -> int:
    """The audit log's retention in days: MAATPAK_AUDIT_RETENTION_DAYS, 7 years by default."""
    days = getattr(settings, "MAATPAK_AUDIT_RETENTION_DAYS", DEFAULT_AUDIT_RETENTION_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ImproperlyConfigured(f"MAATPAK_AUDIT_RETENTION_DAYS must be a whole number of days of at least 1, not {days!r}.")
    return days


@transaction.atomic
def audit_purge_expired(*, now=None) -> AuditEvent:
    """Delete events older than the retention period and record that it happened; returns the
    purge's own event (`detail`: removed, cutoff, retention_days).

    The one documented way to remove audit events: the database refuses any other DELETE
    (`audit.append_only`); this opens its purge window for this transaction, for events older
    than the cutoff only. The purge itself becomes a system event ("purge", with the count and
    the cutoff) and a log line, so a gap in the log is always explained.
    """
    days = audit_retention_days()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    table = AuditEvent._meta.db_table
    with append_only.purge_window(cutoff), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [cutoff])
        removed = cursor.rowcount
    purge = AuditEvent.objects.create(
        actor=None,
        actor_label=SYSTEM_ACTOR_LABEL,
        action=AuditAction.PURGE,
        object_type=AuditEvent.__name__,
        detail={"removed": removed, "cutoff": cutoff.isoformat(), "retention_days": days},
    )
    logger.info("Audit purge: removed %d audit events from before %s (retention %d days).", removed, cutoff.isoformat(), days)
    return purge
