"""Reads of participants and their dossier parts. Which participants a user reaches is the
dossier policy's answer (`participants.policies.dossier_policy`), never "any participant of the
municipality": other apps that need participants ask their own family's policy."""

from django.db.models import Exists, OuterRef

from maatpak.core.tenancy import scope_to_user
from maatpak.participants.models import BenefitType, Competence, DomainAssessment, LadderAssessment, Participant, SolAssessment
from maatpak.participants.policies import dossier_policy


def participant_find_by_bsn(*, user, bsn: str):
    """Exact BSN lookup through the keyed hash, within the dossiers the user may view; raises
    ValidationError on an invalid BSN."""
    return dossier_policy.instances_for(user, "view").filter(bsn_hash=Participant.hash_for_lookup(bsn))


def competence_list(*, user):
    """The municipality's competence catalogue (shared reference data, no person)."""
    return scope_to_user(Competence.objects.all(), user)


def running_benefit(benefits):
    """The benefit the dossier's end form ends: the latest one still running (not "no benefit").
    `benefits` newest first, as a list or a queryset."""
    return next((b for b in benefits if b.end_date is None and b.type != BenefitType.NONE), None)


def participants_without_assessments(queryset):
    """The participants of `queryset` registered without any assessment yet (no domains, no
    ladder rung, no Sol group): an intake still to finish, work to do for their consultant.
    Intake may skip the assessments; every one it does record is a dated row."""
    return queryset.filter(
        ~Exists(DomainAssessment.objects.filter(participant=OuterRef("pk"))),
        ~Exists(LadderAssessment.objects.filter(participant=OuterRef("pk"))),
        ~Exists(SolAssessment.objects.filter(participant=OuterRef("pk"))),
    )
