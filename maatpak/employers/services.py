"""Writes for the employers domain: a placement (plaatsing) from the dossier — recorded, its hours
changed, ended with a reason — and the follow-up checks (nazorgcontacten) 1, 3, 6, 12 and 24
months after its start, whose answers feed the durability figures (docs/methods.md)."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.text import CASE, check_dates, check_texts
from maatpak.employers.models import (
    FOLLOW_UP_MONTHS,
    PAID_WORK_KINDS,
    Placement,
    PlacementEndReason,
    PlacementFollowUp,
    PlacementKind,
)
from maatpak.participants.policies import dossier_policy
from maatpak.participants.services import dossier_row_add

MAX_HOURS_PER_WEEK = 60


def _require_dossier_change(actor, participant) -> None:
    if not dossier_policy.allows(actor, "change", participant):
        raise PermissionDenied


def _check_hours(hours_per_week, field: str = "hours_per_week") -> None:
    if hours_per_week is not None and not 1 <= hours_per_week <= MAX_HOURS_PER_WEEK:
        raise ValidationError({field: _("Hours per week is a number from 1 to 60.")})


def _check_end(start_date, end_date, end_reason, *, date_field: str = "end_date") -> None:
    """An end date is on or after the start and not in the future, and comes with its reason."""
    if end_date is None:
        raise ValidationError({date_field: _("Enter the end date.")})
    if end_date < start_date:
        raise ValidationError({date_field: _("The end date cannot be before the start date.")})
    if end_date > timezone.localdate():
        raise ValidationError({date_field: _("The date cannot be in the future.")})
    check_dates({date_field: (end_date, CASE)})
    if end_reason not in PlacementEndReason.values:
        raise ValidationError({"end_reason": _("Choose why the placement ended.")})


def follow_up_moment(start_date: dt.date, months: int) -> dt.date:
    """The day a follow-up check (and the durability moment) falls: the start plus `months`."""
    return start_date + relativedelta(months=months)


def _schedule_follow_ups(placement) -> list[PlacementFollowUp]:
    """The checks at FOLLOW_UP_MONTHS after the start; none for a placement that already ended."""
    if placement.end_date is not None:
        return []
    return PlacementFollowUp.objects.bulk_create(
        PlacementFollowUp(
            municipality_id=placement.municipality_id,
            placement=placement,
            months=months,
            due_on=follow_up_moment(placement.start_date, months),
        )
        for months in FOLLOW_UP_MONTHS
    )


@transaction.atomic
def placement_record(
    *,
    actor,
    participant,
    kind: str,
    start_date,
    employer=None,
    vacancy=None,
    trajectory=None,
    end_date=None,
    end_reason: str = "",
    hours_per_week: int | None = None,
) -> Placement:
    """Record that the participant started work, education or volunteering, and schedule its
    follow-up checks at 1, 3, 6, 12 and 24 months (checks already due appear as work to do).

    Paid work names its employer, so durability can be followed up with the employer desk. A
    placement recorded after it ended gives its end date and reason (and gets no checks).
    """
    _require_dossier_change(actor, participant)
    if kind not in PlacementKind.values:
        raise ValidationError({"kind": _("Choose the kind of placement.")})
    if start_date is None:
        raise ValidationError({"start_date": _("Enter the start date.")})
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": _("Record a placement once it has started; the start date cannot be in the future.")})
    check_dates({"start_date": (start_date, CASE)})
    if end_date is not None:
        _check_end(start_date, end_date, end_reason)
    elif end_reason:
        raise ValidationError({"end_date": _("Enter the end date.")})
    if employer is not None and employer.municipality_id != participant.municipality_id:
        raise ValidationError({"employer": _("Choose an employer from the list.")})
    if kind in PAID_WORK_KINDS and kind != PlacementKind.SELF_EMPLOYMENT and employer is None:
        raise ValidationError({"employer": _("Paid work needs an employer.")})
    if vacancy is not None and (employer is None or vacancy.employer_id != employer.pk):
        raise ValidationError({"vacancy": _("The vacancy must belong to the chosen employer.")})
    if trajectory is not None and trajectory.participant_id != participant.pk:
        raise ValidationError({"trajectory": _("Choose one of this participant's trajectories.")})
    _check_hours(hours_per_week)
    placement = dossier_row_add(
        Placement,
        actor=actor,
        participant=participant,
        kind=kind,
        employer=employer,
        vacancy=vacancy,
        trajectory=trajectory,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason if end_date is not None else "",
        hours_per_week=hours_per_week,
    )
    _schedule_follow_ups(placement)
    return placement


def _running(placement) -> None:
    if placement.end_date is not None:
        raise ValidationError(
            _("This placement ended on %(date)s.") % {"date": placement.end_date.strftime("%d-%m-%Y")}, code="placement_ended"
        )


@transaction.atomic
def placement_change_hours(*, actor, placement, hours_per_week: int) -> Placement:
    """The participant works more or fewer hours; the audit log keeps the history."""
    _require_dossier_change(actor, placement.participant)
    _running(placement)
    if hours_per_week is None:
        raise ValidationError({"hours_per_week": _("Hours per week is a number from 1 to 60.")})
    _check_hours(hours_per_week)
    before = placement.hours_per_week
    placement.hours_per_week = hours_per_week
    placement.save(update_fields=["hours_per_week", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=placement,
        purpose="placement hours",
        detail={"hours_before": before, "hours": hours_per_week},
    )
    return placement


def _end(placement, *, actor, end_date, end_reason, purpose: str) -> None:
    """End a running placement; its checks not yet recorded are no longer work to do."""
    placement.end_date, placement.end_reason = end_date, end_reason
    placement.save(update_fields=["end_date", "end_reason", "updated_at"])
    open_checks = placement.follow_ups.filter(checked_on__isnull=True)
    dropped = sorted(open_checks.values_list("months", flat=True))
    open_checks.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=placement,
        purpose=purpose,
        detail={"end_date": end_date.isoformat(), "end_reason": end_reason, "checks_dropped": dropped},
    )


@transaction.atomic
def placement_end(*, actor, placement, end_date, end_reason: str) -> Placement:
    """The placement ended, on a date (not before the start, not in the future) and for a reason."""
    _require_dossier_change(actor, placement.participant)
    _running(placement)
    _check_end(placement.start_date, end_date, end_reason)
    _end(placement, actor=actor, end_date=end_date, end_reason=end_reason, purpose="placement ended")
    return placement


@transaction.atomic
def follow_up_record(
    *,
    actor,
    follow_up,
    checked_on,
    still_working: bool | None,
    hours_per_week: int | None = None,
    support_needed: bool | None = None,
    note: str = "",
    end_reason: str = "",
    ended_on=None,
) -> PlacementFollowUp:
    """Record a follow-up check: is the participant still working there, how many hours, is
    support needed. A check that finds them no longer working ends the placement on `ended_on`
    (their last working day, asked: the day of the check may be months later) with its reason."""
    placement = follow_up.placement
    _require_dossier_change(actor, placement.participant)
    if follow_up.checked_on is not None:
        raise ValidationError(_("This check has already been recorded."), code="already_checked")
    _running(placement)
    if checked_on is None:
        raise ValidationError({"checked_on": _("Enter a date.")})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("The date cannot be in the future.")})
    check_dates({"checked_on": (checked_on, CASE)})
    check_texts(PlacementFollowUp, {"note": (note or "").strip()})
    if checked_on < follow_up.due_on:
        raise ValidationError(
            {
                "checked_on": _("This check is due on %(date)s; record it on or after that day.")
                % {"date": follow_up.due_on.strftime("%d-%m-%Y")}
            }
        )
    if still_working is None:
        raise ValidationError({"still_working": _("Say whether the participant still works there.")})
    _check_hours(hours_per_week)
    if not still_working:
        if ended_on is not None and ended_on > checked_on:
            raise ValidationError({"ended_on": _("The last working day cannot be after the day of the check.")})
        _check_end(placement.start_date, ended_on, end_reason, date_field="ended_on")
    follow_up.checked_on, follow_up.still_working, follow_up.support_needed = checked_on, still_working, support_needed
    follow_up.hours_per_week = hours_per_week if still_working else None
    follow_up.note, follow_up.checked_by = (note or "").strip(), actor
    follow_up.save(update_fields=["checked_on", "still_working", "hours_per_week", "support_needed", "note", "checked_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=follow_up,
        participant_id=placement.participant_id,
        purpose="placement follow-up check",
        detail={
            "months": follow_up.months,
            "still_working": still_working,
            "hours": follow_up.hours_per_week,
            "support_needed": support_needed,
        },
    )
    if not still_working:
        _end(placement, actor=actor, end_date=ended_on, end_reason=end_reason, purpose="placement ended at follow-up check")
    elif hours_per_week is not None and hours_per_week != placement.hours_per_week:
        placement_change_hours(actor=actor, placement=placement, hours_per_week=hours_per_week)
    return follow_up
