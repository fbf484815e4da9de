"""Writes on the dossier. The participant's own words are stored as given, marked as theirs."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.policy import DOSSIER, is_consultant, permits
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.concurrency import save_versioned
from maatpak.core.text import CASE, LIFE, check_dates, check_texts, date_errors
from maatpak.participants.ladder import ladder_definition_for
from maatpak.participants.models import (
    Benefit,
    BenefitEndReason,
    BenefitType,
    Competence,
    CompetenceLevel,
    ConsultantAssignment,
    Contact,
    ContactChannel,
    Domain,
    DomainAssessment,
    Education,
    EducationLevel,
    Exemption,
    LadderAssessment,
    Participant,
    ParticipantCompetence,
    SolAssessment,
    SolGroup,
    Wish,
    WishKind,
    WishSource,
    WorkExperience,
)
from maatpak.participants.policies import dossier_policy


def _require_staff_access(actor, participant) -> None:
    if not dossier_policy.allows(actor, "change", participant):
        raise PermissionDenied


def dossier_row_add(model, *, actor, participant, **fields):
    """A new row in the participant's dossier: it belongs to the participant's municipality, its
    texts obey the text rule (core.text: length, no invisible control characters), and its
    creation is written to the audit log."""
    check_texts(model, fields)
    row = model.objects.create(municipality_id=participant.municipality_id, participant=participant, **fields)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


def _not_future(day: dt.date, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Enter a date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    check_dates({field: (day, CASE)})


@transaction.atomic
def wish_add(*, actor, participant, kind: str, text: str) -> Wish:
    """A wish, ambition, interest or idea in the participant's own words. Written by the
    participant in the portal, or noted by the consultant in their words."""
    if permits(actor, DOSSIER, "add_own_wish"):
        if not dossier_policy.allows(actor, "add_own_wish", participant):
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
    return dossier_row_add(Wish, actor=actor, participant=participant, kind=kind, text=text, source=source, recorded_by=actor)


def _assessment_add(model, *, actor, participant, note: str, assessed_on, **judgement):
    """A domain, ladder or Sol assessment: the consultant's judgement on a day, with their note."""
    return dossier_row_add(
        model, actor=actor, participant=participant, note=(note or "").strip(), assessed_on=assessed_on, author=actor, **judgement
    )


@transaction.atomic
def domain_assessment_add(*, actor, participant, domain: str, score: int, note: str, assessed_on) -> DomainAssessment:
    _require_staff_access(actor, participant)
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Choose a life domain.")})
    if score not in range(1, 6):
        raise ValidationError({"score": _("The score is a number from 1 to 5.")})
    _not_future(assessed_on, "assessed_on")
    return _assessment_add(
        DomainAssessment, actor=actor, participant=participant, note=note, assessed_on=assessed_on, domain=domain, score=score
    )


@transaction.atomic
def ladder_assessment_add(*, actor, participant, rung: int, potential_rung: int | None, note: str, assessed_on) -> LadderAssessment:
    _require_staff_access(actor, participant)
    if rung not in range(1, 7):
        raise ValidationError({"rung": _("The rung is a number from 1 to 6.")})
    if potential_rung is not None and potential_rung not in range(1, 7):
        raise ValidationError({"potential_rung": _("The reachable rung is a number from 1 to 6.")})
    _not_future(assessed_on, "assessed_on")
    definition = ladder_definition_for(participant.municipality)
    if definition is None:
        raise ValidationError(_("No participation ladder has been defined yet. Ask your administrator."))
    return _assessment_add(
        LadderAssessment,
        actor=actor,
        participant=participant,
        note=note,
        assessed_on=assessed_on,
        definition=definition,
        rung=rung,
        potential_rung=potential_rung,
    )


@transaction.atomic
def sol_assessment_add(*, actor, participant, group: str, note: str, assessed_on) -> SolAssessment:
    _require_staff_access(actor, participant)
    if group not in SolGroup.values:
        raise ValidationError({"group": _("Choose a group.")})
    _not_future(assessed_on, "assessed_on")
    return _assessment_add(SolAssessment, actor=actor, participant=participant, note=note, assessed_on=assessed_on, group=group)


@transaction.atomic
def contact_record(*, actor, participant, occurred_on, channel: str, summary: str) -> Contact:
    _require_staff_access(actor, participant)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": _("Choose how the contact took place.")})
    _not_future(occurred_on, "occurred_on")
    return dossier_row_add(
        Contact,
        actor=actor,
        participant=participant,
        occurred_on=occurred_on,
        channel=channel,
        summary=(summary or "").strip(),
        staff=actor,
    )


@transaction.atomic
def participant_reassign_consultant(*, actor, participant, consultant, reason: str, expected_version: int):
    """Give the participant another consultant (team lead only). Closes the current assignment
    and opens a new one, so changes stay countable (continuity is a quality measure).

    A participant without a consultant belongs to no team; any team lead of their municipality
    may give them their first one (e.g. answering their request for a consultant)."""
    if not permits(actor, DOSSIER, "assign_consultant"):
        raise PermissionDenied
    unassigned_here = participant.consultant_id is None and actor.municipalities.filter(pk=participant.municipality_id).exists()
    if not unassigned_here and not dossier_policy.allows(actor, "assign_consultant", participant):
        raise PermissionDenied
    if not is_consultant(consultant) or not consultant.municipalities.filter(pk=participant.municipality_id).exists():
        raise ValidationError({"consultant": _("Choose a consultant of this municipality.")})
    if consultant.pk == participant.consultant_id:
        raise ValidationError({"consultant": _("This consultant already holds the case.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    check_texts(ConsultantAssignment, {"reason": reason.strip()})
    today = timezone.localdate()
    participant.consultant = consultant
    save_versioned(participant, expected_version=expected_version, update_fields=["consultant"])
    ConsultantAssignment.objects.filter(participant=participant, end_date__isnull=True).update(end_date=today)
    ConsultantAssignment.objects.create(
        municipality_id=participant.municipality_id, participant=participant, consultant=consultant, start_date=today, reason=reason.strip()
    )
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
    return dossier_row_add(
        ParticipantCompetence,
        actor=actor,
        participant=participant,
        competence=competence,
        level=level,
        evidence=(evidence or "").strip(),
        recorded_on=timezone.localdate(),
        recorded_by=actor,
    )


@transaction.atomic
def competence_remove(*, actor, participant, participant_competence_id: int) -> None:
    _require_staff_access(actor, participant)
    row = ParticipantCompetence.objects.filter(participant=participant, pk=participant_competence_id).first()
    if row is None:
        raise ValidationError(_("This competence is no longer recorded."))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=row, detail={"competence": row.competence.name})
    row.delete()


@transaction.atomic
def education_add(
    *, actor, participant, name: str, level: str, institution: str = "", completed: bool = False, year: int | None = None
) -> Education:
    _require_staff_access(actor, participant)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the name of the education or course.")})
    if level not in EducationLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    if year is not None and not 1940 <= year <= timezone.localdate().year + 5:
        raise ValidationError({"year": _("Enter a year between 1940 and five years from now.")})
    return dossier_row_add(
        Education,
        actor=actor,
        participant=participant,
        name=name,
        level=level,
        institution=(institution or "").strip(),
        completed=bool(completed),
        year=year,
    )


@transaction.atomic
def work_experience_add(
    *, actor, participant, job_title: str, employer_name: str = "", start_date=None, end_date=None, description: str = ""
) -> WorkExperience:
    _require_staff_access(actor, participant)
    job_title = (job_title or "").strip()
    if not job_title:
        raise ValidationError({"job_title": _("Enter the job.")})
    if start_date and start_date > timezone.localdate():
        raise ValidationError({"start_date": _("The date cannot be in the future.")})
    check_dates({"start_date": (start_date, LIFE), "end_date": (end_date, LIFE)})
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    return dossier_row_add(
        WorkExperience,
        actor=actor,
        participant=participant,
        job_title=job_title,
        employer_name=(employer_name or "").strip(),
        start_date=start_date,
        end_date=end_date,
        description=(description or "").strip(),
    )


def _lock_participant(participant) -> None:
    """Serialise benefit and exemption writes per participant, so two people recording at the
    same moment cannot both pass the overlap check."""
    Participant.objects.select_for_update().filter(pk=participant.pk).first()


def _benefit_end_errors(*, start_date, end_date, end_reason) -> dict:
    errors = {}
    if end_date is None:
        return errors
    if start_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    elif end_date > timezone.localdate():
        errors["end_date"] = _("The date cannot be in the future.")
    if end_reason not in BenefitEndReason.values:
        errors["end_reason"] = _("Give the reason the benefit ended.")
    return errors


@transaction.atomic
def benefit_record(
    *, actor, participant, type: str, start_date, end_date=None, monthly_amount_cents: int | None = 0, end_reason: str = ""
) -> Benefit:
    """Record a benefit (uitkering), or that the participant has none. An end date needs a
    reason (reden uitstroom, Divosa's categories). Benefits of one participant do not overlap."""
    _require_staff_access(actor, participant)
    _lock_participant(participant)
    end_reason = end_reason or ""
    amount = monthly_amount_cents or 0
    errors = {}
    if type not in BenefitType.values:
        errors["type"] = _("Choose the kind of benefit.")
    if start_date is None:
        errors["start_date"] = _("Enter a date.")
    elif start_date > timezone.localdate():
        errors["start_date"] = _("The date cannot be in the future.")
    if amount < 0:
        errors["monthly_amount"] = _("The amount cannot be negative.")
    elif type == BenefitType.NONE and amount:
        errors["monthly_amount"] = _("Without a benefit there is no amount. Leave it empty.")
    errors.update(_benefit_end_errors(start_date=start_date, end_date=end_date, end_reason=end_reason))
    if end_reason and end_date is None:
        errors["end_date"] = _("Enter the end date as well, or leave the end reason empty.")
    for field, message in date_errors({"start_date": (start_date, LIFE), "end_date": (end_date, LIFE)}).items():
        errors.setdefault(field, message)
    if not errors:
        overlapping = participant.benefits.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        if end_date is not None:
            overlapping = overlapping.filter(start_date__lte=end_date)
        other = overlapping.order_by("start_date").first()
        if other is not None:
            errors["start_date"] = _("This period overlaps with the benefit from %(date)s. End that one first, or choose other dates.") % {
                "date": other.start_date.strftime("%d-%m-%Y")
            }
    if errors:
        raise ValidationError(errors)
    return dossier_row_add(
        Benefit,
        actor=actor,
        participant=participant,
        type=type,
        start_date=start_date,
        end_date=end_date,
        monthly_amount_cents=amount,
        end_reason=end_reason if end_date else "",
    )


@transaction.atomic
def benefit_end(*, actor, participant, benefit_id: int, end_date, end_reason: str) -> Benefit:
    """End a running benefit with its date and reason (the exit from benefit, uitstroom)."""
    _require_staff_access(actor, participant)
    row = Benefit.objects.select_for_update().filter(participant=participant, pk=benefit_id).first()
    if row is None or row.type == BenefitType.NONE:
        raise ValidationError(_("There is no running benefit to end. Reload the page."))
    if row.end_date is not None:
        # Someone else ended it meanwhile: do not overwrite their date and reason.
        raise ValidationError(
            _("This benefit was already ended on %(date)s. Reload the page.") % {"date": row.end_date.strftime("%d-%m-%Y")}
        )
    if end_date is None:
        raise ValidationError({"end_date": _("Enter a date.")})
    errors = _benefit_end_errors(start_date=row.start_date, end_date=end_date, end_reason=end_reason or "")
    for field, message in date_errors({"end_date": (end_date, LIFE)}).items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)
    row.end_date, row.end_reason = end_date, end_reason
    row.save(update_fields=["end_date", "end_reason", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, detail={"end_date": end_date.isoformat(), "end_reason": end_reason})
    if end_reason == BenefitEndReason.MOVED and participant.moved_away_on is None:
        # Moving away ends follow-up: the analyses censor this person at that date instead of
        # counting them as "no work" ever after.
        Participant.objects.filter(pk=participant.pk).update(moved_away_on=end_date)
        participant.moved_away_on = end_date
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=participant, detail={"moved_away_on": end_date.isoformat()})
    return row


@transaction.atomic
def exemption_record(*, actor, participant, reason: str, start_date, end_date) -> Exemption:
    """Ontheffing (Participatiewet art. 9): temporary and individual, for an urgent reason,
    always with an end date. Exemptions of one participant do not overlap."""
    _require_staff_access(actor, participant)
    _lock_participant(participant)
    check_dates({"start_date": (start_date, CASE), "end_date": (end_date, CASE)})
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the urgent reason for the exemption.")
    if start_date is None:
        errors["start_date"] = _("Enter a date.")
    if end_date is None:
        errors["end_date"] = _("Enter the end date: an exemption is always temporary.")
    elif start_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    if not errors:
        other = participant.exemptions.filter(start_date__lte=end_date, end_date__gte=start_date).order_by("start_date").first()
        if other is not None:
            errors["start_date"] = _("This period overlaps with the exemption from %(start)s to %(end)s.") % {
                "start": other.start_date.strftime("%d-%m-%Y"),
                "end": other.end_date.strftime("%d-%m-%Y"),
            }
    if errors:
        raise ValidationError(errors)
    return dossier_row_add(
        Exemption,
        actor=actor,
        participant=participant,
        reason=reason,
        start_date=start_date,
        end_date=end_date,
        decided_by=actor,
    )
