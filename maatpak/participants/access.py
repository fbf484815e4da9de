"""Who may open which participant's dossier (one place for the rule).

Least privilege (doelbinding): a consultant opens the dossiers of their own caseload and of
their team colleagues' caseloads (for cover, waarneming — every read is audit-logged); a team
lead opens their team's dossiers. Every other role gets the same 404 as for a dossier that does
not exist, so nobody learns that it exists.
"""

from django.db.models import Q
from django.http import Http404

from maatpak.accounts.roles import Role
from maatpak.core.tenancy import scope_to_user
from maatpak.participants.models import Participant


def participant_access_queryset(user):
    """Participants whose dossier `user` may open."""
    base = scope_to_user(Participant.objects.all(), user)
    if user.role == Role.CONSULTANT:
        if user.team_id:
            return base.filter(Q(consultant=user) | Q(consultant__team_id=user.team_id))
        return base.filter(consultant=user)
    if user.role == Role.TEAM_LEAD and user.team_id:
        return base.filter(consultant__team_id=user.team_id)
    return base.none()


def participant_get_for_dossier(*, user, pk) -> Participant:
    try:
        return participant_access_queryset(user).get(pk=pk)
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
