"""The right of access (inzage, AVG art. 15): everything Maatpak holds about one participant,
and which organisations and roles looked at their file.

One collector feeds the participant's page in the portal, the privacy officer's page for a
written request, the JSON download and the PDF (`privacy.subject_access_pdf`), so the four can
never disagree. The data is a list of sections, one per kind of data (personal details,
assessments, plans, reports, sanctions, messages, ...); `SECTIONS` names, per section, the models
it covers and the fields it shows, each under a stable JSON key (documented in
docs/guide-privacy-officer.md). `tests/privacy/test_subject_access_completeness.py` walks every
model that points at a participant (directly or through a trajectory, plan, referral, report or
placement) and fails unless it is covered here or listed in `EXCLUDED` with a reason.

Decisions:
- The BSN is shown masked (only the last three digits), also in the downloads: the participant
  knows their own number, and a file that travels (e-mail, a printer) should not carry it.
- Staff names are left out of the content (authors, who recorded what), except the participant's
  own consultants and the names on signatures, which the participant already knows. Who looked
  at the file is given as organisation and role, never as a person (the AVG gives the
  recipients or categories of recipients; the privacy of staff counts too).
- Draft plan versions are included and marked as drafts: they are data about the participant
  even before the participant agreed to them.
- Anonymous feedback to the client council is not linked to anyone, so it cannot be shown; the
  page says so (`NOT_LINKED`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.employers.models import Placement, PlacementFollowUp
from maatpak.insights.models import ImportedTrajectory
from maatpak.participants.models import (
    Benefit,
    ConsultantAssignment,
    Contact,
    Domain,
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
from maatpak.portal.models import ConsultantChangeRequest, FeedbackWeekCount, Message, PortalActivation, ReportReaction
from maatpak.privacy.policies import subject_access_policy
from maatpak.surveys.models import SurveyInvitation, SurveyResponse
from maatpak.trajectories.models import (
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
    ReportKind,
    Sanction,
    Signature,
    Trajectory,
)

# The version of the JSON layout; raise it when a key changes meaning or disappears.
JSON_FORMAT = "maatpak-inzage"
JSON_VERSION = 1


# --- the data sections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One item of a record, under a stable JSON `key`.

    `path` is a dotted attribute path from the row (default: `key`); `get` computes the value
    instead. The label defaults to the model field's verbose name. A field with choices (the
    model field's, or `choices` for a computed code) also gets `<key>_label` in the JSON (its
    text); `money` fields hold cents."""

    key: str
    label: str | Promise = ""
    path: str = ""
    get: Callable | None = None
    money: bool = False
    choices: type[models.TextChoices] | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    models: tuple[type[models.Model], ...]
    rows: Callable[[Participant], Iterable[models.Model]]
    fields: tuple[Field, ...]
    note: Promise | str = ""
    # Fields of the model deliberately not shown, with the reason (besides LEFT_OUT_FIELDS).
    left_out: dict[str, str] = field(default_factory=dict)

    def model_field(self, item: Field):
        """The model field `item.path` ends in, or None (a property or a computed value)."""
        if item.get is not None:
            return None
        model = self.models[0]
        parts = (item.path or item.key).split(".")
        try:
            for part in parts[:-1]:
                model = model._meta.get_field(part).related_model
            return model._meta.get_field(parts[-1])
        except (FieldDoesNotExist, AttributeError):
            return None

    def label(self, item: Field) -> str:
        if item.label:
            return str(item.label)
        model_field = self.model_field(item)
        if model_field is None:
            raise ValueError(f"{self.key}.{item.key} needs a label")
        return str(model_field.verbose_name)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _plan_draft(plan: PlanVersion) -> bool:
    return plan.is_draft


def _rung_label(assessment: LadderAssessment) -> str:
    return assessment.definition.label(assessment.rung)


def _report_kind(row) -> str:
    """A copy of, or a reaction to, a progress report or an end report."""
    return ReportKind.END if row.end_report_id else ReportKind.PROGRESS


def _report_of(row):
    return row.progress_report or row.end_report


def _provider_of_end_report(report: EndReport) -> str:
    return report.referral.provider.name if report.referral_id else ""


@dataclass(frozen=True)
class _Total:
    count: int


def _feedback_count_rows(participant) -> list[_Total]:
    """The anonymous-feedback counter as one total, without its weeks: the council sees each
    reaction's week, so a count per week next to it could point at the reactions themselves."""
    total = FeedbackWeekCount.objects.filter(participant=participant).aggregate(total=models.Sum("count"))["total"]
    return [_Total(total)] if total else []


def _sections() -> tuple[Section, ...]:
    trajectory_id = Field("trajectory_id", _("trajectory number"))
    plan_number = Field("plan_version", _("plan version"), path="plan.number")
    plan_trajectory = Field("trajectory_id", _("trajectory number"), path="plan.trajectory_id")
    return (
        Section(
            "personal_details",
            _("Personal details"),
            (Participant,),
            lambda p: [p],
            (
                Field("client_number", _("client number"), path="reference"),
                Field("bsn_masked", _("BSN (only the last three digits)"), path="bsn_masked"),
                Field("first_name"),
                Field("name_prefix"),
                Field("last_name"),
                Field("birth_date"),
                Field("sex"),
                Field("email"),
                Field("phone"),
                Field("street"),
                Field("postal_code"),
                Field("city"),
                Field("education_level"),
                Field("municipality", _("municipality"), path="municipality.name"),
                Field("registered_on"),
                Field("moved_away_on"),
                Field("consultant", _("consultant"), get=lambda p: _name(p.consultant)),
                Field("portal_user_name", _("user name for Mijn Maatpak"), path="user.username"),
                Field("portal_last_login", _("last log-in to Mijn Maatpak"), path="user.last_login"),
            ),
            left_out={
                "bsn_encrypted": "the BSN is shown masked (bsn_masked)",
                "bsn_hash": "the BSN is shown masked (bsn_masked)",
                "anonymised_on": "an anonymised participant's file is no longer reachable, so this is always empty here",
            },
        ),
        Section(
            "benefits",
            _("Benefits"),
            (Benefit,),
            lambda p: p.benefits.order_by("-start_date"),
            (Field("type"), Field("start_date"), Field("end_date"), Field("monthly_amount_cents", money=True), Field("end_reason")),
        ),
        Section(
            "education",
            _("Education and courses"),
            (Education,),
            lambda p: p.educations.order_by("-year", "-id"),
            (Field("name"), Field("level"), Field("institution"), Field("completed"), Field("year")),
        ),
        Section(
            "work_experience",
            _("Work experience"),
            (WorkExperience,),
            lambda p: p.work_experiences.order_by("-start_date", "-id"),
            (Field("job_title"), Field("employer_name"), Field("start_date"), Field("end_date"), Field("description")),
        ),
        Section(
            "competences",
            _("Competences"),
            (ParticipantCompetence,),
            lambda p: p.competences.select_related("competence").order_by("competence__name"),
            (Field("competence", _("competence"), path="competence.name"), Field("level"), Field("evidence"), Field("recorded_on")),
        ),
        Section(
            "wishes",
            _("Wishes, ambitions and ideas"),
            (Wish,),
            lambda p: p.wishes.order_by("-created_at"),
            (Field("kind"), Field("text"), Field("source"), Field("recorded_at", _("recorded on"), path="created_at")),
        ),
        Section(
            "domain_assessments",
            _("Assessments per life domain"),
            (DomainAssessment,),
            lambda p: p.domain_assessments.order_by("-assessed_on", "-id"),
            (Field("assessed_on"), Field("domain"), Field("score"), Field("note")),
        ),
        Section(
            "ladder_assessments",
            _("Participation ladder"),
            (LadderAssessment,),
            lambda p: p.ladder_assessments.select_related("definition").order_by("-assessed_on", "-id"),
            (
                Field("assessed_on"),
                Field("rung"),
                Field("rung_label", _("current rung in words"), get=_rung_label),
                Field("potential_rung"),
                Field("answers"),
                Field("note"),
                Field("ladder_definition", _("ladder definition"), path="definition.name"),
            ),
        ),
        Section(
            "sol_assessments",
            _("Sol group (distance to work)"),
            (SolAssessment,),
            lambda p: p.sol_assessments.order_by("-assessed_on", "-id"),
            (Field("assessed_on"), Field("group"), Field("note")),
        ),
        Section(
            "consultant_assignments",
            _("Your consultants"),
            (ConsultantAssignment,),
            lambda p: p.consultant_assignments.select_related("consultant").order_by("-start_date", "-id"),
            (
                Field("consultant", _("consultant"), get=lambda a: _name(a.consultant)),
                Field("start_date"),
                Field("end_date"),
                Field("reason"),
            ),
        ),
        Section(
            "contacts",
            _("Contacts with the municipality"),
            (Contact,),
            lambda p: p.contacts.order_by("-occurred_on", "-id"),
            (Field("occurred_on"), Field("channel"), Field("summary")),
        ),
        Section(
            "exemptions",
            _("Exemptions"),
            (Exemption,),
            lambda p: p.exemptions.order_by("-start_date"),
            (Field("start_date"), Field("end_date"), Field("reason")),
        ),
        Section(
            "trajectories",
            _("Trajectories"),
            (Trajectory,),
            lambda p: p.trajectories.select_related("consultant").order_by("-started_on", "-id"),
            (
                Field("trajectory_id", _("trajectory number"), path="pk"),
                Field("status"),
                Field("started_on"),
                Field("ended_on"),
                Field("consultant", _("consultant"), get=lambda t: _name(t.consultant)),
                Field("previous_trajectory_id", _("previous trajectory"), path="previous_id"),
                Field("repeat_reason"),
            ),
            left_out={"closing_report": "the end report that closed it is under end_reports"},
        ),
        Section(
            "plan_versions",
            _("Plans (every version)"),
            (PlanVersion,),
            lambda p: (
                PlanVersion.objects.filter(trajectory__participant=p).select_related("trajectory").order_by("trajectory_id", "number")
            ),
            (
                trajectory_id,
                Field("number"),
                Field("is_draft", _("still a draft"), get=_plan_draft),
                Field("agreed_on"),
                Field("created_at", _("made on"), path="created_at"),
                Field("change_reason"),
                Field("end_goal_kind"),
                Field("end_goal"),
                Field("situation"),
                Field("planned_start"),
                Field("planned_end"),
                Field("fallback_if_no_job"),
                Field("education_plan"),
                Field("mentor"),
            ),
            note=_("A version that is still a draft is not yet agreed with you."),
        ),
        Section(
            "goals",
            _("Goals in your plan"),
            (Goal,),
            lambda p: (
                Goal.objects.filter(plan__trajectory__participant=p)
                .select_related("plan")
                .order_by("plan__trajectory_id", "plan__number", "target_date", "id")
            ),
            (
                plan_trajectory,
                plan_number,
                Field("kind"),
                Field("description"),
                Field("measure"),
                Field("target_date"),
                Field("status"),
                Field("reached_on"),
            ),
            left_out={
                "status_from_progress": "a technical link to the progress report that proposed the status (under goal_progress)",
                "copied_from": "a technical link to the same goal in the previous plan version",
            },
        ),
        Section(
            "plan_ideas",
            _("Your own ideas in the plan"),
            (PlanIdea,),
            lambda p: (
                PlanIdea.objects.filter(plan__trajectory__participant=p)
                .select_related("plan")
                .order_by("plan__trajectory_id", "plan__number", "id")
            ),
            (plan_trajectory, plan_number, Field("idea"), Field("supported"), Field("response")),
            left_out={"wish": "the idea itself is shown; the wish it came from is under wishes"},
        ),
        Section(
            "planned_instruments",
            _("Help in your plan (instruments)"),
            (PlannedInstrument,),
            lambda p: (
                PlannedInstrument.objects.filter(plan__trajectory__participant=p)
                .select_related("plan", "instrument", "provider", "serves_goal")
                .order_by("plan__trajectory_id", "plan__number", "start_date", "id")
            ),
            (
                plan_trajectory,
                plan_number,
                Field("instrument", _("instrument"), path="instrument.name"),
                Field("provider", _("provider"), path="provider.name"),
                Field("start_date"),
                Field("end_date"),
                Field("cost_cents", money=True),
                Field("serves_goal", _("serves the goal"), path="serves_goal.description"),
                Field("serves_barrier", choices=Domain),
            ),
        ),
        Section(
            "agreements",
            _("Agreements (yours and the municipality's)"),
            (Agreement,),
            lambda p: (
                Agreement.objects.filter(plan__trajectory__participant=p)
                .select_related("plan")
                .order_by("plan__trajectory_id", "plan__number", "deadline", "id")
            ),
            (
                plan_trajectory,
                plan_number,
                Field("party"),
                Field("description"),
                Field("deadline"),
                Field("status"),
                Field("status_note"),
                Field("status_changed_on"),
            ),
        ),
        Section(
            "signatures",
            _("Signatures"),
            (Signature,),
            lambda p: (
                Signature.objects.filter(plan__trajectory__participant=p)
                .select_related("plan")
                .order_by("plan__trajectory_id", "plan__number", "party")
            ),
            (plan_trajectory, plan_number, Field("party"), Field("signer_name"), Field("signed_on"), Field("method")),
        ),
        Section(
            "plan_handovers",
            _("Copies of your plan handed over"),
            (PlanHandover,),
            lambda p: (
                PlanHandover.objects.filter(plan__trajectory__participant=p).select_related("plan").order_by("-handed_over_on", "-id")
            ),
            (plan_trajectory, plan_number, Field("handed_over_on"), Field("channel")),
        ),
        Section(
            "referrals",
            _("Referrals to providers, and what was shared with them"),
            (Referral,),
            lambda p: Referral.objects.filter(trajectory__participant=p).select_related("provider").order_by("-proposed_on", "-id"),
            (
                trajectory_id,
                Field("provider", _("provider"), path="provider.name"),
                Field("status"),
                Field("proposed_on"),
                Field("responded_on"),
                Field("decline_reason"),
                Field("intake_on"),
                Field("started_on"),
                Field("ended_on"),
                Field("shared_information"),
            ),
            left_out={"contract": "the municipality's contract with the provider: not data about the participant"},
        ),
        Section(
            "progress_reports",
            _("Progress reports"),
            (ProgressReport,),
            lambda p: (
                ProgressReport.objects.filter(referral__trajectory__participant=p)
                .select_related("referral__provider")
                .order_by("-submitted_on", "-id")
            ),
            (
                Field("provider", _("provider"), path="referral.provider.name"),
                Field("due_on"),
                Field("submitted_on"),
                Field("activities"),
                Field("attendance"),
                Field("proposed_rung"),
                Field("barriers"),
                Field("next_steps"),
                Field("participant_view"),
                Field("participant_saw_report"),
            ),
        ),
        Section(
            "goal_progress",
            _("Progress on your goals, per progress report"),
            (GoalProgress,),
            lambda p: (
                GoalProgress.objects.filter(report__referral__trajectory__participant=p)
                .select_related("report", "goal")
                .order_by("-report__submitted_on", "id")
            ),
            (
                Field("report_submitted_on", _("report of"), path="report.submitted_on"),
                Field("goal", _("goal"), path="goal.description"),
                Field("level"),
                Field("note"),
            ),
        ),
        Section(
            "end_reports",
            _("End reports"),
            (EndReport,),
            lambda p: (
                EndReport.objects.filter(trajectory__participant=p).select_related("referral__provider").order_by("-submitted_on", "-id")
            ),
            (
                trajectory_id,
                Field("provider", _("provider"), get=_provider_of_end_report),
                Field("due_on"),
                Field("submitted_on"),
                Field("conclusion"),
                Field("outcome"),
                Field("recommendation"),
            ),
            left_out={"referral": "its provider is shown"},
        ),
        Section(
            "report_copies",
            _("Copies of reports made available to you"),
            (ReportCopy,),
            lambda p: p.report_copies.select_related("progress_report", "end_report").order_by("-made_available_on", "-id"),
            (
                Field("report_kind", _("kind of report"), get=_report_kind, choices=ReportKind),
                Field("report_submitted_on", _("report of"), get=lambda c: _report_of(c).submitted_on),
                Field("made_available_on"),
                Field("channel"),
                Field("first_viewed_on"),
                Field("downloaded_on"),
            ),
            left_out={
                "progress_report": "the kind and date of the report are shown",
                "end_report": "the kind and date of the report are shown",
            },
        ),
        Section(
            "report_reactions",
            _("Your reactions to reports"),
            (ReportReaction,),
            lambda p: p.report_reactions.select_related("progress_report", "end_report").order_by("created_at"),
            (
                Field("report_kind", _("kind of report"), get=_report_kind, choices=ReportKind),
                Field("report_submitted_on", _("report of"), get=lambda r: _report_of(r).submitted_on),
                Field("written_at", _("written on"), path="created_at"),
                Field("text"),
            ),
            left_out={
                "progress_report": "the kind and date of the report are shown",
                "end_report": "the kind and date of the report are shown",
            },
        ),
        Section(
            "sanctions",
            _("Sanctions and the decisions on them"),
            (Sanction,),
            lambda p: p.sanctions.select_related("agreement").order_by("-hearing_on", "-id"),
            (
                trajectory_id,
                Field("agreement", _("agreement concerned"), path="agreement.description"),
                Field("status"),
                Field("reason"),
                Field("initiated_by"),
                Field("percentage"),
                Field("months"),
                Field("hearing_on"),
                Field("hearing_held_on"),
                Field("hearing_notes"),
                Field("decided_on"),
                Field("decision_reason"),
                Field("objection_filed_on"),
                Field("objection_decided_on"),
                Field("objection_decision"),
                Field("objection_outcome"),
            ),
        ),
        Section(
            "municipality_defaults",
            _("Promises the municipality did not keep"),
            (MunicipalityDefault,),
            lambda p: p.municipality_defaults.select_related("agreement").order_by("-recorded_on", "-id"),
            (
                trajectory_id,
                Field("agreement", _("agreement concerned"), path="agreement.description"),
                Field("recorded_on"),
                Field("reported_by_participant"),
                Field("description"),
                Field("answered_on"),
                Field("answer"),
                Field("remedy"),
                Field("resolved_on"),
                Field("resolution"),
            ),
        ),
        Section(
            "placements",
            _("Work, school and volunteering (placements)"),
            (Placement,),
            lambda p: p.placements.select_related("employer", "vacancy").order_by("-start_date", "-id"),
            (
                Field("placement_id", _("placement number"), path="pk"),
                Field("kind"),
                Field("employer", _("employer"), path="employer.name"),
                Field("vacancy", _("vacancy"), path="vacancy.title"),
                Field("start_date"),
                Field("end_date"),
                Field("end_reason"),
                Field("hours_per_week"),
                trajectory_id,
            ),
        ),
        Section(
            "placement_follow_ups",
            _("Follow-up checks after a placement"),
            (PlacementFollowUp,),
            lambda p: PlacementFollowUp.objects.filter(placement__participant=p).order_by("placement_id", "months"),
            (
                Field("placement_id", _("placement number")),
                Field("months"),
                Field("due_on"),
                Field("checked_on"),
                Field("still_working"),
                Field("hours_per_week"),
                Field("support_needed"),
                Field("note"),
            ),
        ),
        Section(
            "messages",
            _("Messages between you and your consultant"),
            (Message,),
            lambda p: p.messages.order_by("-created_at", "-id"),
            (Field("sent_at", _("sent on"), path="created_at"), Field("direction"), Field("subject"), Field("body"), Field("read_on")),
        ),
        Section(
            "change_requests",
            _("Requests for another consultant"),
            (ConsultantChangeRequest,),
            lambda p: p.consultant_change_requests.order_by("-created_at", "-id"),
            (
                Field("asked_at", _("asked on"), path="created_at"),
                Field("consultant", _("consultant at the time"), get=lambda r: _name(r.consultant)),
                Field("reason"),
                Field("status"),
                Field("answer"),
                Field("answered_on"),
            ),
        ),
        Section(
            "survey_invitations",
            _("Invitations to questionnaires"),
            (SurveyInvitation,),
            lambda p: p.survey_invitations.select_related("survey").order_by("-sent_on", "-id"),
            (Field("survey", _("questionnaire"), path="survey.title"), Field("sent_on"), Field("channel"), Field("responded")),
            left_out={"token_hash": "a secret: only its hash is stored, and it opens the questionnaire"},
        ),
        Section(
            "survey_answers",
            _("Your answers to questionnaires that are not anonymous"),
            (SurveyResponse,),
            lambda p: SurveyResponse.objects.filter(invitation__participant=p).select_related("survey").order_by("-week", "-id"),
            (
                Field("survey", _("questionnaire"), path="survey.title"),
                Field("week"),
                Field("provider", _("provider concerned"), path="provider.name"),
                Field("answers"),
            ),
            note=_("Answers to an anonymous questionnaire are not linked to you, so they are not here."),
            left_out={"invitation": "the questionnaire it answers is shown"},
        ),
        Section(
            "anonymous_feedback_count",
            _("How many anonymous reactions you sent"),
            (FeedbackWeekCount,),
            _feedback_count_rows,
            (Field("reactions_counted", _("anonymous reactions counted"), path="count"),),
            note=_(
                "Only the number is kept, to keep to the limit of reactions per week. Which reactions are yours, "
                "and in which week you sent them, is not shown here and cannot be found out."
            ),
            left_out={"week": "shown as one total: a count per week could point at the anonymous reactions themselves"},
        ),
        Section(
            "portal_activation_codes",
            _("Activation codes for Mijn Maatpak"),
            (PortalActivation,),
            lambda p: p.portal_activations.order_by("-created_at", "-id"),
            (
                Field("made_at", _("made on"), path="created_at"),
                Field("expires_at"),
                Field("used_at"),
                Field("revoked_at"),
                Field("failed_attempts"),
            ),
            note=_("The codes themselves are not stored, only when they were made and used."),
            left_out={"code_hash": "a secret: only the hash of the one-time code is stored"},
        ),
        Section(
            "imported_history",
            _("Data taken over from an older system"),
            (ImportedTrajectory,),
            lambda p: ImportedTrajectory.objects.filter(trajectory__participant=p).order_by("start_date", "id"),
            (
                trajectory_id,
                Field("participant_ref", _("client number in the older system")),
                Field("start_date"),
                Field("instrument_code"),
                Field("source_file"),
                Field("row"),
            ),
            left_out={"cost_unknown": "a technical marker for the analyses"},
        ),
    )


SECTIONS: tuple[Section, ...] = _sections()

_STAFF = "the staff member who recorded it: staff names are left out (who looked is in the access log, by organisation and role)"
# Fields left out of every section, with the reason.
LEFT_OUT_FIELDS: dict[str, str] = {
    "id": "a database number without meaning outside Maatpak (numbers that link sections are shown)",
    "municipality": "the municipality is named once, under personal_details",
    "participant": "every row in the file is about the participant",
    "created_at": "a technical time stamp; the dates that matter are shown",
    "updated_at": "a technical time stamp; the dates that matter are shown",
    "version": "a technical counter of edits",
    "author": _STAFF,
    "recorded_by": _STAFF,
    "created_by": _STAFF,
    "decided_by": _STAFF,
    "staff": _STAFF,
    "status_set_by": _STAFF,
    "checked_by": _STAFF,
    "answered_by": _STAFF,
    "sender": "the staff member or the participant who wrote it: the direction is shown, staff names are left out",
}

# Models that point at a participant but are not a section above, each with the reason.
# The audit log is not a section: it is the list of who looked at the file (`access_log`).
EXCLUDED: dict[type[models.Model], str] = {
    AuditEvent: "shown as 'who looked at your file' (access_log): organisation, role, day and kind of action, never the staff member",
}

# What is deliberately not in the file, said on the page and in the downloads.
NOT_LINKED = (
    _(
        "Anonymous feedback to the client council is stored without your name or any link to you. "
        "Nobody, also not the municipality, can find out which reactions are yours, so we cannot show them."
    ),
)


# --- values ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    value: object
    choice_label: str | None
    is_choice: bool
    money: bool

    @property
    def text(self) -> str:
        """The value as a person reads it (Dutch dates, yes/no, euros, choice labels)."""
        return display_text(self.value, choice_label=self.choice_label, money=self.money)


def display_text(value, *, choice_label: str | None = None, money: bool = False) -> str:
    if value is None or value == "" or value == {} or value == []:
        return ""
    if choice_label is not None:
        return choice_label
    if money:
        euros = f"{value / 100:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"€ {euros}"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, dict):
        return "; ".join(f"{key}: {display_text(inner)}" for key, inner in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(display_text(inner) for inner in value)
    return str(value)


def json_value(value):
    """Dates as ISO 8601 (times in Europe/Amsterdam with their offset); the rest as it is."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {str(key): json_value(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(inner) for inner in value]
    return value


def _choices(item: Field, model_field):
    """The choices of an item: its own, or its model field's (as (value, label) pairs)."""
    if item.choices is not None:
        return item.choices.choices
    return model_field.flatchoices if model_field is not None and model_field.choices else None


def _resolve(row, item: Field) -> object:
    if item.get is not None:
        return item.get(row)
    target = row
    parts = (item.path or item.key).split(".")
    for part in parts[:-1]:
        target = getattr(target, part)
        if target is None:
            return None
    return getattr(target, parts[-1])


@dataclass
class SectionData:
    key: str
    title: str
    note: str
    records: list[list[Item]]

    def to_json(self) -> dict:
        records = []
        for record in self.records:
            row = {}
            for item in record:
                row[item.key] = json_value(item.value)
                if item.is_choice:
                    row[f"{item.key}_label"] = item.choice_label
            records.append(row)
        return {"title": self.title, "records": records}


def _section_data(section: Section, participant) -> SectionData:
    columns = []
    for item in section.fields:
        choices = _choices(item, section.model_field(item))
        columns.append((item, section.label(item), dict(choices) if choices is not None else None))
    records = []
    for row in section.rows(participant):
        record = []
        for item, label, choices in columns:
            value = _resolve(row, item)
            choice_label = None
            if choices is not None and value not in (None, ""):
                choice_label = str(choices.get(value, value))
            record.append(Item(item.key, label, value, choice_label, choices is not None, item.money))
        records.append(record)
    return SectionData(section.key, str(section.title), str(section.note), records)


# --- who looked at the file -----------------------------------------------------------------------


@dataclass
class AccessEntry:
    """One line of 'who looked at your file': per day, organisation and role."""

    day: dt.date
    first_at: dt.datetime
    last_at: dt.datetime
    organisation: str
    role: str
    role_label: str
    actions: list[str] = field(default_factory=list)
    count: int = 0

    @property
    def action_labels(self) -> list[str]:
        return [str(AuditAction(action).label) if action in AuditAction.values else action for action in self.actions]

    @property
    def time_text(self) -> str:
        first, last = timezone.localtime(self.first_at), timezone.localtime(self.last_at)
        return first.strftime("%H:%M") if first.strftime("%H:%M") == last.strftime("%H:%M") else f"{first:%H:%M}–{last:%H:%M}"

    def to_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "first_at": json_value(self.first_at),
            "last_at": json_value(self.last_at),
            "organisation": self.organisation,
            "role": self.role,
            "role_label": self.role_label,
            "actions": list(self.actions),
            "action_labels": self.action_labels,
            "count": self.count,
        }


def _organisation(event: AuditEvent, participant) -> str:
    """The provider for provider staff, else the municipality the event belongs to; staff of a
    shared service organisation (no single municipality) under that organisation's name."""
    actor = event.actor
    if actor is not None and actor.provider_id:
        return actor.provider.name
    if event.municipality_id:
        return event.municipality.name
    service = participant.municipality.service
    return service.name if service is not None else participant.municipality.name


def _role(event: AuditEvent) -> tuple[str, str]:
    if event.actor_role in Role.values:
        return event.actor_role, str(Role(event.actor_role).label)
    if event.actor_id is None and not event.actor_role:
        return "system", gettext("Maatpak itself (automatic processing)")
    return event.actor_role, event.actor_role


def access_log(participant) -> list[AccessEntry]:
    """Who looked at or worked on the participant's file: the audit-log events linked to them,
    newest day first, one line per day, organisation and role, with the kinds of action and how
    often. Never the staff member's name. The participant's own visits are left out."""
    events = AuditEvent.objects.filter(participant_id=participant.pk).select_related("actor__provider", "municipality")
    if participant.user_id is not None:
        events = events.exclude(actor_id=participant.user_id)
    entries: dict[tuple, AccessEntry] = {}
    for event in events.order_by("at", "id"):
        day = timezone.localtime(event.at).date()
        role, role_label = _role(event)
        organisation = _organisation(event, participant)
        entry = entries.get((day, organisation, role))
        if entry is None:
            entry = entries[(day, organisation, role)] = AccessEntry(day, event.at, event.at, organisation, role, role_label)
        entry.last_at = event.at
        entry.count += 1
        if event.action not in entry.actions:
            entry.actions.append(event.action)
    return sorted(entries.values(), key=lambda e: (e.day, e.first_at), reverse=True)


# --- the whole file ------------------------------------------------------------------------------


@dataclass
class AccessRequest:
    """A written request the privacy officer handles: when it was received and its reference."""

    received_on: dt.date | None = None
    reference: str = ""

    def to_json(self) -> dict:
        return {"received_on": json_value(self.received_on), "reference": self.reference}


@dataclass
class SubjectAccessReport:
    participant: Participant
    generated_at: dt.datetime
    sections: list[SectionData]
    access_log: list[AccessEntry]
    request: AccessRequest | None = None
    not_linked: list[str] = field(default_factory=list)

    @property
    def municipality_name(self) -> str:
        return self.participant.municipality.name

    def to_json(self) -> dict:
        return {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "generated_at": json_value(self.generated_at),
            "municipality": self.municipality_name,
            "client_number": self.participant.reference,
            "request": self.request.to_json() if self.request else None,
            "sections": {section.key: section.to_json() for section in self.sections},
            "access_log": [entry.to_json() for entry in self.access_log],
            "not_linked_to_you": list(self.not_linked),
        }


def subject_access_report(*, participant, request: AccessRequest | None = None) -> SubjectAccessReport:
    """Everything Maatpak holds about `participant` (already access-checked by the caller),
    in the active language. One query per section."""
    participant = Participant.objects.select_related("municipality__service", "consultant", "user").get(pk=participant.pk)
    return SubjectAccessReport(
        participant=participant,
        generated_at=timezone.now(),
        sections=[_section_data(section, participant) for section in SECTIONS],
        access_log=access_log(participant),
        request=request,
        not_linked=[str(text) for text in NOT_LINKED],
    )


# --- who may have it ------------------------------------------------------------------------------


def subject_access_own_participant(*, user) -> Participant:
    """The logged-in participant's own record (SUBJECT_ACCESS `view_own`), or 404 for anyone else."""
    participant = subject_access_policy.instances_for(user, "view_own").first()
    if participant is None:
        raise Http404
    return participant


def subject_access_participant_get(*, user, pk) -> Participant:
    """A participant whose file the privacy officer may produce (`handle_request`: their own
    municipalities), or the same 404 as for one that does not exist."""
    return subject_access_policy.get(user, "handle_request", pk)


def subject_access_participant_find(*, user, bsn: str = "", client_number: str = "") -> Participant | None:
    """Find the participant a written request is about, by BSN (through the keyed hash; a BSN
    that fails the 11-test raises ValidationError) or by client number, among the participants of
    the privacy officer's municipalities. None when there is no such participant there."""
    rows = subject_access_policy.instances_for(user, "handle_request")
    if bsn:
        rows = rows.filter(bsn_hash=Participant.hash_for_lookup(bsn))
    elif client_number:
        rows = rows.filter(reference=client_number.strip())
    else:
        raise ValidationError(_("Enter a BSN or a client number."), code="no_identifier")
    found = list(rows[:2])
    # A client number is unique per municipality; an officer of several may find two.
    if len(found) > 1:
        raise ValidationError(
            _("This client number exists in more than one of your municipalities. Search by BSN instead."), code="ambiguous"
        )
    return found[0] if found else None
