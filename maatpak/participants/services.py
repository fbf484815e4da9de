"""Writes on the dossier. The participant's own words are stored as given, marked as theirs."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.concurrency import save_versioned
from maatpak.participants.access import participant_access_queryset
from maatpak.participants.models import (
    ConsultantAssignment,
    Contact,
    ContactChannel,
    Competence,
    CompetenceLevel,
    Domain,
    DomainAssessment,
    Education,
    EducationLevel,
    LadderAssessment,
    LadderDefinition,
    SolAssessment,
    ParticipantCompetence,
    SolGroup,
    Wish,
    WishKind,
    WishSource,
    WorkExperience,
)


def _require_staff_access(actor, participant) -> None:
    if not participant_access_queryset(actor).filter(pk=participant.pk).exists():
        raise PermissionDenied


def _not_future(day: dt.date, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Enter a date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def wish_add(*, actor, participant, kind: str, text: str) -> Wish:
    """A wish, ambition, interest or idea in the participant's own words. Written by the
    participant in the portal, or noted by the consultant in their words."""
    if actor.role == Role.PARTICIPANT:
        if participant.user_id != actor.pk:
            raise PermissionDenied
        source = WishSource.PARTICIPANT
    else:
        _require_staff_access(actor, participant)
        source = WishSource.CONSULTANT
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the wish down in the participant's own words.")})
    if kind not in WishKind.values:
        raise ValidationError({"kind": _("Choose what kind of wish this is.")})
    wish = Wish.objects.create(municipality_id=participant.municipality_id, participant=participant, kind=kind, text=text, source=source, recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=wish)
    return wish


@transaction.atomic
def domain_assessment_add(*, actor, participant, domain: str, score: int, note: str, assessed_on) -> DomainAssessment:
    _require_staff_access(actor, participant)
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Choose a life domain.")})
    if score not in range(1, 6):
        raise ValidationError({"score": _("The score is a number from 1 to 5.")})
    _not_future(assessed_on, "assessed_on")
    row = DomainAssessment.objects.create(municipality_id=participant.municipality_id, participant=participant, domain=domain, score=score, note=(note or "").strip(), assessed_on=assessed_on, author=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


@transaction.atomic
def ladder_assessment_add(*, actor, participant, rung: int, potential_rung: int | None, note: str, assessed_on) -> LadderAssessment:
    _require_staff_access(actor, participant)
    if rung not in range(1, 7):
        raise ValidationError({"rung": _("The rung is a number from 1 to 6.")})
    if potential_rung is not None and potential_rung not in range(1, 7):
        raise ValidationError({"potential_rung": _("The reachable rung is a number from 1 to 6.")})
    _not_future(assessed_on, "assessed_on")
    definition = LadderDefinition.objects.order_by("-version").first()
    if definition is None:
        raise ValidationError(_("No participation ladder has been defined yet. Ask your administrator."))
    row = LadderAssessment.objects.create(
        municipality_id=participant.municipality_id, participant=participant, definition=definition, rung=rung, potential_rung=potential_rung, note=(note or "").strip(), assessed_on=assessed_on, author=actor
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


@transaction.atomic
def sol_assessment_add(*, actor, participant, group: str, note: str, assessed_on) -> SolAssessment:
    _require_staff_access(actor, participant)
    if group not in SolGroup.values:
        raise ValidationError({"group": _("Choose a group.")})
    _not_future(assessed_on, "assessed_on")
    row = SolAssessment.objects.create(municipality_id=participant.municipality_id, participant=participant, group=group, note=(note or "").strip(), assessed_on=assessed_on, author=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


@transaction.atomic
def contact_record(*, actor, participant, occurred_on, channel: str, summary: str) -> Contact:
    _require_staff_access(actor, participant)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": _("Choose how the contact took place.")})
    _not_future(occurred_on, "occurred_on")
    row = Contact.objects.create(municipality_id=participant.municipality_id, participant=participant, occurred_on=occurred_on, channel=channel, summary=(summary or "").strip(), staff=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


@transaction.atomic
def participant_reassign_consultant(*, actor, participant, consultant, reason: str, expected_version: int):
    """Give the participant another consultant (team lead only). Closes the current assignment
    and opens a new one, so changes stay countable (continuity is a quality measure)."""
    if actor.role != Role.TEAM_LEAD or not participant_access_queryset(actor).filter(pk=participant.pk).exists():
        raise PermissionDenied
    if consultant.role != Role.CONSULTANT or not consultant.municipalities.filter(pk=participant.municipality_id).exists():
        raise ValidationError({"consultant": _("Choose a consultant of this municipality.")})
    if consultant.pk == participant.consultant_id:
        raise ValidationError({"consultant": _("This consultant already holds the case.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    today = timezone.localdate()
    participant.consultant = consultant
    save_versioned(participant, expected_version=expected_version, update_fields=["consultant"])
    ConsultantAssignment.objects.filter(participant=participant, end_date__isnull=True).update(end_date=today)
    ConsultantAssignment.objects.create(municipality_id=participant.municipality_id, participant=participant, consultant=consultant, start_date=today, reason=reason.strip())
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=participant, detail={"consultant": consultant.username})
    return participant


@transaction.atomic
def competence_add(*, actor, participant, competence: Competence, level: int, evidence: str = "") -> ParticipantCompetence:
    """A competence from the municipality's catalogue (shared with vacancies, so it can be matched)."""
    _require_staff_access(actor, participant)
    if competence is None or competence.municipality_id != participant.municipality_id:
        raise ValidationError({"competence": _("Choose a competence from the list.")})
    if level not in CompetenceLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    if ParticipantCompetence.objects.filter(participant=participant, competence=competence).exists():
        raise ValidationError({"competence": _("This competence is already recorded.")})
    row = ParticipantCompetence.objects.create(
        municipality_id=participant.municipality_id, participant=participant, competence=competence, level=level,
        evidence=(evidence or "").strip(), recorded_on=timezone.localdate(), recorded_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


@transaction.atomic
def competence_remove(*, actor, participant, participant_competence_id: int) -> None:
    _require_staff_access(actor, participant)
    row = ParticipantCompetence.objects.filter(participant=participant, pk=participant_competence_id).first()
    if row is None:
        raise ValidationError(_("This competence is no longer recorded."))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=row, detail={"competence": row.competence.name})
    row.delete()


@transaction.atomic
def education_add(*, actor, participant, name: str, level: str, institution: str = "", completed: bool = False, year: int | None = None) -> Education:
    _require_staff_access(actor, participant)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the name of the education or course.")})
    if level not in EducationLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    if year is not None and not 1940 <= year <= timezone.localdate().year + 5:
        raise ValidationError({"year": _("Enter a year between 1940 and five years from now.")})
    row = Education.objects.create(
        municipality_id=participant.municipality_id, participant=participant, name=name, level=level,
        institution=(institution or "").strip(), completed=bool(completed), year=year,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


@transaction.atomic
def work_experience_add(*, actor, participant, job_title: str, employer_name: str = "", start_date=None, end_date=None, description: str = "") -> WorkExperience:
    _require_staff_access(actor, participant)
    job_title = (job_title or "").strip()
    if not job_title:
        raise ValidationError({"job_title": _("Enter the job.")})
    if start_date and start_date > timezone.localdate():
        raise ValidationError({"start_date": _("The date cannot be in the future.")})
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    row = WorkExperience.objects.create(
        municipality_id=participant.municipality_id, participant=participant, job_title=job_title, employer_name=(employer_name or "").strip(),
        start_date=start_date, end_date=end_date, description=(description or "").strip(),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row
