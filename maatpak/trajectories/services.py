"""Writes on trajectories: the rules that make the seeds' failures impossible.

Each function is one use case, transactional, permission-checked and audit-logged; the web
forms and the API call the same functions, so a rule holds everywhere.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.policy import is_participant
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.concurrency import save_versioned
from maatpak.core.text import CASE, check_dates, check_texts, date_errors, text_errors
from maatpak.participants.models import Domain
from maatpak.trajectories.models import (
    Agreement,
    AgreementStatus,
    EndReport,
    Goal,
    GoalKind,
    HandoverChannel,
    IntermediateGoalKind,
    MunicipalityDefault,
    ObjectionDecision,
    Outcome,
    Party,
    PlanHandover,
    PlanIdea,
    PlannedInstrument,
    PlanVersion,
    Sanction,
    SanctionInitiator,
    SanctionStatus,
    Signature,
    SignatureMethod,
    SignatureParty,
    Trajectory,
    TrajectoryStatus,
)
from maatpak.trajectories.policies import trajectory_policy

# referral_propose moved to trajectories.referrals (the referral's whole life in one module);
# importable here only until casework.trajectory_views calls it there.
from maatpak.trajectories.referrals import referrals_close_with_trajectory

# A repeat reason must say something: at least this many characters (and the user confirms they
# read the previous conclusion, which the form shows next to the field).
REPEAT_REASON_MIN_LENGTH = 30
WORK_GOALS = {GoalKind.REGULAR_WORK, GoalKind.SUBSIDISED_WORK, GoalKind.SELF_EMPLOYMENT}


def _require(actor, action: str, trajectory) -> None:
    """The trajectory policy's refusal, as a service refuses: PermissionDenied."""
    if not trajectory_policy.allows(actor, action, trajectory):
        raise PermissionDenied


def _today() -> dt.date:
    return timezone.localdate()


def previous_trajectory_requiring_reason(*, participant, today: dt.date | None = None):
    """The participant's most recent trajectory that ended within the repeat-reason window
    (24 months by default), or None. A new trajectory must say why, referring to it."""
    today = today or _today()
    window_start = today - relativedelta(months=settings.MAATPAK_REPEAT_REASON_MONTHS)
    return (
        Trajectory.objects.filter(participant=participant, status=TrajectoryStatus.CLOSED, ended_on__gte=window_start)
        .select_related("closing_report")
        .order_by("-ended_on", "-id")
        .first()
    )


@transaction.atomic
def trajectory_create(*, actor, participant, repeat_reason: str = "", read_previous_conclusion: bool = False) -> Trajectory:
    """Start a new trajectory (draft). Rule: someone whose previous trajectory ended in the last
    24 months gets a new one only with a reason that refers to that trajectory's conclusion."""
    if not trajectory_policy.allows_for_participant(actor, "change", participant):
        raise PermissionDenied
    if Trajectory.objects.filter(participant=participant).exclude(status=TrajectoryStatus.CLOSED).exists():
        raise ValidationError(
            _("This participant already has a trajectory that is not closed. Close it first, or change its plan."), code="open_trajectory"
        )
    previous = previous_trajectory_requiring_reason(participant=participant)
    repeat_reason = (repeat_reason or "").strip()
    check_texts(Trajectory, {"repeat_reason": repeat_reason})
    if previous is not None:
        conclusion = previous.closing_report.conclusion if previous.closing_report else _("(no end report was recorded)")
        if len(repeat_reason) < REPEAT_REASON_MIN_LENGTH or not read_previous_conclusion:
            raise ValidationError(
                {
                    "repeat_reason": _(
                        "The previous trajectory ended on %(date)s with the conclusion: “%(conclusion)s”. Explain why a new trajectory is needed "
                        "and what will be different, referring to that conclusion (at least %(min)s characters), and confirm you read it."
                    )
                    % {"date": previous.ended_on.strftime("%d-%m-%Y"), "conclusion": conclusion, "min": REPEAT_REASON_MIN_LENGTH}
                },
                code="repeat_reason_required",
            )
    trajectory = Trajectory.objects.create(
        municipality_id=participant.municipality_id,
        participant=participant,
        consultant=participant.consultant or actor,
        previous=previous,
        repeat_reason=repeat_reason,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=trajectory)
    return trajectory


PLAN_FIELDS = ["end_goal_kind", "end_goal", "situation", "planned_start", "planned_end", "fallback_if_no_job", "education_plan", "mentor"]


def _validate_plan_fields(data: dict) -> None:
    errors = text_errors(PlanVersion, {name: value for name, value in data.items() if name != "end_goal_kind"})
    errors.update(date_errors({name: (data.get(name), CASE) for name in ("planned_start", "planned_end")}))
    if data.get("end_goal_kind") not in GoalKind.values:
        errors["end_goal_kind"] = _("Choose the end goal.")
    if not (data.get("end_goal") or "").strip():
        errors["end_goal"] = _("Describe the end goal in words.")
    start, end = data.get("planned_start"), data.get("planned_end")
    if not start:
        errors["planned_start"] = _("Enter the planned start date.")
    if not end:
        errors["planned_end"] = _("Enter the planned end date.")
    if start and end and end < start:
        errors.setdefault("planned_end", _("The planned end is before the planned start."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_save_draft(*, actor, trajectory, expected_version: int, **fields) -> PlanVersion:
    """Write the plan fields of the draft version in place: version 1 of a draft trajectory, or a
    revision that is not agreed yet. Optimistic lock on the trajectory: a save based on a stale
    page is refused and nothing is overwritten."""
    _require(actor, "change", trajectory)
    plan = trajectory.latest_plan()
    if (
        trajectory.status == TrajectoryStatus.CLOSED
        or (plan is not None and not plan.is_draft)
        or (plan is None and trajectory.status != TrajectoryStatus.DRAFT)
    ):
        raise ValidationError(_("This plan has been agreed. Changes make a new version: use “Change the plan”."), code="not_draft")
    data = {name: fields.get(name) for name in PLAN_FIELDS}
    _validate_plan_fields(data)
    save_versioned(trajectory, expected_version=expected_version, update_fields=[])
    if plan is None:
        plan = PlanVersion(municipality_id=trajectory.municipality_id, trajectory=trajectory, number=1, created_by=actor)
    for name, value in data.items():
        setattr(plan, name, value if value is not None else "")
    plan.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=plan, participant_id=trajectory.participant_id)
    return plan


def _editable_plan(actor, trajectory) -> PlanVersion:
    _require(actor, "change", trajectory)
    plan = trajectory.latest_plan()
    if plan is None:
        raise ValidationError(_("Write the plan's goal and dates first."), code="no_plan")
    if not plan.is_draft:
        raise ValidationError(_("This plan has been agreed. Changes make a new version: use “Change the plan”."), code="not_draft")
    return plan


def _goal_errors(kind, description, measure, target_date) -> dict:
    errors = text_errors(Goal, {"description": (description or "").strip(), "measure": (measure or "").strip()})
    errors.update(date_errors({"target_date": (target_date, CASE)}))
    if kind not in IntermediateGoalKind.values:
        errors["kind"] = _("Choose the kind of intermediate goal.")
    if not (description or "").strip():
        errors["description"] = _("Describe the intermediate goal.")
    if not (measure or "").strip():
        errors["measure"] = _("Say how you will know the goal is reached: a goal must be measurable.")
    if not target_date:
        errors["target_date"] = _("Enter a target date.")
    return errors


def _idea_errors(idea, response) -> dict:
    errors = text_errors(PlanIdea, {"idea": (idea or "").strip(), "response": (response or "").strip()})
    if not (idea or "").strip():
        errors["idea"] = _("Write down the participant's idea in their own words.")
    if not (response or "").strip():
        errors["response"] = _("Say how this idea is supported, or why not: the participant has a right to know.")
    return errors


def _instrument_dates_check(start_date, end_date) -> None:
    if not start_date or not end_date:
        raise ValidationError({"start_date": _("Enter when the instrument starts and ends.")})
    check_dates({"start_date": (start_date, CASE), "end_date": (end_date, CASE)})
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


def _agreement_errors(party, description, deadline) -> dict:
    errors = text_errors(Agreement, {"description": (description or "").strip()})
    errors.update(date_errors({"deadline": (deadline, CASE)}))
    if party not in Party.values:
        errors["party"] = _("Choose who makes the promise.")
    if not (description or "").strip():
        errors["description"] = _("Describe the agreement.")
    if not deadline:
        errors["deadline"] = _("Every agreement has a deadline.")
    return errors


@transaction.atomic
def goal_add(*, actor, trajectory, kind: str, description: str, measure: str, target_date) -> Goal:
    plan = _editable_plan(actor, trajectory)
    errors = _goal_errors(kind, description, measure, target_date)
    if errors:
        raise ValidationError(errors)
    goal = Goal.objects.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        kind=kind,
        description=description.strip(),
        measure=measure.strip(),
        target_date=target_date,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=goal, participant_id=trajectory.participant_id)
    return goal


@transaction.atomic
def idea_add(*, actor, trajectory, idea: str, supported: bool, response: str, wish=None) -> PlanIdea:
    plan = _editable_plan(actor, trajectory)
    errors = _idea_errors(idea, response)
    if errors:
        raise ValidationError(errors)
    if wish is not None and wish.participant_id != trajectory.participant_id:
        raise PermissionDenied
    row = PlanIdea.objects.create(
        municipality_id=plan.municipality_id, plan=plan, wish=wish, idea=idea.strip(), supported=supported, response=response.strip()
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, participant_id=trajectory.participant_id)
    return row


def _instrument_purpose_check(plan, serves_goal, serves_barrier) -> None:
    """Every newly planned instrument names why it is in the plan: an intermediate goal of the same
    version, or a barrier (a life domain) it addresses (seed 000: "packing work" without anyone
    establishing it was needed). Rows made before this rule may have neither and stay valid."""
    if serves_goal is None and not serves_barrier:
        raise ValidationError(
            {
                "serves_goal": _(
                    "Say which intermediate goal or which barrier this instrument serves: an instrument is planned because it is needed."
                )
            },
            code="purpose_required",
        )
    if serves_goal is not None and serves_goal.plan_id != plan.pk:
        raise ValidationError({"serves_goal": _("Choose an intermediate goal of this version of the plan.")}, code="wrong_goal")
    if serves_barrier and serves_barrier not in Domain.values:
        raise ValidationError({"serves_barrier": _("Choose one of the life domains.")}, code="wrong_barrier")


@transaction.atomic
def instrument_add(
    *,
    actor,
    trajectory,
    instrument,
    start_date,
    end_date,
    provider=None,
    cost_cents: int | None = None,
    serves_goal=None,
    serves_barrier: str = "",
) -> PlannedInstrument:
    plan = _editable_plan(actor, trajectory)
    if instrument.municipality_id != trajectory.municipality_id or (
        provider is not None and provider.municipality_id != trajectory.municipality_id
    ):
        raise PermissionDenied
    _instrument_dates_check(start_date, end_date)
    _instrument_purpose_check(plan, serves_goal, serves_barrier)
    row = PlannedInstrument.objects.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        instrument=instrument,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        cost_cents=instrument.default_cost_cents if cost_cents is None else cost_cents,
        serves_goal=serves_goal,
        serves_barrier=serves_barrier or "",
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, participant_id=trajectory.participant_id)
    return row


@transaction.atomic
def agreement_add(*, actor, trajectory, party: str, description: str, deadline) -> Agreement:
    plan = _editable_plan(actor, trajectory)
    errors = _agreement_errors(party, description, deadline)
    if errors:
        raise ValidationError(errors)
    row = Agreement.objects.create(
        municipality_id=plan.municipality_id, plan=plan, party=party, description=description.strip(), deadline=deadline
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, participant_id=trajectory.participant_id)
    return row


# The rows of a plan version that can be changed or removed while that version is a draft.
PLAN_ITEM_MODELS = {"goal": Goal, "idea": PlanIdea, "instrument": PlannedInstrument, "agreement": Agreement}


def _draft_item(actor, trajectory, item, expected_version: int) -> PlanVersion:
    """The draft version `item` belongs to. Changing a row counts as changing the plan, so the
    trajectory's optimistic lock refuses a change based on a stale page."""
    plan = _editable_plan(actor, trajectory)
    if item.plan_id != plan.pk:
        raise ValidationError(
            _("Only the version that is still being written can be changed; earlier versions stay as they were."), code="not_draft"
        )
    save_versioned(trajectory, expected_version=expected_version, update_fields=[])
    return plan


@transaction.atomic
def plan_item_update(*, actor, trajectory, item, expected_version: int, **fields):
    """Change a goal, idea, planned instrument or agreement of the draft version (for a revision:
    the copy carried over from the version before; that version itself stays untouched)."""
    plan = _draft_item(actor, trajectory, item, expected_version)
    if isinstance(item, Goal):
        errors = _goal_errors(fields.get("kind"), fields.get("description"), fields.get("measure"), fields.get("target_date"))
        if errors:
            raise ValidationError(errors)
        item.kind, item.description, item.measure, item.target_date = (
            fields["kind"],
            fields["description"].strip(),
            fields["measure"].strip(),
            fields["target_date"],
        )
    elif isinstance(item, PlanIdea):
        errors = _idea_errors(fields.get("idea"), fields.get("response"))
        if errors:
            raise ValidationError(errors)
        item.idea, item.supported, item.response = fields["idea"].strip(), fields["supported"], fields["response"].strip()
    elif isinstance(item, PlannedInstrument):
        _instrument_dates_check(fields.get("start_date"), fields.get("end_date"))
        _instrument_purpose_check(plan, fields.get("serves_goal"), fields.get("serves_barrier"))
        item.start_date, item.end_date = fields["start_date"], fields["end_date"]
        item.serves_goal, item.serves_barrier = fields.get("serves_goal"), fields.get("serves_barrier") or ""
        if fields.get("cost_cents") is not None:
            item.cost_cents = fields["cost_cents"]
    elif isinstance(item, Agreement):
        errors = _agreement_errors(fields.get("party"), fields.get("description"), fields.get("deadline"))
        if errors:
            raise ValidationError(errors)
        item.party, item.description, item.deadline = fields["party"], fields["description"].strip(), fields["deadline"]
    else:
        raise PermissionDenied
    item.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, participant_id=trajectory.participant_id)
    return item


@transaction.atomic
def plan_item_remove(*, actor, trajectory, item, expected_version: int) -> None:
    """Remove a row from the draft version. A goal a provider already reported on, or an agreement
    a sanction or default refers to, stays: that history must remain traceable."""
    if type(item) not in PLAN_ITEM_MODELS.values():
        raise PermissionDenied
    _draft_item(actor, trajectory, item, expected_version)
    if isinstance(item, Goal) and item.progress.exists():
        raise ValidationError(_("A provider has reported progress on this goal, so it cannot be removed."), code="in_use")
    if isinstance(item, Goal) and item.instruments.exists():
        raise ValidationError(_("An instrument in the plan serves this goal. Change or remove that instrument first."), code="goal_served")
    if isinstance(item, Agreement) and (item.sanctions.exists() or item.defaults.exists()):
        raise ValidationError(_("A sanction or default refers to this agreement, so it cannot be removed."), code="in_use")
    audit_record(actor=actor, action=AuditAction.DELETE, obj=item, participant_id=trajectory.participant_id)
    item.delete()


def plan_problems(plan: PlanVersion) -> list[str]:
    """What keeps a plan from being agreed, in plain words (empty when it is complete)."""
    problems = []
    goals = list(plan.goals.all())
    if not goals:
        problems.append(_("Add at least one measurable intermediate goal."))
    if any(not g.measure.strip() for g in goals):
        problems.append(_("Every intermediate goal needs a way to measure it."))
    ideas = list(plan.ideas.all())
    if not ideas:
        problems.append(_("Add at least one idea of the participant, in their own words: the plan starts from what they want."))
    if any(not i.response.strip() for i in ideas):
        problems.append(_("Every idea of the participant needs an answer: how it is supported, or why not."))
    parties = {a.party for a in plan.agreements.all()}
    if Party.PARTICIPANT not in parties:
        problems.append(_("Add at least one agreement for the participant."))
    if Party.MUNICIPALITY not in parties:
        problems.append(_("Add at least one agreement for the municipality: obligations run both ways."))
    if plan.end_goal_kind in WORK_GOALS and not plan.fallback_if_no_job.strip():
        problems.append(_("Say what happens if no job follows."))
    if plan.planned_end < plan.planned_start:
        problems.append(_("The planned end is before the planned start."))
    return problems


@transaction.atomic
def plan_agree(*, actor, trajectory, expected_version: int) -> PlanVersion:
    """Consultant and participant agree on the content: the version is locked for signing.

    For version 1 the trajectory becomes "agreed, awaiting signatures". For a revision of a
    running trajectory the trajectory keeps its status: the version in force stays in force until
    both sides have signed the new one (see Trajectory.plan_in_force)."""
    plan = _editable_plan(actor, trajectory)
    problems = plan_problems(plan)
    if problems:
        raise ValidationError(problems, code="incomplete_plan")
    if trajectory.status == TrajectoryStatus.DRAFT:
        trajectory.status = TrajectoryStatus.AGREED
    save_versioned(trajectory, expected_version=expected_version, update_fields=["status"])
    plan.agreed_on = _today()
    plan.save(update_fields=["agreed_on", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=trajectory, detail={"status": TrajectoryStatus.AGREED, "plan_version": plan.number}
    )
    return plan


# What a new plan version copies from the version before (plan_revise): the rows of each
# relation, with these fields.
REVISION_COPIES = {
    "goals": ("kind", "description", "measure", "target_date", "status", "reached_on", "status_set_by", "status_from_progress"),
    "ideas": ("wish", "idea", "supported", "response"),
    "instruments": ("instrument", "provider", "start_date", "end_date", "cost_cents", "serves_barrier"),
    "agreements": ("party", "description", "deadline", "status", "status_note", "status_changed_on"),
}
# Links between copied rows: the copy points at the copy (an instrument serves the new version's
# copy of its goal, not the old version's goal). relation -> {field: the relation it points into}.
REVISION_LINKS = {"instruments": {"serves_goal": "goals"}}
# Copies that remember their original (relation -> field), so a later change to the original can follow.
REVISION_ORIGINS = {"goals": "copied_from"}


@transaction.atomic
def plan_revise(*, actor, trajectory, reason: str, expected_version: int, **fields) -> PlanVersion:
    """After agreement, a change makes a new version with a reason. The new version starts as a
    draft with copies of the goals, ideas, instruments and agreements of the version before; those
    copies can be changed, added to or removed, then the new version is agreed and both sides sign
    it again. The earlier version and its rows stay exactly as they were, and the trajectory
    keeps running on the version in force until the new one is signed by both."""
    _require(actor, "change", trajectory)
    if trajectory.status not in (TrajectoryStatus.AGREED, TrajectoryStatus.ACTIVE):
        raise ValidationError(_("Only an agreed or active plan gets a new version; a draft is changed in place."), code="not_agreed")
    old = trajectory.latest_plan()
    if old.is_draft:
        raise ValidationError(
            _("A new version of the plan is already being written: change that one, then agree on it."), code="revision_open"
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the change, for example “tempo verlaagd”.")}, code="reason_required")
    check_texts(PlanVersion, {"change_reason": reason.strip()}, keys={"change_reason": "reason"})
    data = {name: fields.get(name, getattr(old, name)) for name in PLAN_FIELDS}
    _validate_plan_fields(data)
    save_versioned(trajectory, expected_version=expected_version, update_fields=[])
    new = PlanVersion.objects.create(
        municipality_id=trajectory.municipality_id,
        trajectory=trajectory,
        number=old.number + 1,
        change_reason=reason.strip(),
        created_by=actor,
        agreed_on=None,
        **{name: value if value is not None else "" for name, value in data.items()},
    )
    copies = {}  # relation -> {old row id: its copy}; REVISION_COPIES lists goals before the rows linking to them
    for relation, fields in REVISION_COPIES.items():
        copies[relation] = {}
        for row in getattr(old, relation).all():
            links = {name: copies[target].get(getattr(row, f"{name}_id")) for name, target in REVISION_LINKS.get(relation, {}).items()}
            if relation in REVISION_ORIGINS:
                links[REVISION_ORIGINS[relation]] = row
            copies[relation][row.pk] = type(row).objects.create(
                municipality_id=new.municipality_id, plan=new, **{name: getattr(row, name) for name in fields}, **links
            )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=new, participant_id=trajectory.participant_id, detail={"reason": reason.strip()}
    )
    return new


@transaction.atomic
def plan_sign(*, actor, plan, party: str, method: str, signed_on, signer_name: str) -> Signature:
    """Record one side's signature on the current version. The participant signs in the portal
    themselves, or on paper (recorded by the consultant with the date). When both have signed,
    the trajectory becomes active."""
    trajectory = plan.trajectory
    _require(actor, "sign", trajectory)
    if is_participant(actor):
        # The participant signs for themselves, in the portal.
        if party != SignatureParty.PARTICIPANT or method != SignatureMethod.PORTAL:
            raise PermissionDenied
    elif method == SignatureMethod.PORTAL:
        raise ValidationError(_("Only the participant signs in the portal."), code="portal_only_participant")
    if plan.pk != trajectory.latest_plan().pk:
        raise ValidationError(_("Only the current version of the plan can be signed."), code="old_version")
    if trajectory.status not in (TrajectoryStatus.AGREED, TrajectoryStatus.ACTIVE) or plan.is_draft:
        raise ValidationError(_("The plan must be agreed before it is signed."), code="not_agreed")
    if plan.signatures.filter(party=party).exists():
        raise ValidationError(_("This side has already signed this version."), code="already_signed")
    if party not in SignatureParty.values:
        raise ValidationError({"party": _("Choose who signs.")})
    if not signed_on or signed_on > _today():
        raise ValidationError({"signed_on": _("The date of signing cannot be in the future.")})
    check_dates({"signed_on": (signed_on, CASE)})
    if not (signer_name or "").strip():
        raise ValidationError({"signer_name": _("Enter the name of the person who signed.")})
    check_texts(Signature, {"signer_name": signer_name.strip()})
    signature = Signature.objects.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        party=party,
        signer_name=signer_name.strip(),
        signed_on=signed_on,
        method=method,
        recorded_by=actor,
    )
    if set(plan.signatures.values_list("party", flat=True)) == set(SignatureParty.values):
        # Both sides signed: the trajectory runs. Based on the row as it is now (a signature is
        # no edit of the trajectory, so no stale-page check here), but bumped like every edit.
        current = Trajectory.objects.select_for_update().only("version").get(pk=trajectory.pk)
        trajectory.status, trajectory.started_on = TrajectoryStatus.ACTIVE, trajectory.started_on or signed_on
        save_versioned(trajectory, expected_version=current.version, update_fields=["status", "started_on"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=signature, participant_id=trajectory.participant_id)
    return signature


@transaction.atomic
def plan_handover_record(*, actor, plan, channel: str, handed_over_on) -> PlanHandover:
    """Record that the participant received a copy (the seeds: people signed plans they never got)."""
    trajectory = plan.trajectory
    _require(actor, "record_handover", trajectory)
    if is_participant(actor) and channel != HandoverChannel.PORTAL:
        raise PermissionDenied
    if trajectory.status == TrajectoryStatus.DRAFT or plan.is_draft:
        # A copy of a plan nobody agreed on is not the participant's plan: handing it over would
        # make the "not handed over" signal go quiet for the wrong document.
        raise ValidationError(
            _("This version of the plan has not been agreed yet. Record the hand-over of the copy once it has been agreed."),
            code="not_agreed",
        )
    if channel not in HandoverChannel.values:
        raise ValidationError({"channel": _("Choose how the copy was handed over.")})
    if not handed_over_on or handed_over_on > _today():
        raise ValidationError({"handed_over_on": _("The date of hand-over cannot be in the future.")})
    check_dates({"handed_over_on": (handed_over_on, CASE)})
    handover = PlanHandover.objects.create(
        municipality_id=plan.municipality_id, plan=plan, channel=channel, handed_over_on=handed_over_on, recorded_by=actor
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=handover, participant_id=trajectory.participant_id)
    return handover


@transaction.atomic
def agreement_set_status(*, actor, agreement, status: str, note: str, expected_version: int) -> Agreement:
    _require(actor, "change", agreement.plan.trajectory)
    if status not in AgreementStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status in (AgreementStatus.BROKEN, AgreementStatus.CANCELLED) and not (note or "").strip():
        raise ValidationError({"note": _("Explain what happened.")})
    check_texts(Agreement, {"status_note": (note or "").strip()}, keys={"status_note": "note"})
    agreement.status, agreement.status_note, agreement.status_changed_on = status, (note or "").strip(), _today()
    save_versioned(agreement, expected_version=expected_version, update_fields=["status", "status_note", "status_changed_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=agreement, participant_id=agreement.plan.trajectory.participant_id)
    return agreement


@transaction.atomic
def trajectory_close(
    *, actor, trajectory, conclusion: str, outcome: str, recommendation: str = "", submitted_on=None, expected_version: int
) -> EndReport:
    """Rule: a trajectory closes only with an end report with a conclusion and an outcome."""
    _require(actor, "change", trajectory)
    if trajectory.status == TrajectoryStatus.CLOSED:
        raise ValidationError(_("This trajectory is already closed."), code="closed")
    submitted_on = submitted_on or _today()
    errors = text_errors(EndReport, {"conclusion": (conclusion or "").strip(), "recommendation": (recommendation or "").strip()})
    errors.update(date_errors({"submitted_on": (submitted_on, CASE)}))
    if not (conclusion or "").strip():
        errors["conclusion"] = _("A trajectory closes only with an end report: write the conclusion.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome of the trajectory.")
    if submitted_on > _today():
        errors["submitted_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors, code="end_report_required")
    report = EndReport.objects.create(
        municipality_id=trajectory.municipality_id,
        trajectory=trajectory,
        submitted_on=submitted_on,
        conclusion=conclusion.strip(),
        outcome=outcome,
        recommendation=(recommendation or "").strip(),
        author=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, participant_id=trajectory.participant_id)
    # Open referrals end with the trajectory (same transaction): a referral left open would keep
    # the provider's access to the participant open for ever.
    referrals_close_with_trajectory(actor=actor, trajectory=trajectory, closed_on=submitted_on)
    trajectory.status, trajectory.closing_report, trajectory.ended_on = TrajectoryStatus.CLOSED, report, submitted_on
    save_versioned(trajectory, expected_version=expected_version, update_fields=["status", "closing_report", "ended_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=trajectory, detail={"status": TrajectoryStatus.CLOSED, "outcome": outcome})
    return report


def _breach_record(model, *, actor, trajectory, agreement, **details):
    """A sanction or a municipality's default: a row about a broken agreement of the trajectory.
    The agreement is marked broken, if it is not yet, based on the row as it is now (the form
    chose the agreement, it did not edit it)."""
    if agreement.status != AgreementStatus.BROKEN:
        agreement.status, agreement.status_changed_on = AgreementStatus.BROKEN, _today()
        save_versioned(agreement, expected_version=agreement.version, update_fields=["status", "status_changed_on"])
    row = model.objects.create(
        municipality_id=trajectory.municipality_id,
        participant=trajectory.participant,
        trajectory=trajectory,
        agreement=agreement,
        recorded_by=actor,
        **details,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


def _agreement_of(trajectory, agreement, party):
    if trajectory.status == TrajectoryStatus.CLOSED:
        raise ValidationError(_("This trajectory is closed: nothing can be recorded on its agreements any more."), code="closed")
    if agreement is None:
        raise ValidationError({"agreement": _("Choose the agreement this concerns.")}, code="agreement_required")
    if agreement.plan.trajectory_id != trajectory.pk or agreement.party != party:
        raise ValidationError({"agreement": _("Choose an agreement of this trajectory made by the right side.")}, code="wrong_agreement")
    if agreement.plan.is_draft:
        # Only a promise both sides agreed on can be held against either side.
        raise ValidationError(
            {
                "agreement": _(
                    "This agreement is part of a version that has not been agreed yet. Choose an agreement of the version in force."
                )
            },
            code="draft_agreement",
        )


@transaction.atomic
def sanction_record(*, actor, trajectory, agreement, reason: str, initiated_by: str, percentage: int, months: int, hearing_on) -> Sanction:
    """Rule: a sanction concerns a specific agreement of the participant, and the person is heard
    first (a hearing date is required). Percentage and months are as the ordinance sets them.
    This is the proposal: it counts as a sanction only once it is imposed (SANCTION_STEPS)."""
    _require(actor, "decide_sanction", trajectory)
    _agreement_of(trajectory, agreement, Party.PARTICIPANT)
    errors = text_errors(Sanction, {"reason": (reason or "").strip()})
    errors.update(date_errors({"hearing_on": (hearing_on, CASE)}))
    if initiated_by not in SanctionInitiator.values:
        errors["initiated_by"] = _("Choose who initiated the sanction.")
    if not hearing_on:
        errors["hearing_on"] = _("A sanction needs a hearing date: the participant is heard first.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason.")
    if percentage is None or not 1 <= percentage <= 100:
        errors["percentage"] = _("The reduction is a percentage from 1 to 100, as the municipal ordinance sets it.")
    if months is None or not 1 <= months <= 12:
        errors["months"] = _("Enter the number of months (1 to 12), as the municipal ordinance sets it.")
    if errors:
        raise ValidationError(errors)
    return _breach_record(
        Sanction,
        actor=actor,
        trajectory=trajectory,
        agreement=agreement,
        reason=reason.strip(),
        initiated_by=initiated_by,
        percentage=percentage,
        months=months,
        hearing_on=hearing_on,
    )


@transaction.atomic
def municipality_default_record(*, actor, trajectory, agreement, description: str, remedy: str, recorded_on=None) -> MunicipalityDefault:
    """The same rule the other way round: the municipality's broken agreement, with a remedy."""
    _require(actor, "change", trajectory)
    _agreement_of(trajectory, agreement, Party.MUNICIPALITY)
    errors = text_errors(MunicipalityDefault, {"description": (description or "").strip(), "remedy": (remedy or "").strip()})
    errors.update(date_errors({"recorded_on": (recorded_on, CASE)}))
    if not (description or "").strip():
        errors["description"] = _("Describe what the municipality did not do.")
    if not (remedy or "").strip():
        errors["remedy"] = _("Describe the remedy offered to the participant.")
    if errors:
        raise ValidationError(errors)
    return _breach_record(
        MunicipalityDefault,
        actor=actor,
        trajectory=trajectory,
        agreement=agreement,
        description=description.strip(),
        remedy=remedy.strip(),
        recorded_on=recorded_on or _today(),
    )


# --- the life of a sanction (maatregel, Participatiewet art. 18) -------------------------------
# proposed → hearing held → imposed or withdrawn; an imposed sanction may be objected to, and the
# decision on the objection either revokes it (upheld) or lets it stand (rejected). Each step is
# declared here once: the status it may follow and the status it leads to. Filing an objection
# changes no status (the sanction stands until the decision), so it follows IMPOSED to IMPOSED.
SANCTION_STEPS = {
    "hearing": (SanctionStatus.PROPOSED, SanctionStatus.HEARD),
    "impose": (SanctionStatus.HEARD, SanctionStatus.IMPOSED),
    "withdraw": (SanctionStatus.HEARD, SanctionStatus.WITHDRAWN),
    "objection": (SanctionStatus.IMPOSED, SanctionStatus.IMPOSED),
    "objection_decision": (SanctionStatus.IMPOSED, None),  # upheld → REVOKED, rejected → stays IMPOSED
}


def _objection_pending(sanction) -> bool:
    return sanction.objection_filed_on is not None and not sanction.objection_decision


def sanction_next_steps(sanction) -> list[str]:
    """The steps that may follow now, in the order of SANCTION_STEPS (the plan page shows their
    forms). An objection is filed once, and decided once."""
    steps = [name for name, (after, _to) in SANCTION_STEPS.items() if sanction.status == after]
    if "objection" in steps and sanction.objection_filed_on is not None:
        steps.remove("objection")
    if "objection_decision" in steps and not _objection_pending(sanction):
        steps.remove("objection_decision")
    return steps


def _step_date(value, field: str, *, not_before, not_before_label: str) -> None:
    """A step's date: given, not in the future, not before the step it follows."""
    if value is None:
        raise ValidationError({field: _("Enter a date.")}, code="date_required")
    if value > _today():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future_date")
    check_dates({field: (value, CASE)})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field: _("The date cannot be before %(what)s (%(date)s).")
                % {"what": not_before_label, "date": not_before.strftime("%d-%m-%Y")}
            },
            code="date_before",
        )


def _sanction_begin(step: str, *, actor, sanction) -> Sanction:
    """The sanction as it is now (locked, so two clicks cannot take the same step twice), after
    the permission check; refused when the step may not follow its status (SANCTION_STEPS)."""
    _require(actor, "decide_sanction", sanction.trajectory)
    current = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if step not in sanction_next_steps(current):
        raise ValidationError(
            _("This step is not possible while the sanction is “%(status)s”.") % {"status": current.get_status_display()},
            code="wrong_order",
        )
    return current


def _sanction_save(step: str, *, actor, current, status=None, **changes) -> Sanction:
    """Save the step: the status it leads to (or `status` when its outcome decides), its facts,
    and the audit event."""
    current.status = status or SANCTION_STEPS[step][1]
    for name, value in changes.items():
        setattr(current, name, value)
    current.save(update_fields=["status", *changes, "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, detail={"step": step, "status": current.status})
    return current


def sanction_proposed_on(sanction) -> dt.date:
    """When the sanction was proposed: the day it was recorded (for a row imported later, its
    planned hearing date if that is earlier)."""
    recorded = timezone.localdate(sanction.created_at) if sanction.created_at else sanction.hearing_on
    return min(recorded, sanction.hearing_on)


@transaction.atomic
def sanction_hearing_record(*, actor, sanction, held_on, notes: str) -> Sanction:
    """Hoorzitting: the participant was heard, on this date; what they said is recorded."""
    current = _sanction_begin("hearing", actor=actor, sanction=sanction)
    _step_date(held_on, "held_on", not_before=sanction_proposed_on(current), not_before_label=_("the proposal"))
    if not (notes or "").strip():
        raise ValidationError({"notes": _("Write down what the participant said at the hearing.")}, code="notes_required")
    check_texts(Sanction, {"hearing_notes": notes.strip()}, keys={"hearing_notes": "notes"})
    return _sanction_save("hearing", actor=actor, current=current, hearing_held_on=held_on, hearing_notes=notes.strip())


def _decision(step: str, *, actor, sanction, decided_on, reason: str) -> Sanction:
    current = _sanction_begin(step, actor=actor, sanction=sanction)
    _step_date(decided_on, "decided_on", not_before=current.hearing_held_on, not_before_label=_("the hearing"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")}, code="reason_required")
    check_texts(Sanction, {"decision_reason": reason.strip()}, keys={"decision_reason": "reason"})
    return _sanction_save(step, actor=actor, current=current, decided_on=decided_on, decision_reason=reason.strip())


@transaction.atomic
def sanction_impose(*, actor, sanction, decided_on, reason: str) -> Sanction:
    """After the hearing: the sanction is imposed (only now does it count as a sanction)."""
    return _decision("impose", actor=actor, sanction=sanction, decided_on=decided_on, reason=reason)


@transaction.atomic
def sanction_withdraw(*, actor, sanction, decided_on, reason: str) -> Sanction:
    """After the hearing: no sanction after all, with the reason."""
    return _decision("withdraw", actor=actor, sanction=sanction, decided_on=decided_on, reason=reason)


@transaction.atomic
def sanction_objection_file(*, actor, sanction, filed_on) -> Sanction:
    """Bezwaar: the participant objects to an imposed sanction; it stands until the decision."""
    current = _sanction_begin("objection", actor=actor, sanction=sanction)
    _step_date(filed_on, "filed_on", not_before=current.decided_on, not_before_label=_("the decision"))
    return _sanction_save("objection", actor=actor, current=current, objection_filed_on=filed_on)


@transaction.atomic
def sanction_objection_decide(*, actor, sanction, decision: str, decided_on, outcome: str) -> Sanction:
    """Beslissing op bezwaar: upheld revokes the sanction, rejected lets it stand."""
    current = _sanction_begin("objection_decision", actor=actor, sanction=sanction)
    if decision not in ObjectionDecision.values:
        raise ValidationError({"decision": _("Choose the decision on the objection.")}, code="decision_required")
    _step_date(decided_on, "decided_on", not_before=current.objection_filed_on, not_before_label=_("the objection"))
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Explain the decision on the objection.")}, code="outcome_required")
    check_texts(Sanction, {"objection_outcome": outcome.strip()}, keys={"objection_outcome": "outcome"})
    status = SanctionStatus.REVOKED if decision == ObjectionDecision.UPHELD else SanctionStatus.IMPOSED
    return _sanction_save(
        "objection_decision",
        actor=actor,
        current=current,
        status=status,
        objection_decision=decision,
        objection_decided_on=decided_on,
        objection_outcome=outcome.strip(),
    )


# --- the municipality's defaults: reported by the participant, answered and put right ----------


@transaction.atomic
def municipality_default_report(*, actor, trajectory, agreement, description: str) -> MunicipalityDefault:
    """The participant reports, in the portal, that the municipality did not keep one of its
    agreements in the plan in force. It waits for the consultant's answer; the agreement's status
    stays as it is until the consultant looks into it (a report is the participant's account)."""
    _require(actor, "report_default", trajectory)
    _agreement_of(trajectory, agreement, Party.MUNICIPALITY)
    in_force = trajectory.plan_in_force()
    if in_force is None or agreement.plan_id != in_force.pk:
        raise ValidationError({"agreement": _("Choose an agreement of the plan in force.")}, code="not_in_force")
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe what went wrong.")}, code="description_required")
    check_texts(MunicipalityDefault, {"description": description.strip()})
    if MunicipalityDefault.objects.filter(agreement=agreement, reported_by_participant=True, answered_on__isnull=True).exists():
        raise ValidationError(
            {"agreement": _("You already reported this agreement. Your consultant will answer that report first.")}, code="already_reported"
        )
    row = MunicipalityDefault.objects.create(
        municipality_id=trajectory.municipality_id,
        participant=trajectory.participant,
        trajectory=trajectory,
        agreement=agreement,
        description=description.strip(),
        recorded_on=_today(),
        reported_by_participant=True,
        recorded_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row)
    return row


def _default_locked(actor, default) -> MunicipalityDefault:
    _require(actor, "answer_default", default.trajectory)
    return MunicipalityDefault.objects.select_for_update().get(pk=default.pk)


@transaction.atomic
def municipality_default_answer(*, actor, default, answer: str, answered_on) -> MunicipalityDefault:
    """The consultant answers a default the participant reported; the participant reads the
    answer in the portal. Every report gets an answer, once."""
    current = _default_locked(actor, default)
    if not current.reported_by_participant:
        raise ValidationError(_("Only a default the participant reported needs an answer."), code="not_reported")
    if current.answered_on is not None:
        raise ValidationError(_("This report has already been answered."), code="answered")
    _step_date(answered_on, "answered_on", not_before=current.recorded_on, not_before_label=_("the report"))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write your answer to the participant.")}, code="answer_required")
    check_texts(MunicipalityDefault, {"answer": answer.strip()})
    current.answer, current.answered_on, current.answered_by = answer.strip(), answered_on, actor
    current.save(update_fields=["answer", "answered_on", "answered_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, detail={"step": "answer"})
    return current


@transaction.atomic
def municipality_default_resolve(*, actor, default, resolution: str, resolved_on) -> MunicipalityDefault:
    """The municipality put its default right: how, and from which date."""
    current = _default_locked(actor, default)
    if current.resolved_on is not None:
        raise ValidationError(_("This default has already been resolved."), code="resolved")
    if current.reported_by_participant and current.answered_on is None:
        raise ValidationError(_("Answer the participant's report first."), code="not_answered")
    _step_date(resolved_on, "resolved_on", not_before=current.recorded_on, not_before_label=_("the report"))
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Describe how the default was put right.")}, code="resolution_required")
    check_texts(MunicipalityDefault, {"resolution": resolution.strip()})
    current.resolution, current.resolved_on = resolution.strip(), resolved_on
    current.save(update_fields=["resolution", "resolved_on", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, detail={"step": "resolve"})
    return current
