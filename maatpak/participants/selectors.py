"""Reads of participants and their dossier parts, always scoped to the user's municipalities."""

from django.http import Http404

from maatpak.core.tenancy import scope_to_user
from maatpak.participants.models import (
    Benefit,
    BenefitType,
    Competence,
    ConsultantAssignment,
    DomainAssessment,
    LadderAssessment,
    Participant,
    SolAssessment,
    Wish,
)


def participant_list(*, user):
    return scope_to_user(Participant.objects.all(), user)


def participant_get(*, user, pk: int) -> Participant:
    """The participant, or 404 — the same 404 whether it does not exist or is not yours,
    so nobody learns that a dossier exists."""
    try:
        return participant_list(user=user).get(pk=pk)
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def participant_find_by_bsn(*, user, bsn: str):
    """Exact BSN lookup through the keyed hash; raises ValidationError on an invalid BSN."""
    return participant_list(user=user).filter(bsn_hash=Participant.hash_for_lookup(bsn))


def benefit_list(*, user):
    return scope_to_user(Benefit.objects.all(), user)


def competence_list(*, user):
    return scope_to_user(Competence.objects.all(), user)


def wish_list(*, user):
    return scope_to_user(Wish.objects.all(), user)


def domain_assessment_list(*, user):
    return scope_to_user(DomainAssessment.objects.all(), user)


def ladder_assessment_list(*, user):
    return scope_to_user(LadderAssessment.objects.all(), user)


def sol_assessment_list(*, user):
    return scope_to_user(SolAssessment.objects.all(), user)


def consultant_assignment_list(*, user):
    return scope_to_user(ConsultantAssignment.objects.all(), user)


def running_benefit(benefits):
    """The benefit the dossier's end form ends: the latest one still running (not "no benefit").
    `benefits` newest first, as a list or a queryset."""
    return next((b for b in benefits if b.end_date is None and b.type != BenefitType.NONE), None)
