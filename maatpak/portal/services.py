"""What a participant does in the portal, and how staff answer it. Every function takes the
participant explicitly and asks the portal policies (`portal.policies`) whether the actor may;
views never pass ids they did not scope first."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, When
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.policy import PORTAL, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.concurrency import StaleEditError, save_versioned
from maatpak.participants.services import dossier_row_add, participant_reassign_consultant
from maatpak.portal.models import (
    ChangeRequestStatus,
    ConsultantChangeRequest,
    FeedbackWeekCount,
    Message,
    MessageDirection,
    ReportReaction,
)
from maatpak.portal.policies import change_request_policy, portal_participant_policy
from maatpak.surveys.selectors import FEEDBACK_MIN_COUNT, Quarter
from maatpak.surveys.services import anonymous_feedback_submit, iso_week
from maatpak.trajectories.models import EndReport, ProgressReport

# Anonymous feedback: at most this many reactions per participant per ISO week, and per quarter
# one fewer than the client council's threshold, so one person alone can never make a figure or
# the texts of a quarter visible. Counted per participant and week in FeedbackWeekCount, apart
# from the feedback rows, and never per IP address (behind a proxy everybody shares one).
FEEDBACK_LIMIT_PER_WEEK = 5
FEEDBACK_LIMIT_PER_QUARTER = FEEDBACK_MIN_COUNT - 1


@transaction.atomic
def consultant_change_request(*, actor, participant, reason: str = "") -> ConsultantChangeRequest:
    """Ask for another consultant. One open request at a time, so the team lead answers first.

    The database enforces it (a unique index on the participant's open request): of two
    simultaneous posts one is stored, the other gets the same "you already asked" as a later one."""
    _require_own(actor, participant)
    try:
        with transaction.atomic():
            return dossier_row_add(
                ConsultantChangeRequest,
                actor=actor,
                participant=participant,
                consultant=participant.consultant,
                reason=(reason or "").strip(),
            )
    except IntegrityError:
        open_request = ConsultantChangeRequest.objects.filter(participant=participant, status=ChangeRequestStatus.OPEN).first()
        if open_request is None:
            raise
        raise ValidationError(
            _("You already asked for another consultant on %(date)s. The team lead will answer that request first.")
            % {"date": timezone.localtime(open_request.created_at).strftime("%d-%m-%Y")},
            code="already_open",
        ) from None


def change_request_list_for_team_lead(*, user):
    """Requests a team lead must answer: those of participants whose consultant (at the time)
    is in their team, and those of participants who had no consultant — nobody's team, so every
    team lead of that municipality sees them rather than nobody.

    Open requests first, the longest-waiting on top; answered ones after, newest first.
    """
    require(user, PORTAL, "decide_change_request")
    if user.team_id is None:
        raise PermissionDenied
    open_since = Case(When(status=ChangeRequestStatus.OPEN, then=F("created_at")), default=None, output_field=DateTimeField())
    return (
        change_request_policy.instances_for(user, "decide_change_request")
        .select_related("participant", "consultant", "answered_by")
        .order_by(open_since.asc(nulls_last=True), "-created_at", "-id")
    )


def change_request_rows_for_team_lead(*, user, today=None) -> tuple[list[ConsultantChangeRequest], int]:
    """The list for the team lead's screen, each open request with `waiting_days`, plus the
    number of open requests (shown in the heading)."""
    today = today or timezone.localdate()
    rows = list(change_request_list_for_team_lead(user=user))
    for row in rows:
        row.waiting_days = (today - timezone.localdate(row.created_at)).days if row.status == ChangeRequestStatus.OPEN else None
    return rows, sum(1 for row in rows if row.status == ChangeRequestStatus.OPEN)


@transaction.atomic
def consultant_change_answer(
    *, actor, request: ConsultantChangeRequest, status: str, answer: str, expected_version: int, new_consultant=None
) -> ConsultantChangeRequest:
    """The team lead answers; granting assigns the new consultant in the same transaction.

    `expected_version` is the version of the request the team lead saw: when another team lead
    answered it meanwhile, this answer is refused, never written over theirs."""
    if not change_request_policy.allows(actor, "decide_change_request", request):
        raise PermissionDenied
    if request.status != ChangeRequestStatus.OPEN:
        raise _already_answered(request)
    if status not in (ChangeRequestStatus.GRANTED, ChangeRequestStatus.REFUSED):
        raise ValidationError(_("Choose whether you grant the request."), code="status")
    if not (answer or "").strip():
        raise ValidationError(_("Write an answer to the participant: they have a right to know why."), code="answer")
    if status == ChangeRequestStatus.GRANTED:
        if new_consultant is None:
            raise ValidationError(_("Choose the new consultant."), code="new_consultant")
        if new_consultant.pk == request.participant.consultant_id:
            raise ValidationError(_("Choose a different consultant from the current one."), code="same_consultant")
    request.status = status
    request.answer = answer.strip()
    request.answered_by = actor
    request.answered_on = timezone.localdate()
    try:
        save_versioned(request, expected_version=expected_version, update_fields=["status", "answer", "answered_by", "answered_on"])
    except StaleEditError:
        request.refresh_from_db()  # the caller's copy shows what is stored, not the refused answer
        if request.status != ChangeRequestStatus.OPEN:
            raise _already_answered(request) from None
        raise
    if status == ChangeRequestStatus.GRANTED:
        participant_reassign_consultant(
            actor=actor,
            participant=request.participant,
            consultant=new_consultant,
            reason=_("At the participant's request"),
            expected_version=request.participant.version,
        )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=request)
    return request


def _already_answered(request: ConsultantChangeRequest) -> ValidationError:
    """The refusal of a second answer: who answered, when, and what it was."""
    return ValidationError(
        _("This request has already been answered by %(name)s on %(date)s (%(status)s). Your answer was not saved.")
        % {
            "name": request.answered_by.get_full_name() if request.answered_by else _("a team lead"),
            "date": request.answered_on.strftime("%d-%m-%Y") if request.answered_on else "",
            "status": request.get_status_display().lower(),
        },
        code="answered",
    )


def _message_add(*, actor, participant, direction, subject: str, body: str) -> Message:
    """A message between the participant and staff, either way: a subject and a text are both needed."""
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Write a subject and a message."), code="empty")
    return dossier_row_add(
        Message, actor=actor, participant=participant, direction=direction, sender=actor, subject=subject.strip(), body=body.strip()
    )


@transaction.atomic
def message_send_to_consultant(*, actor, participant, subject: str, body: str) -> Message:
    _require_own(actor, participant)
    return _message_add(actor=actor, participant=participant, direction=MessageDirection.TO_CONSULTANT, subject=subject, body=body)


@transaction.atomic
def message_send_to_participant(*, actor, participant, subject: str, body: str, in_reply_to: Message | None = None) -> Message:
    """Staff write to the participant: whoever may act on their dossier (PORTAL
    `answer_message`), so a colleague covering a caseload answers too. Answering a message
    (`in_reply_to`) marks it read."""
    if not portal_participant_policy.allows(actor, "answer_message", participant):
        raise PermissionDenied
    if in_reply_to is not None and in_reply_to.participant_id != participant.pk:
        raise PermissionDenied
    message = _message_add(actor=actor, participant=participant, direction=MessageDirection.TO_PARTICIPANT, subject=subject, body=body)
    if in_reply_to is not None and in_reply_to.direction == MessageDirection.TO_CONSULTANT:
        Message.objects.filter(pk=in_reply_to.pk, read_on__isnull=True).update(read_on=timezone.now())
    return message


@transaction.atomic
def messages_mark_read(*, actor, participant, messages) -> int:
    """The participant opened their messages: stamp the unread ones from staff as read (a read
    receipt, like the audit log's read events). Returns how many were marked."""
    _require_own(actor, participant)
    ids = [m.pk for m in messages if m.direction == MessageDirection.TO_PARTICIPANT and m.read_on is None]
    if not ids:
        return 0
    return Message.objects.filter(participant=participant, pk__in=ids).update(read_on=timezone.now())


@transaction.atomic
def report_reaction_add(*, actor, participant, report, text: str) -> ReportReaction:
    """React to a progress or end report about yourself."""
    _require_own(actor, participant)
    if not (text or "").strip():
        raise ValidationError({"text": ValidationError(_("Write your reaction first."), code="empty")})
    if isinstance(report, ProgressReport):
        owner_id = report.referral.trajectory.participant_id
        kwargs = {"progress_report": report}
    elif isinstance(report, EndReport):
        owner_id = report.trajectory.participant_id
        kwargs = {"end_report": report}
    else:
        raise TypeError("report must be a ProgressReport or EndReport")
    if owner_id != participant.pk:
        raise PermissionDenied
    return dossier_row_add(ReportReaction, actor=actor, participant=participant, text=text.strip(), **kwargs)


@transaction.atomic
def anonymous_feedback_send(*, actor, participant, topic: str, rating: int | None, text: str, today: dt.date | None = None) -> None:
    """The participant sends anonymous feedback to the client council, within the limits.

    Counted in FeedbackWeekCount (participant, week, number) and stored by
    `surveys.services.anonymous_feedback_submit`, which gets the municipality and nothing about
    the participant; no audit event either (it would name the sender). Both happen in one
    transaction: refused feedback is not counted, and feedback over the limit is not stored."""
    _require_own(actor, participant)
    today = today or timezone.localdate()
    _feedback_count_one(participant=participant, today=today)
    anonymous_feedback_submit(municipality=participant.municipality, topic=topic, rating=rating, text=text, today=today)


def feedback_limit_message(*, participant, today: dt.date) -> str:
    """Why this participant cannot send feedback now (and from when they can), or "" when they can."""
    quarter = Quarter.of_day(today)
    counts = dict(FeedbackWeekCount.objects.filter(participant=participant, week__in=quarter.iso_weeks()).values_list("week", "count"))
    return _limit_message(counts, today)


def _feedback_count_one(*, participant, today: dt.date) -> None:
    """Add one to this week's count, or refuse when a limit is reached.

    The participant's count rows of this quarter are locked (SELECT … FOR UPDATE) before they
    are read, so two reactions sent at the same moment are counted one after the other."""
    week, quarter_weeks = iso_week(today), Quarter.of_day(today).iso_weeks()
    FeedbackWeekCount.objects.exclude(week__in=quarter_weeks).delete()  # ended quarters: no longer needed
    FeedbackWeekCount.objects.get_or_create(participant=participant, week=week)
    rows = list(FeedbackWeekCount.objects.select_for_update().filter(participant=participant, week__in=quarter_weeks))
    message = _limit_message({row.week: row.count for row in rows}, today)
    if message:
        raise ValidationError(message, code="feedback_limit")
    FeedbackWeekCount.objects.filter(participant=participant, week=week).update(count=F("count") + 1)


def _limit_message(counts: dict[str, int], today: dt.date) -> str:
    if sum(counts.values()) >= FEEDBACK_LIMIT_PER_QUARTER:
        next_quarter_starts = Quarter.of_day(today).next().starts_on()
        return _("You have already sent %(limit)s reactions this quarter. You can send more from %(date)s.") % {
            "limit": FEEDBACK_LIMIT_PER_QUARTER,
            "date": next_quarter_starts.strftime("%d-%m-%Y"),
        }
    if counts.get(iso_week(today), 0) >= FEEDBACK_LIMIT_PER_WEEK:
        return _("You have already sent %(limit)s reactions this week. You can send more from Monday.") % {"limit": FEEDBACK_LIMIT_PER_WEEK}
    return ""


def _require_own(actor, participant) -> None:
    """The participant acts in their own portal (PORTAL `use`, relation SELF)."""
    if not portal_participant_policy.allows(actor, "use", participant):
        raise PermissionDenied
