"""The portal's one access rule: a participant only ever sees their own dossier.

Nothing in the portal takes a participant id from the URL; every query starts from the logged-in
user's own participant record, and objects named in URLs (reports, plan versions) are looked up
*within* that participant's rows, so changing an id gives a 404.
"""

from django.http import Http404

from maatpak.accounts.roles import Role


def portal_participant(user):
    """The participant record of the logged-in participant, or 404."""
    if not user.is_authenticated or user.role != Role.PARTICIPANT:
        raise Http404
    participant = getattr(user, "participant", None)
    if participant is None:
        raise Http404
    return participant
