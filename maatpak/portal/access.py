"""The portal's one access rule: a participant only ever sees their own dossier (PORTAL `use`,
relation SELF, in `portal.policies`).

Nothing in the portal takes a participant id from the URL; every query starts from the logged-in
user's own participant record, and objects named in URLs (reports, plan versions) are looked up
*within* that participant's rows, so changing an id gives a 404.
"""

from django.http import Http404

from maatpak.portal.policies import portal_participant_policy


def portal_participant(user):
    """The participant record of the logged-in participant, or 404."""
    participant = portal_participant_policy.instances_for(user, "use").first()
    if participant is None:
        raise Http404
    return participant
