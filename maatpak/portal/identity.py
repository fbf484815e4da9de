"""The seam where a municipality plugs in DigiD (through an OIDC or SAML broker).

The broker authenticates the person and hands over a verified BSN; everything after that is
Maatpak's: find the participant in that municipality by the keyed BSN hash, and log in their
portal account. The demo and tests use password accounts; docs/digid.md describes the wiring.
"""

from django.contrib.auth import login
from django.core.exceptions import PermissionDenied

from maatpak.accounts.models import Municipality
from maatpak.accounts.policy import PORTAL, permits
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.participants.models import Participant


def participant_user_for_verified_bsn(*, municipality_code: str, bsn: str):
    """The portal account of the participant with this (already verified) BSN, or
    PermissionDenied. Raises ValidationError for a BSN that fails the 11-test."""
    bsn_hash = Participant.hash_for_lookup(bsn)
    participant = (
        Participant.objects.select_related("user")
        .filter(municipality__in=Municipality.objects.filter(code=municipality_code), bsn_hash=bsn_hash)
        .first()
    )
    if participant is None or participant.user is None or not permits(participant.user, PORTAL, "use"):
        raise PermissionDenied
    return participant.user


def login_verified_participant(request, *, municipality_code: str, bsn: str, backend: str = "django.contrib.auth.backends.ModelBackend"):
    """Log in the participant a broker verified. Called from the OIDC/SAML callback view."""
    user = participant_user_for_verified_bsn(municipality_code=municipality_code, bsn=bsn)
    login(request, user, backend=backend)
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user.participant, purpose="portal login via identity broker")
    return user
