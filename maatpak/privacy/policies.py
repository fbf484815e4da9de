"""The permission policies of the privacy screens: the audit log (logboek), for the privacy
officer and administrators, and the right of access (inzage, AVG art. 15).

Which roles read the log, and that administrators also see system events, is in
`accounts.policy.PERMISSIONS` (family AUDIT_LOG); who may see a participant's whole file for
the right of access is there too (family SUBJECT_ACCESS). This module says which rows a
relation reaches.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from maatpak.accounts.policy import AUDIT_LOG, SUBJECT_ACCESS, ObjectPolicy, Relation, permits
from maatpak.audit.models import AuditEvent
from maatpak.core.tenancy import municipality_ids_for
from maatpak.participants.models import Participant
from maatpak.participants.policies import participants_in_relation


class AuditLogPolicy(ObjectPolicy):
    """Events of the reader's municipalities. Events without a municipality (an account working
    for several municipalities, or a failed log-in under an unknown name) only when the actor
    works for one of the reader's municipalities; events with no actor at all (system events)
    only for roles with `view_system_events` and the operator (superuser). Another
    municipality's staff events are never shown."""

    family = AUDIT_LOG
    model = AuditEvent

    def base_queryset(self, user):
        # Not `scope_to_user`: events without a municipality are reached through their actor.
        return AuditEvent.objects.all()

    def for_relation(self, user, relation, queryset):
        if relation != Relation.MUNICIPALITY:
            return queryset.none()
        own = municipality_ids_for(user)
        colleagues = get_user_model()._default_manager.filter(municipalities__in=own).values("pk")
        visible = Q(municipality_id__in=own) | Q(municipality__isnull=True, actor_id__in=colleagues)
        if permits(user, AUDIT_LOG, "view_system_events") or user.is_superuser:
            visible |= Q(municipality__isnull=True, actor__isnull=True)
        return queryset.filter(visible)


class AuditParticipantPolicy(ObjectPolicy):
    """The participants an audit-log reader may name in the log's filter (by reference): those
    of their municipalities. The reader gets the participant's log events, never the dossier."""

    family = AUDIT_LOG
    model = Participant

    def for_relation(self, user, relation, queryset):
        return participants_in_relation(user, relation, queryset)


class SubjectAccessPolicy(ObjectPolicy):
    """The participants whose whole file a user may produce for the right of access: a
    participant their own (`view_own`, SELF), the privacy officer those of their
    municipalities (`handle_request`, MUNICIPALITY). Anyone else gets the same 404 as for a
    participant that does not exist."""

    family = SUBJECT_ACCESS
    model = Participant

    def for_relation(self, user, relation, queryset):
        return participants_in_relation(user, relation, queryset)


audit_log_policy = AuditLogPolicy()
audit_participant_policy = AuditParticipantPolicy()
subject_access_policy = SubjectAccessPolicy()
