"""The permission policies of the participant's own portal data (messages, requests for another
consultant), on `accounts.policy.ObjectPolicy`.

Which relation each role has is in `accounts.policy.PERMISSIONS` (family PORTAL); these
policies only say which rows a relation reaches:

- SELF: the participant's own record and rows (the portal's one rule: a participant only ever
  sees their own);
- OWN_CASELOAD, TEAM: through the participant, exactly as the dossier (`participants_in_relation`),
  so whoever may act on the dossier, a colleague covering a caseload included, also answers
  the participant's messages;
- TEAM on a request for another consultant: by the consultant *at the time of the request*
  (see `ChangeRequestPolicy`).
"""

from django.db.models import Q

from maatpak.accounts.policy import PORTAL, ObjectPolicy, Relation
from maatpak.participants.models import Participant
from maatpak.participants.policies import participants_in_relation
from maatpak.portal.models import ConsultantChangeRequest, Message


class PortalParticipantPolicy(ObjectPolicy):
    """The participant as the subject of portal actions: `use` (their own portal) and
    `answer_message` (write to them)."""

    family = PORTAL
    model = Participant

    def for_relation(self, user, relation, queryset):
        return participants_in_relation(user, relation, queryset)


class MessagePolicy(ObjectPolicy):
    """Messages follow their participant: the inbox (`read_inbox`) and answering (`answer_message`)."""

    family = PORTAL
    model = Message

    def for_relation(self, user, relation, queryset):
        return queryset.filter(participant__in=participants_in_relation(user, relation, Participant.objects.all()))


class ChangeRequestPolicy(ObjectPolicy):
    """Requests for another consultant, by the consultant *at the time of the request* (not the
    participant's current one). A team lead decides (TEAM) those whose consultant then was in
    their team, and those of participants who had no consultant:
    nobody's team, so every team lead of that municipality sees them rather than nobody."""

    family = PORTAL
    model = ConsultantChangeRequest

    def for_relation(self, user, relation, queryset):
        if relation == Relation.OWN_CASELOAD:
            return queryset.filter(consultant=user)
        if relation == Relation.TEAM:
            return queryset.filter(Q(consultant__team_id=user.team_id) | Q(consultant__isnull=True)) if user.team_id else queryset.none()
        if relation == Relation.SELF:
            return queryset.filter(participant__user=user)
        if relation == Relation.MUNICIPALITY:
            return queryset
        return queryset.none()


portal_participant_policy = PortalParticipantPolicy()
message_policy = MessagePolicy()
change_request_policy = ChangeRequestPolicy()
