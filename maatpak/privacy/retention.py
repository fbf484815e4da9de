"""Retention (bewaartermijnen): a participant's dossier is anonymised a number of years after its
last activity, per municipality (`Municipality.retention_years`), longer after a sanction
(`retention_years_after_sanction`, counted from the last sanction decision).

Anonymised means: the identity (name, client number, BSN, address, phone, e-mail; the date of
birth becomes 1 July of the birth year, as the history import does) and every free text are gone,
the portal account is deactivated and unlinked; dates, outcomes, codes, ladder rungs, scores,
trajectory types and the municipality stay, so the anonymous statistics (insights) still count the
person. `Participant.anonymised_on` marks it: never anonymised twice, never shown as a person
(`participants.policies.participants_in_relation` reaches no anonymised participant).

`DOSSIER_PARTS` is the one table of what a dossier consists of: per model, which dates count as
activity and which fields are free text or identifying. Every text field of every Maatpak model is
either in that table or in `NON_PERSONAL` with the reason (tests/privacy/test_retention.py walks
the models, so a new field must be classified before it can be released).

Run daily by `manage.py anonymise_expired_dossiers` (docs/operations.md).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, F, Max, Q, Value, When
from django.utils import timezone

from maatpak.accounts.models import Municipality, User
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.employers.models import Placement, PlacementFollowUp
from maatpak.insights.models import ImportedTrajectory
from maatpak.participants.models import (
    Benefit,
    BenefitType,
    ConsultantAssignment,
    Contact,
    DomainAssessment,
    Education,
    Exemption,
    LadderAssessment,
    Participant,
    ParticipantCompetence,
    SolAssessment,
    Wish,
    WorkExperience,
)
from maatpak.portal.models import (
    ChangeRequestStatus,
    ConsultantChangeRequest,
    FeedbackWeekCount,
    Message,
    PortalActivation,
    ReportReaction,
)
from maatpak.surveys.models import SurveyInvitation, SurveyResponse
from maatpak.trajectories.models import (
    OPEN_REFERRAL_STATUSES,
    Agreement,
    EndReport,
    Goal,
    GoalProgress,
    MunicipalityDefault,
    PlanHandover,
    PlanIdea,
    PlannedInstrument,
    PlanVersion,
    ProgressReport,
    Referral,
    ReportCopy,
    Sanction,
    SanctionStatus,
    Signature,
    Trajectory,
    TrajectoryStatus,
)

logger = logging.getLogger(__name__)

# What a free text becomes. Stored data, not a screen text: the municipality's language.
MARKER = "[geanonimiseerd]"
# The date of birth keeps its year only; 1 July is the year's middle (as in insights.history_import).
BIRTH_DAY_KEPT = (7, 1)
PURPOSE = "retention: dossier anonymised"
RUN_PURPOSE = "retention: expired dossiers anonymised"


def pseudonym(participant_id: int) -> str:
    """The client number an anonymised participant gets: unique, and says nothing about them."""
    return f"anon-{participant_id}"


@dataclass(frozen=True)
class Part:
    """One kind of row in a participant's dossier and what retention does with it.

    `participant` is the lookup from the model to its participant ("pk" for the participant);
    `activity` the dates (or date-times) that count as activity; `texts` free texts, replaced by
    MARKER when not empty; `cleared` identifying values, emptied (NULL, "" or {}); `pseudonym`
    fields that get the participant's pseudonym.
    """

    model: type[models.Model]
    participant: str
    activity: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    cleared: tuple[str, ...] = ()
    pseudonym: tuple[str, ...] = ()
    label: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "label", self.model._meta.label)

    def lookup(self, key: str) -> str:
        return key if self.participant == "pk" else f"{self.participant}__{key}"

    def rows(self, **participant_filter):
        """This model's rows of the participants matching `participant_filter` (a Participant lookup)."""
        if self.participant == "pk":
            return self.model._base_manager.filter(**participant_filter)
        return self.model._base_manager.filter(**{f"{self.participant}__{k}": v for k, v in participant_filter.items()})


DOSSIER_PARTS: tuple[Part, ...] = (
    Part(
        Participant,
        "pk",
        activity=("registered_on", "moved_away_on"),
        texts=("last_name",),
        cleared=(
            "first_name",
            "name_prefix",
            "email",
            "phone",
            "street",
            "postal_code",
            "city",
            "bsn_encrypted",
            "bsn_hash",
            "consultant",
            "user",
        ),
        pseudonym=("reference",),
    ),
    Part(Benefit, "participant", activity=("start_date", "end_date")),
    Part(Education, "participant", activity=("created_at",), texts=("name",), cleared=("institution",)),
    Part(WorkExperience, "participant", activity=("created_at",), texts=("job_title", "description"), cleared=("employer_name",)),
    Part(ParticipantCompetence, "participant", activity=("recorded_on",), texts=("evidence",)),
    Part(Wish, "participant", activity=("created_at",), texts=("text",)),
    Part(DomainAssessment, "participant", activity=("assessed_on",), texts=("note",)),
    Part(LadderAssessment, "participant", activity=("assessed_on",), texts=("note",)),
    Part(SolAssessment, "participant", activity=("assessed_on",), texts=("note",)),
    Part(ConsultantAssignment, "participant", activity=("start_date", "end_date"), texts=("reason",)),
    Part(Contact, "participant", activity=("occurred_on",), texts=("summary",)),
    Part(Exemption, "participant", activity=("start_date", "end_date"), texts=("reason",)),
    Part(Trajectory, "participant", activity=("started_on", "ended_on"), texts=("repeat_reason",)),
    Part(
        PlanVersion,
        "trajectory__participant",
        activity=("created_at", "agreed_on"),
        texts=("change_reason", "end_goal", "situation", "fallback_if_no_job", "education_plan"),
        cleared=("mentor",),
    ),
    Part(Goal, "plan__trajectory__participant", activity=("reached_on",), texts=("description", "measure")),
    Part(PlanIdea, "plan__trajectory__participant", texts=("idea", "response")),
    Part(PlannedInstrument, "plan__trajectory__participant", activity=("start_date", "end_date")),
    Part(Agreement, "plan__trajectory__participant", activity=("status_changed_on",), texts=("description", "status_note")),
    Part(Signature, "plan__trajectory__participant", activity=("signed_on",), cleared=("signer_name",)),
    Part(PlanHandover, "plan__trajectory__participant", activity=("handed_over_on",)),
    Part(
        Referral,
        "trajectory__participant",
        activity=("proposed_on", "responded_on", "intake_on", "started_on", "ended_on"),
        texts=("decline_reason", "shared_information"),
    ),
    Part(
        ProgressReport,
        "referral__trajectory__participant",
        activity=("submitted_on",),
        texts=("activities", "barriers", "next_steps", "participant_view"),
    ),
    Part(GoalProgress, "report__referral__trajectory__participant", texts=("note",)),
    Part(EndReport, "trajectory__participant", activity=("submitted_on",), texts=("conclusion", "recommendation")),
    Part(
        Sanction,
        "participant",
        activity=("hearing_held_on", "decided_on", "objection_filed_on", "objection_decided_on"),
        texts=("reason", "hearing_notes", "decision_reason", "objection_outcome"),
    ),
    Part(
        MunicipalityDefault,
        "participant",
        activity=("recorded_on", "answered_on", "resolved_on"),
        texts=("description", "remedy", "answer", "resolution"),
    ),
    Part(ReportCopy, "participant", activity=("made_available_on",)),
    Part(Placement, "participant", activity=("start_date", "end_date")),
    Part(PlacementFollowUp, "placement__participant", activity=("checked_on",), texts=("note",)),
    Part(ConsultantChangeRequest, "participant", activity=("created_at", "answered_on"), texts=("reason", "answer")),
    Part(Message, "participant", activity=("created_at",), texts=("subject", "body")),
    Part(ReportReaction, "participant", activity=("created_at",), texts=("text",)),
    # A code that can never match again: nobody opens a portal account on an anonymised dossier.
    Part(PortalActivation, "participant", activity=("created_at", "used_at"), cleared=("code_hash",)),
    # Sending anonymous feedback is no activity: counting it would link the person to it.
    Part(FeedbackWeekCount, "participant"),
    Part(SurveyInvitation, "participant", activity=("sent_on",)),
    # The answers stay for the survey's figures; unlinked, they are as anonymous as an anonymous survey's.
    Part(SurveyResponse, "invitation__participant", cleared=("invitation",)),
    # The old system's client number and the imported row identify the person; the trajectory stays.
    Part(ImportedTrajectory, "trajectory__participant", cleared=("row",), pseudonym=("participant_ref",)),
)

# The participant's portal account (accounts.User): deactivated, unlinked, its names emptied.
PORTAL_ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "password")

# Text fields kept as they are, with the reason. A "app.Model" key covers the whole model.
# Fields with `choices` are codes, never free text, and are kept without being listed here.
NON_PERSONAL = {
    "accounts.ServiceOrganisation": "an organisation, not a person",
    "accounts.Municipality": "the tenant, not a person",
    "accounts.Team": "a team of staff, not a participant",
    "accounts.User": "staff accounts are not dossiers; a participant's account: PORTAL_ACCOUNT_FIELDS",
    "api.ApiKey": "a system's key for the API, held by an organisation, not a person",
    "audit.AuditEvent": "the audit log is append-only and has its own retention (audit_purge); it holds no content",
    "participants.Competence": "the municipality's catalogue of competences",
    "participants.LadderDefinition": "the ladder's definition, the same for everyone",
    "participants.LadderAssessment.answers": "yes/no answers that lead to the rung, which the statistics keep",
    "providers.Provider": "an organisation (its contact address is the organisation's)",
    "providers.Contract": "a contract between organisations",
    "employers.Employer": "a business partner and its contact at the employer, not a participant",
    "employers.Vacancy": "a vacancy, not a person",
    "trajectories.Instrument": "the municipality's catalogue of instruments",
    "trajectories.PlannedInstrument.serves_barrier": "a life-domain code, kept for the statistics",
    "trajectories.ReportCopy.channel": "a channel code",
    "surveys.Survey": "a questionnaire, not a person",
    "surveys.SurveyInvitation.token_hash": "a hash of a one-time token, saying nothing about the person",
    "surveys.SurveyInvitation.channel": "a channel code",
    "surveys.SurveyResponse.answers": "kept for the survey's figures; the response is unlinked from the invitation",
    "surveys.SurveyResponse.week": "an ISO week, as for anonymous responses",
    "surveys.AnonymousFeedback": "anonymous by design: no link to any person",
    "portal.FeedbackWeekCount.week": "an ISO week with a count of anonymous reactions, deleted when its quarter ends",
    "insights.ImportedTrajectory.instrument_code": "an instrument code",
    "insights.ImportedTrajectory.source_file": "the name of the file imported, not a person",
    "insights.ChecklistQuestion": "a council's question about policy, answered with aggregate figures; no person",
}

# A dossier with one of these stays open, whatever its dates: its retention has not begun.
OPEN_WHEN = (
    (Benefit, "participant", Q(end_date__isnull=True) & ~Q(type=BenefitType.NONE)),  # a running benefit
    (Trajectory, "participant", ~Q(status=TrajectoryStatus.CLOSED)),
    (Referral, "trajectory__participant", Q(status__in=OPEN_REFERRAL_STATUSES)),
    # A sanction not yet decided, or an objection not yet decided.
    (Sanction, "participant", Q(status__in=(SanctionStatus.PROPOSED, SanctionStatus.HEARD))),
    (Sanction, "participant", Q(objection_filed_on__isnull=False, objection_decided_on__isnull=True)),
    (ConsultantChangeRequest, "participant", Q(status=ChangeRequestStatus.OPEN)),
)


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _latest_per_participant(queryset, participant: str, fields) -> dict[int, dt.date]:
    """{participant id: latest of `fields`} over `queryset`, one grouped query."""
    latest: dict[int, dt.date] = {}
    names = {f"latest_{i}": name for i, name in enumerate(fields)}
    # order_by() drops the model's ordering, which would otherwise split the groups.
    rows = queryset.order_by().values(participant).annotate(**{alias: Max(name) for alias, name in names.items()})
    for row in rows:
        dates = [_as_date(row[alias]) for alias in names if row[alias] is not None]
        if dates:
            pid = row[participant]
            latest[pid] = max([*dates, latest[pid]]) if pid in latest else max(dates)
    return latest


def _candidates(municipality=None, participant_ids=None) -> dict:
    """The Participant lookup of the dossiers retention looks at: not anonymised yet, of one
    municipality or of the given participants."""
    lookup = {"anonymised_on__isnull": True}
    if municipality is not None:
        lookup["municipality"] = municipality
    if participant_ids is not None:
        lookup["pk__in"] = list(participant_ids)
    return lookup


def last_activity(*, municipality=None, participant_ids=None) -> dict[int, dt.date]:
    """The date of each dossier's last activity: the latest of the dates `DOSSIER_PARTS` names
    (registration, benefits, assessments, contacts, plan versions and signatures, referrals and
    reports, sanction steps, defaults, placements and follow-ups, messages, requests, wishes,
    survey invitations…). Reading a dossier or logging in is not activity."""
    candidates = _candidates(municipality, participant_ids)
    latest: dict[int, dt.date] = {}
    for part in DOSSIER_PARTS:
        if not part.activity:
            continue
        key = part.lookup("id") if part.participant != "pk" else "pk"
        for pid, day in _latest_per_participant(part.rows(**candidates), key, part.activity).items():
            latest[pid] = max(day, latest.get(pid, day))
    return latest


def last_sanction_decision(*, municipality=None, participant_ids=None) -> dict[int, dt.date]:
    """The date of each dossier's last sanction decision ("after a sanction"): any sanction
    decided (imposed or withdrawn), or its objection decided."""
    sanctions = Sanction.objects.filter(
        decided_on__isnull=False, **{f"participant__{k}": v for k, v in _candidates(municipality, participant_ids).items()}
    )
    return _latest_per_participant(sanctions, "participant_id", ("decided_on", "objection_decided_on"))


def open_dossiers(*, municipality=None, participant_ids=None) -> set[int]:
    """The dossiers still open (`OPEN_WHEN`): their retention has not begun."""
    candidates = _candidates(municipality, participant_ids)
    found: set[int] = set()
    for model, participant, condition in OPEN_WHEN:
        rows = model._base_manager.filter(condition, **{f"{participant}__{k}": v for k, v in candidates.items()})
        found.update(rows.order_by().values_list(f"{participant}__id", flat=True).distinct())
    return found


def retention_end(*, municipality, last_activity_on: dt.date, last_sanction_on: dt.date | None) -> dt.date:
    """The day a closed dossier is anonymised: `retention_years` after its last activity or, when
    later, `retention_years_after_sanction` after its last sanction decision. A sanction never
    shortens the term."""
    end = last_activity_on + relativedelta(years=municipality.retention_years)
    if last_sanction_on is not None:
        end = max(end, last_sanction_on + relativedelta(years=municipality.retention_years_after_sanction))
    return end


def expired_participants(*, municipality, today: dt.date, participant_ids=None) -> list[int]:
    """The ids of the municipality's dossiers whose retention ended on or before `today`: closed,
    not anonymised yet. Set-based: one grouped query per dossier part."""
    activity = last_activity(municipality=municipality, participant_ids=participant_ids)
    sanctions = last_sanction_decision(municipality=municipality, participant_ids=participant_ids)
    still_open = open_dossiers(municipality=municipality, participant_ids=participant_ids)
    return sorted(
        pid
        for pid, day in activity.items()
        if pid not in still_open
        and retention_end(municipality=municipality, last_activity_on=day, last_sanction_on=sanctions.get(pid)) <= today
    )


def _values_for(part: Part, participant: Participant, now) -> dict:
    values = {}
    for name in part.texts:
        values[name] = Case(When(**{name: ""}, then=Value("")), default=Value(MARKER))
    for name in part.cleared:
        model_field = part.model._meta.get_field(name)
        values[name] = None if model_field.null else model_field.get_default()
    for name in part.pseudonym:
        values[name] = pseudonym(participant.pk)
    model_fields = {f.name for f in part.model._meta.concrete_fields}
    if "version" in model_fields:
        values["version"] = F("version") + 1  # an edit form still open is now stale
    if "updated_at" in model_fields:
        values["updated_at"] = now
    return values


def _anonymise_portal_account(user_id: int) -> None:
    """Deactivated, never deleted (its audit events keep naming who acted): no password, no
    names, a user name that says nothing. A new password hash also ends its sessions."""
    User.objects.filter(pk=user_id).update(
        is_active=False, username=f"anon-user-{user_id}", first_name="", last_name="", email="", password=make_password(None)
    )


@transaction.atomic
def anonymise_participant(*, participant_id: int, today: dt.date) -> int | None:
    """Anonymise one dossier whose retention ended (see the module docstring). Checks again under
    a row lock, so a dossier that got new activity, or that another run did first, is left alone
    (None). Returns the number of rows changed. Audit-logged, linked to the participant."""
    participant = Participant.objects.select_for_update().filter(pk=participant_id, anonymised_on__isnull=True).first()
    if participant is None or participant_id not in expired_participants(
        municipality=participant.municipality, today=today, participant_ids=[participant_id]
    ):
        return None
    now = timezone.now()
    changed = 0
    admin_log = Q(pk__in=[])
    for part in DOSSIER_PARTS:
        rows = part.rows(pk=participant.pk)
        pks = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if not pks:
            continue
        if part.texts or part.cleared or part.pseudonym:
            changed += part.model._base_manager.filter(pk__in=pks).update(**_values_for(part, participant, now))
        admin_log |= Q(content_type=ContentType.objects.get_for_model(part.model), object_id__in=pks)
    # The admin's history shows each object by its name (str): the name and texts go there too.
    LogEntry.objects.filter(admin_log).update(object_repr=MARKER)
    Participant.objects.filter(pk=participant.pk).update(
        birth_date=dt.date(participant.birth_date.year, *BIRTH_DAY_KEPT), anonymised_on=today
    )
    if participant.user_id is not None:
        _anonymise_portal_account(participant.user_id)
    audit_record(
        actor=None,
        action=AuditAction.DELETE,
        obj=participant,
        purpose=PURPOSE,
        detail={"rows": changed, "portal_account_deactivated": participant.user_id is not None},
    )
    return changed


@dataclass
class RetentionRun:
    """What one run did for one municipality: counts only, never names."""

    municipality: Municipality
    expired: int = 0
    anonymised: int = 0
    skipped: int = 0
    failed: int = 0
    rows: int = 0

    def as_detail(self, today: dt.date, dry_run: bool) -> dict:
        return {
            "today": today.isoformat(),
            "dry_run": dry_run,
            "retention_years": self.municipality.retention_years,
            "retention_years_after_sanction": self.municipality.retention_years_after_sanction,
            "expired": self.expired,
            "anonymised": self.anonymised,
            "skipped": self.skipped,
            "failed": self.failed,
            "rows": self.rows,
        }


def anonymise_expired(*, today: dt.date | None = None, dry_run: bool = False, municipalities=None) -> list[RetentionRun]:
    """Anonymise every dossier whose retention ended, municipality by municipality, each dossier
    in its own transaction (one that fails is logged and counted; the others go on). A dry run
    only counts. Each municipality's run is one audit event (counts, no names) and a log line."""
    today = today or timezone.localdate()
    runs = []
    for municipality in municipalities if municipalities is not None else Municipality.objects.order_by("code"):
        run = RetentionRun(municipality)
        expired = expired_participants(municipality=municipality, today=today)
        run.expired = len(expired)
        if not dry_run:
            for participant_id in expired:
                try:
                    changed = anonymise_participant(participant_id=participant_id, today=today)
                except Exception:
                    run.failed += 1
                    logger.exception("retention: participant %s of %s could not be anonymised", participant_id, municipality.code)
                    continue
                if changed is None:
                    run.skipped += 1
                else:
                    run.anonymised += 1
                    run.rows += changed
            audit_record(
                actor=None,
                action=AuditAction.DELETE,
                municipality_id=municipality.pk,
                purpose=RUN_PURPOSE,
                detail=run.as_detail(today, dry_run),
            )
        logger.info(
            "retention %s%s: %s expired, %s anonymised (%s rows), %s skipped, %s failed",
            municipality.code,
            " (dry run)" if dry_run else "",
            run.expired,
            run.anonymised,
            run.rows,
            run.skipped,
            run.failed,
        )
        runs.append(run)
    return runs
