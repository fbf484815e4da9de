"""The permission policy of the participant's dossier (dossier van de deelnemer).

Which relation each role has is in `accounts.policy.PERMISSIONS`; this module only says which
participants a relation reaches. Everything outside it gets the same 404 as a dossier that does
not exist, so nobody learns that it exists.

Break the glass (doelbinding): a dossier reached only through the team (a colleague's, or any
for a team lead) opens after the user states a purpose; that purpose is an audit event, and it
opens that dossier for `break_glass_hours()` within the same log-in (`purpose_needed`).
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from maatpak.accounts.policy import DOSSIER, ObjectPolicy, Relation, relation_for
from maatpak.audit.models import AuditEvent
from maatpak.participants.models import Participant


def participants_in_relation(user, relation: Relation, queryset):
    """The participants of `queryset` that `relation` reaches for `user`. Shared by every
    policy whose objects belong to a participant (trajectories, referrals, portal data)."""
    queryset = queryset.filter(anonymised_on__isnull=True)  # privacy.retention: no longer a person
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


# --- break the glass: a dossier outside one's own caseload opens only for a stated purpose ------

# The key that marks an audit event as a purpose given to open a dossier (the grant itself).
BREAK_GLASS = "break_glass"


def break_glass_hours() -> int:
    """How long a purpose opens a dossier (hours; also never beyond the log-in it was given in)."""
    return getattr(settings, "MAATPAK_BREAK_GLASS_HOURS", 8)


def outside_own_caseload(user, participant) -> bool:
    """Whether `user` reaches `participant`'s dossier only through the team: a colleague's
    participant (cover), or any participant for a team lead, who holds no caseload. Provider
    staff and the participant themselves reach what they reach by other relations: never."""
    return relation_for(user, DOSSIER, "view") == Relation.TEAM and participant.consultant_id != user.pk


def break_glass_grants(user, *, now=None):
    """The purposes `user` gave that still open a dossier: the audit events marked BREAK_GLASS
    of the last `break_glass_hours()`, and not from before the user's current log-in. The audit
    row is the grant, so web, API and the privacy officer's list all read the one record."""
    since = (now or timezone.now()) - timedelta(hours=break_glass_hours())
    if user.last_login and user.last_login > since:
        since = user.last_login
    return AuditEvent.objects.filter(actor=user, at__gte=since, **{f"detail__{BREAK_GLASS}": True})


def purpose_needed(user, participant) -> bool:
    """Whether `user` must state a purpose before the dossier of `participant` opens (break the
    glass). Ask it only after the dossier policy let the user in, so a dossier the user may not
    see still gives the same 404."""
    return outside_own_caseload(user, participant) and not break_glass_grants(user).filter(participant_id=participant.pk).exists()


def purpose_redirect(request, participant, *, next_url: str | None = None):
    """None when `request.user` may open the dossier now; else the answer that sends them to
    the purpose page first, then back to `next_url` (by default the page asked for, or for a
    form sent the dossier). htmx follows it as a whole-page redirect."""
    if not purpose_needed(request.user, participant):
        return None
    if next_url is None:
        next_url = request.get_full_path() if request.method == "GET" else reverse("participants:dossier", args=[participant.pk])
    url = f"{reverse('participants:purpose', args=[participant.pk])}?{urlencode({'next': next_url})}"
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)
