"""Reads of the audit log, for the privacy officer (functionaris gegevensbescherming)."""

import datetime as dt

from django.core.exceptions import PermissionDenied

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.core.tenancy import municipality_ids_for

AUDIT_READER_ROLES = frozenset({Role.PRIVACY_OFFICER, Role.ADMIN})


def audit_event_list(*, user, participant_id: int | None = None, actor: str = "", action: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    """Audit events of the user's municipalities (events without a municipality, such as
    failed log-ins, are shown too: they belong to no tenant). Only for audit readers."""
    if user.role not in AUDIT_READER_ROLES:
        raise PermissionDenied
    from django.db.models import Q

    queryset = AuditEvent.objects.filter(Q(municipality_id__in=municipality_ids_for(user)) | Q(municipality__isnull=True))
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
