"""Reads of the audit log, for the privacy officer (functionaris gegevensbescherming). Who
reads which events is `privacy.policies.audit_log_policy`."""

import datetime as dt

from maatpak.accounts.policy import AUDIT_LOG, require
from maatpak.participants.policies import BREAK_GLASS
from maatpak.privacy.policies import audit_log_policy, audit_participant_policy


def audit_event_list(
    *,
    user,
    participant_id: int | None = None,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    """Audit events the user may read (see `AuditLogPolicy`), filtered; 403 for other roles."""
    require(user, AUDIT_LOG, "view")
    queryset = audit_log_policy.instances_for(user, "view")
    if participant_id is not None:
        queryset = queryset.filter(participant_id=participant_id)
    if actor:
        queryset = queryset.filter(actor_label__icontains=actor)
    if action:
        queryset = queryset.filter(action=action)
    if date_from:
        queryset = queryset.filter(at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(at__date__lte=date_to)
    return queryset.order_by("-at", "-id")


def audit_participant_list(*, user):
    """Participants an audit-log reader may look up by reference in the log's filter."""
    return audit_participant_policy.instances_for(user, "view")


def break_glass_event_list(*, user, actor: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    """The purposes staff gave to open a dossier outside their own caseload (break the glass:
    `participants.policies.BREAK_GLASS`), as the audit log scopes and filters them."""
    events = audit_event_list(user=user, actor=actor, date_from=date_from, date_to=date_to)
    return events.filter(**{f"detail__{BREAK_GLASS}": True})


def participant_references(*, user, participant_ids) -> dict[int, str]:
    """Participant id -> reference (klantnummer), for the participants an audit-log reader may
    name; others stay unnamed (their id only)."""
    rows = audit_participant_list(user=user).filter(pk__in=set(participant_ids))
    return dict(rows.values_list("pk", "reference"))
