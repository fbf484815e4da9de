"""The permission policy of the participant's dossier (dossier van de deelnemer).

Which relation each role has is in `accounts.policy.PERMISSIONS`; this module only says which
participants a relation reaches. Everything outside it gets the same 404 as a dossier that does
not exist, so nobody learns that it exists.
"""

from django.db.models import Q

from maatpak.accounts.policy import DOSSIER, ObjectPolicy, Relation
from maatpak.participants.models import Participant


def participants_in_relation(user, relation: Relation, queryset):
    """The participants of `queryset` that `relation` reaches for `user`. Shared by every
    policy whose objects belong to a participant (trajectories, referrals, portal data)."""
    if relation == Relation.OWN_CASELOAD:
        return queryset.filter(consultant=user)
    if relation == Relation.TEAM:
        # A consultant covers for team colleagues (waarneming); without a team, only their own.
        own = Q(consultant=user)
        return queryset.filter(own | Q(consultant__team_id=user.team_id)) if user.team_id else queryset.filter(own)
    if relation == Relation.SELF:
        return queryset.filter(user=user)
    if relation == Relation.MUNICIPALITY:
        return queryset
    return queryset.none()


class DossierPolicy(ObjectPolicy):
    family = DOSSIER
    model = Participant

    def for_relation(self, user, relation, queryset):
        return participants_in_relation(user, relation, queryset)


dossier_policy = DossierPolicy()
