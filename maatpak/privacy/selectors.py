"""Reads of the audit log, for the privacy officer (functionaris gegevensbescherming)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.core.tenancy import municipality_ids_for

AUDIT_READER_ROLES = frozenset({Role.PRIVACY_OFFICER, Role.ADMIN})


def audit_event_list(
    *,
    user,
    participant_id: int | None = None,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    """Audit events of the user's municipalities. Only for audit readers.

    Events without a municipality (an account working for several municipalities, or a failed
    log-in under an unknown name) are shown only when the actor works for one of the reader's
    municipalities; events with no actor at all only to administrators. Another
    municipality's staff events are never shown.
    """
    if user.role not in AUDIT_READER_ROLES:
        raise PermissionDenied
    own = municipality_ids_for(user)
    colleagues = get_user_model()._default_manager.filter(municipalities__in=own).values("pk")
    visible = Q(municipality_id__in=own) | Q(municipality__isnull=True, actor_id__in=colleagues)
    if user.role == Role.ADMIN or user.is_superuser:
        visible |= Q(municipality__isnull=True, actor__isnull=True)
    queryset = AuditEvent.objects.filter(visible)
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
