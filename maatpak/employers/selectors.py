from django.db.models import Count, Q

from maatpak.accounts.policy import EMPLOYER_DESK, require
from maatpak.core.tenancy import scope_to_user
from maatpak.employers.models import Employer, Placement, Vacancy
from maatpak.participants.models import Participant
from maatpak.participants.policies import participants_in_relation


def employer_list(*, user):
    return scope_to_user(Employer.objects.all(), user)


def vacancy_list(*, user):
    return scope_to_user(Vacancy.objects.all(), user)


def placement_list(*, user):
    return scope_to_user(Placement.objects.all(), user)


def vacancy_matches(*, user, vacancy, limit: int = 25) -> list[dict]:
    """Participants whose recorded competences cover the vacancy's, best match first.

    Only for the employer desk (`EMPLOYER_DESK` row; 403 otherwise); returns names and matching
    competences, not the dossier. The score is the share of the vacancy's competences the
    person has.
    """
    relation = require(user, EMPLOYER_DESK, "view")
    wanted = list(vacancy.competences.values_list("id", flat=True))
    if not wanted:
        return []
    rows = (
        participants_in_relation(user, relation, scope_to_user(Participant.objects.all(), user))
        .filter(moved_away_on__isnull=True, competences__competence_id__in=wanted)
        .annotate(hits=Count("competences", filter=Q(competences__competence_id__in=wanted), distinct=True))
        .order_by("-hits", "last_name")[:limit]
    )
    return [{"participant": p, "hits": p.hits, "share": p.hits / len(wanted)} for p in rows]
