"""Writing to and purging the audit log. Every dossier read and write calls `audit_record`."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.core.tenancy import municipality_ids_for

# Access logs are personal data too (DOMAIN §10); kept this long, then purged.
AUDIT_RETENTION_DAYS = 365 * 7


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
    if obj is not None:
        municipality_id = municipality_id or getattr(obj, "municipality_id", None)
        if participant_id is None:
            participant_id = getattr(obj, "participant_id", None)
            if participant_id is None and type(obj).__name__ == "Participant":
                participant_id = obj.pk
    if municipality_id is None:
        municipality_id = actor_municipality_id(actor)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "anonymous"),
        actor_role=(getattr(actor, "role", "") if authenticated else ""),
        municipality_id=municipality_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        participant_id=participant_id,
        purpose=purpose,
        detail=detail or {},
    )


def audit_read(*, actor, obj, purpose: str = "") -> AuditEvent:
    return audit_record(actor=actor, action=AuditAction.READ, obj=obj, purpose=purpose)


def audit_purge_expired(*, now=None) -> int:
    """Delete events older than the retention period. Bypasses the append-only guard on
    purpose, with raw SQL, because retention is the only legitimate removal."""
    cutoff = (now or timezone.now()) - timedelta(days=AUDIT_RETENTION_DAYS)
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [cutoff])
        return cursor.rowcount
