"""Intake (aanmelding): a new participant with BSN, person details, the running benefit, the
first consultant and the first assessments, in one transaction. The screen
(`casework.intake_views`) and the API (`api.participants`) both call `participant_register`;
the caseload import (`participants.caseload_import`) checks its rows with the same field rules
(`person_errors`), so a refusal reads the same everywhere.

Duplicates are found through the BSN's keyed hash, within the actor's municipality only: a
person registered in another municipality is never revealed (the unique constraint is per
municipality, so there they are simply someone new here).
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.models import Municipality, User
from maatpak.accounts.policy import DOSSIER, is_consultant, relation_for, roles_for
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.bsn import normalise_bsn
from maatpak.core.text import BIRTH, LIFE, date_problem, max_length, text_problem
from maatpak.participants import ladder_flow
from maatpak.participants.ladder import ladder_definition_for
from maatpak.participants.models import (
    Benefit,
    BenefitType,
    ConsultantAssignment,
    Domain,
    DomainAssessment,
    EducationLevel,
    LadderAssessment,
    Participant,
    Sex,
    SolAssessment,
    SolGroup,
)
from maatpak.participants.policies import dossier_policy
from maatpak.participants.services import dossier_row_add

# A participant is at least this old and at most this old on the day they are registered
# (the history import uses the same range for the age at a trajectory's start).
MIN_AGE, MAX_AGE = 15, 100
# A monthly benefit above this is a typing error (cents in the euro field, an extra zero).
MAX_MONTHLY_BENEFIT_CENTS = 10_000_00
POSTAL_CODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}$")
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")
# The facts about the person that `clean_person` reads (persoonsgegevens), as intake fields.
PERSON_FIELDS = (
    "bsn",
    "reference",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "sex",
    "education_level",
    "street",
    "postal_code",
    "city",
    "email",
    "phone",
)


def _text_errors(field: str, value: str, *, required: bool, missing: str) -> str | None:
    """One text field: present when required, and within the text rule (core.text)."""
    if not value:
        return missing if required else None
    return text_problem(value, max_length=max_length(Participant, field))


def normalise_postal_code(raw: str) -> str:
    """A Dutch postal code as "1234 AB" (people type "1234ab"); "" stays ""; ValueError if not one."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    match = POSTAL_CODE.match(raw)
    if match is None:
        raise ValueError(raw)
    return f"{match.group(1)} {match.group(2).upper()}"


def euros_to_cents(raw) -> int | None:
    """An amount in euros as typed in the Netherlands ("1234,56", "1.234,56", "1234.56", "€ 980")
    in whole cents; None when empty; ValueError when it is not an amount."""
    if raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        amount = Decimal(raw)
    else:
        text = str(raw).strip().replace("€", "").replace(" ", "")
        if not text:
            return None
        if "," in text:
            # Dutch notation: dots group thousands, the comma is the decimal sign.
            text = text.replace(".", "").replace(",", ".")
        if not re.fullmatch(r"-?\d+(\.\d{1,2})?", text):
            raise ValueError(raw)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(raw) from None
    return int((amount * 100).to_integral_value())


def person_errors(values: dict, *, today: dt.date) -> dict[str, str]:
    """The field rules of a person at intake and import: {field: Dutch message}. `values` holds
    the stripped texts and a parsed `birth_date` (a date or None)."""
    errors = {}
    texts = (
        ("reference", True, _("Enter the client number.")),
        ("first_name", True, _("Enter the first name.")),
        ("name_prefix", False, ""),
        ("last_name", True, _("Enter the last name.")),
        ("street", False, ""),
        ("city", False, ""),
        ("phone", False, ""),
    )
    for field, required, missing in texts:
        message = _text_errors(field, values.get(field, ""), required=required, missing=missing)
        if message:
            errors[field] = message
    if "reference" not in errors and not REFERENCE.match(values["reference"]):
        errors["reference"] = _("A client number contains only letters, digits and . _ / - (no spaces).")
    if "phone" not in errors and values.get("phone") and not PHONE.match(values["phone"]):
        errors["phone"] = _("Enter a phone number with digits only (a + at the start and spaces are allowed).")
    email = values.get("email", "")
    if email:
        try:
            if text_problem(email, max_length=max_length(Participant, "email")):
                raise ValidationError("")
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address, for example naam@voorbeeld.nl.")
    if values.get("postal_code_invalid"):
        errors["postal_code"] = _("Enter a Dutch postal code: four digits and two letters, for example 9201 AB.")
    birth_date = values.get("birth_date")
    if birth_date is None:
        errors["birth_date"] = _("Enter the date of birth.")
    elif date_problem(birth_date, BIRTH, today=today) or not _age_in_range(birth_date, today):
        errors["birth_date"] = _("Check the date of birth: the participant must be %(low)s to %(high)s years old.") % {
            "low": MIN_AGE,
            "high": MAX_AGE,
        }
    if values.get("sex", Sex.OTHER) not in Sex.values:
        errors["sex"] = _("Choose the sex.")
    if values.get("education_level", EducationLevel.UNKNOWN) not in EducationLevel.values:
        errors["education_level"] = _("Choose a level.")
    return errors


def _age_in_range(birth_date: dt.date, today: dt.date) -> bool:
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return MIN_AGE <= age <= MAX_AGE


def clean_person(raw: dict, *, today: dt.date) -> tuple[dict, dict[str, str]]:
    """The person's fields stripped and normalised (postal code "1234 AB", BSN checked), and
    the errors per field."""
    values = {
        field: str(raw.get(field) or "").strip()
        for field in ("reference", "first_name", "name_prefix", "last_name", "street", "city", "email", "phone")
    }
    values["sex"] = raw.get("sex") or Sex.OTHER
    values["education_level"] = raw.get("education_level") or EducationLevel.UNKNOWN
    values["birth_date"] = raw.get("birth_date")
    try:
        values["postal_code"] = normalise_postal_code(str(raw.get("postal_code") or ""))
    except ValueError:
        values["postal_code"], values["postal_code_invalid"] = "", True
    errors = person_errors(values, today=today)
    values.pop("postal_code_invalid", None)
    try:
        values["bsn"] = normalise_bsn(raw.get("bsn"))
    except ValidationError as exc:
        errors["bsn"] = exc.messages[0]
    return values, errors


def benefit_errors(*, benefit_type: str, start_date, amount_cents, birth_date, today: dt.date) -> dict[str, str]:
    """The running benefit at intake or import: a known kind, a start not in the future and not
    before birth, a sane monthly amount (none without a benefit)."""
    errors = {}
    if benefit_type not in BenefitType.values:
        errors["benefit_type"] = _("Choose the kind of benefit.")
        return errors
    if start_date is None:
        errors["benefit_start"] = _("Enter the date the benefit started.")
    elif start_date > today:
        errors["benefit_start"] = _("The date cannot be in the future.")
    elif date_problem(start_date, LIFE, today=today):
        errors["benefit_start"] = date_problem(start_date, LIFE, today=today)
    elif birth_date is not None and start_date < birth_date:
        errors["benefit_start"] = _("The benefit cannot start before the date of birth.")
    amount = amount_cents or 0
    if amount < 0:
        errors["benefit_amount"] = _("The amount cannot be negative.")
    elif amount > MAX_MONTHLY_BENEFIT_CENTS:
        errors["benefit_amount"] = _("Check the amount: enter the monthly amount in euros, for example 1250,00.")
    elif benefit_type == BenefitType.NONE and amount:
        errors["benefit_amount"] = _("Without a benefit there is no amount. Leave it empty.")
    return errors


class DuplicateParticipantError(ValidationError):
    """The BSN is already registered in this municipality. `existing` is that participant when
    the actor may view their dossier (the screen then links to it), else None."""

    def __init__(self, message, *, existing=None):
        super().__init__({"bsn": message}, code="duplicate")
        self.existing = existing


def duplicate_error(*, actor, existing) -> DuplicateParticipantError:
    """The refusal for a BSN registered before: the existing dossier for whoever may view it,
    a neutral message for everyone else (they learn no name and no client number)."""
    if dossier_policy.allows(actor, "view", existing):
        return DuplicateParticipantError(
            _("This person is already registered (client number %(reference)s). Open the existing dossier instead.")
            % {"reference": existing.reference},
            existing=existing,
        )
    return DuplicateParticipantError(_("This person is already registered in your municipality. Contact your team lead."))


def registering_municipality(*, actor, municipality=None) -> Municipality:
    """The municipality the actor registers for: the given one (it must be theirs) or their only one."""
    own = Municipality.objects.filter(users=actor)
    if municipality is not None:
        if not own.filter(pk=municipality.pk).exists():
            raise ValidationError({"municipality": _("Choose one of your municipalities.")})
        return municipality
    mine = list(own[:2])
    if len(mine) != 1:
        raise ValidationError({"municipality": _("Choose one of your municipalities.")})
    return mine[0]


def consultants_of(municipalities):
    """The accounts that can hold a caseload in `municipalities` (the first consultant's choices)."""
    return (
        User.objects.filter(municipalities__in=municipalities, is_active=True, role__in=roles_for(DOSSIER, "hold_caseload"))
        .people()
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def _consultant_for(*, actor, consultant, municipality):
    if consultant is None and is_consultant(actor):
        consultant = actor
    if consultant is None:
        raise ValidationError({"consultant": _("Choose the consultant.")})
    if not consultant.is_active or not is_consultant(consultant) or not consultant.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationError({"consultant": _("Choose a consultant of this municipality.")})
    return consultant


@dataclass(frozen=True)
class LadderAnswers:
    """The ladder flow's answers: {question: True/False/None} for today and for a year from now."""

    current: dict
    potential: dict

    @classmethod
    def from_mapping(cls, mapping) -> "LadderAnswers | None":
        if not mapping:
            return None
        return cls(current=dict(mapping.get(ladder_flow.CURRENT) or {}), potential=dict(mapping.get(ladder_flow.POTENTIAL) or {}))

    def given(self) -> bool:
        return any(v is not None for v in (*self.current.values(), *self.potential.values()))


def ladder_field(part: str, question: str) -> str:
    """The form field (and error key) of one ladder question: "ladder_current_paid_work"."""
    return f"ladder_{part}_{question}"


def _ladder_errors(answers: LadderAnswers) -> dict[str, str]:
    errors = {}
    for question in ladder_flow.missing_questions(answers.current):
        errors[ladder_field(ladder_flow.CURRENT, question)] = _("Answer this question to find the current rung.")
    # The year ahead may be left open as a whole; begun, it is finished.
    if any(v is not None for v in answers.potential.values()):
        for question in ladder_flow.missing_questions(answers.potential):
            errors[ladder_field(ladder_flow.POTENTIAL, question)] = _("Answer this question to find the rung within reach.")
    return errors


def _assessment_errors(*, domain_scores, ladder: LadderAnswers | None, sol_group) -> dict[str, str]:
    errors = {}
    for domain, score in (domain_scores or {}).items():
        if domain not in Domain.values:
            errors["domain_scores"] = _("Unknown life domain: %(domain)s.") % {"domain": str(domain)[:40]}
        elif score is not None and score not in range(1, 6):
            errors[f"domain_{domain}"] = _("The score is a number from 1 to 5.")
    if ladder is not None and ladder.given():
        errors.update(_ladder_errors(ladder))
    if sol_group and sol_group not in SolGroup.values:
        errors["sol_group"] = _("Choose a group.")
    return errors


@transaction.atomic
def participant_register(
    *,
    actor,
    bsn: str,
    reference: str,
    first_name: str,
    last_name: str,
    birth_date,
    name_prefix: str = "",
    sex: str = Sex.OTHER,
    education_level: str = EducationLevel.UNKNOWN,
    street: str = "",
    postal_code: str = "",
    city: str = "",
    email: str = "",
    phone: str = "",
    benefit_type: str = "",
    benefit_start=None,
    benefit_amount_cents: int | None = None,
    consultant=None,
    domain_scores: dict | None = None,
    ladder_answers: dict | None = None,
    sol_group: str = "",
    municipality=None,
) -> Participant:
    """Aanmelding: register a new participant of the actor's municipality, with the running
    benefit, the first consultant (a consultant registering: themselves by default) and the
    first assessments, dated today. Assessments may be left for later: a participant without
    them shows as an intake still to finish in the consultant's work (see
    `selectors.participants_without_assessments`)."""
    if relation_for(actor, DOSSIER, "register") is None:
        raise PermissionDenied
    municipality = registering_municipality(actor=actor, municipality=municipality)
    today = timezone.localdate()
    values, errors = clean_person(
        {
            "bsn": bsn,
            "reference": reference,
            "first_name": first_name,
            "name_prefix": name_prefix,
            "last_name": last_name,
            "birth_date": birth_date,
            "sex": sex,
            "education_level": education_level,
            "street": street,
            "postal_code": postal_code,
            "city": city,
            "email": email,
            "phone": phone,
        },
        today=today,
    )
    if benefit_type:
        errors.update(
            benefit_errors(
                benefit_type=benefit_type, start_date=benefit_start, amount_cents=benefit_amount_cents, birth_date=birth_date, today=today
            )
        )
    ladder = LadderAnswers.from_mapping(ladder_answers)
    errors.update(_assessment_errors(domain_scores=domain_scores, ladder=ladder, sol_group=sol_group))
    try:
        consultant = _consultant_for(actor=actor, consultant=consultant, municipality=municipality)
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if "bsn" not in errors:
        existing = Participant.objects.filter(municipality=municipality, bsn_hash=Participant.hash_for_lookup(values["bsn"])).first()
        if existing is not None:
            raise duplicate_error(actor=actor, existing=existing)
    if "reference" not in errors and Participant.objects.filter(municipality=municipality, reference=values["reference"]).exists():
        errors["reference"] = _("This client number is already in use. Check the number.")
    if errors:
        raise ValidationError(errors)
    participant = _create_participant(actor=actor, municipality=municipality, values=values, consultant=consultant, today=today)
    if benefit_type:
        dossier_row_add(
            Benefit,
            actor=actor,
            participant=participant,
            type=benefit_type,
            start_date=benefit_start,
            monthly_amount_cents=benefit_amount_cents or 0,
        )
    first_assessments_add(
        actor=actor, participant=participant, domain_scores=domain_scores, ladder=ladder, sol_group=sol_group, assessed_on=today
    )
    return participant


def _create_participant(*, actor, municipality, values, consultant, today) -> Participant:
    participant = Participant(
        municipality=municipality,
        consultant=consultant,
        registered_on=today,
        **{field: values[field] for field in values if field != "bsn"},
    )
    participant.set_bsn(values["bsn"])
    try:
        # A savepoint: someone registering the same person at the same moment loses cleanly.
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(_("This person or client number was registered a moment ago. Search the caseload for them.")) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=participant, purpose="intake")
    dossier_row_add(ConsultantAssignment, actor=actor, participant=participant, consultant=consultant, start_date=today, reason=_("Intake"))
    return participant


def first_assessments_add(*, actor, participant, domain_scores, ladder: "LadderAnswers | None", sol_group: str, assessed_on) -> None:
    """The intake's assessments, each a dated row by the actor (so staleness shows later)."""
    for domain in Domain.values:
        score = (domain_scores or {}).get(domain)
        if score is not None:
            dossier_row_add(
                DomainAssessment, actor=actor, participant=participant, domain=domain, score=score, assessed_on=assessed_on, author=actor
            )
    if ladder is not None and ladder.given():
        definition = ladder_definition_for(participant.municipality)
        if definition is None:
            raise ValidationError(_("No participation ladder has been defined yet. Ask your administrator."))
        current = ladder_flow.asked_answers(ladder.current)
        potential = ladder_flow.asked_answers(ladder.potential)
        dossier_row_add(
            LadderAssessment,
            actor=actor,
            participant=participant,
            definition=definition,
            rung=ladder_flow.rung_from_answers(current),
            potential_rung=ladder_flow.rung_from_answers(potential) if potential else None,
            answers={ladder_flow.CURRENT: current, ladder_flow.POTENTIAL: potential},
            assessed_on=assessed_on,
            author=actor,
        )
    if sol_group:
        dossier_row_add(SolAssessment, actor=actor, participant=participant, group=sol_group, assessed_on=assessed_on, author=actor)
