"""What a participant does in the portal, and how staff answer it. Every function takes the
participant explicitly and asks the portal policies (`portal.policies`) whether the actor may;
views never pass ids they did not scope first."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DateTimeField, F, When
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.policy import PORTAL, require
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.participants.services import dossier_row_add, participant_reassign_consultant
from maatpak.portal.models import ChangeRequestStatus, ConsultantChangeRequest, Message, MessageDirection, ReportReaction
from maatpak.portal.policies import change_request_policy, portal_participant_policy
from maatpak.surveys.services import iso_week
from maatpak.trajectories.models import EndReport, ProgressReport

# Anonymous feedback: at most this many reactions per participant per ISO week. The count lives
# in the participant's own login session (see feedback_limit_reached), not in the database next
# to the feedback, and not keyed by IP address (behind a proxy everybody shares one address).
FEEDBACK_LIMIT_PER_WEEK = 5
FEEDBACK_SESSION_KEY = "feedback_sent_per_week"


@transaction.atomic
def consultant_change_request(*, actor, participant, reason: str = "") -> ConsultantChangeRequest:
    """Ask for another consultant. One open request at a time, so the team lead answers first."""
    _require_own(actor, participant)
    open_request = ConsultantChangeRequest.objects.filter(participant=participant, status=ChangeRequestStatus.OPEN).first()
    if open_request:
        raise ValidationError(
            _("You already asked for another consultant on %(date)s. The team lead will answer that request first.")
            % {"date": timezone.localtime(open_request.created_at).strftime("%d-%m-%Y")},
            code="already_open",
        )
    return dossier_row_add(
        ConsultantChangeRequest, actor=actor, participant=participant, consultant=participant.consultant, reason=(reason or "").strip()
    )


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
    *, actor, request: ConsultantChangeRequest, status: str, answer: str, new_consultant=None
) -> ConsultantChangeRequest:
    """The team lead answers; granting assigns the new consultant in the same transaction."""
    if not change_request_policy.allows(actor, "decide_change_request", request):
        raise PermissionDenied
    if request.status != ChangeRequestStatus.OPEN:
        raise ValidationError(_("This request has already been answered."), code="answered")
    if status not in (ChangeRequestStatus.GRANTED, ChangeRequestStatus.REFUSED):
        raise ValidationError(_("Choose whether you grant the request."), code="status")
    if not (answer or "").strip():
        raise ValidationError(_("Write an answer to the participant: they have a right to know why."), code="answer")
    if status == ChangeRequestStatus.GRANTED:
        if new_consultant is None:
            raise ValidationError(_("Choose the new consultant."), code="new_consultant")
        if new_consultant.pk == request.participant.consultant_id:
            raise ValidationError(_("Choose a different consultant from the current one."), code="same_consultant")
        participant_reassign_consultant(
            actor=actor,
            participant=request.participant,
            consultant=new_consultant,
            reason=_("At the participant's request"),
            expected_version=request.participant.version,
        )
    request.status = status
    request.answer = answer.strip()
    request.answered_by = actor
    request.answered_on = timezone.localdate()
    request.save(update_fields=["status", "answer", "answered_by", "answered_on", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=request)
    return request


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


def _feedback_counts(session, today) -> dict[str, int]:
    """{iso week: number sent} for the current week only; earlier weeks are dropped, so the
    session never holds more than one number and one week."""
    week = iso_week(today)
    counts = session.get(FEEDBACK_SESSION_KEY) or {}
    return {week: int(counts.get(week, 0))}


def feedback_limit_reached(session, *, today) -> bool:
    return _feedback_counts(session, today)[iso_week(today)] >= FEEDBACK_LIMIT_PER_WEEK


def feedback_sent_count(session, *, today) -> None:
    """Count one sent reaction in the participant's session: the number and the ISO week, no
    time and nothing of the reaction itself, so the session cannot be matched to a feedback row
    beyond "this person sent n reactions in week W". The session row disappears at log-out."""
    counts = _feedback_counts(session, today)
    counts[iso_week(today)] += 1
    session[FEEDBACK_SESSION_KEY] = counts


def _require_own(actor, participant) -> None:
    """The participant acts in their own portal (PORTAL `use`, relation SELF)."""
    if not portal_participant_policy.allows(actor, "use", participant):
        raise PermissionDenied
