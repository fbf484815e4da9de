"""Caseload signals (signalen): what needs the consultant's attention, per participant.

Each signal has one definition here. `caseload_signals` computes all of them for any number of
participants with a fixed number of queries, so the caseload page does not slow down per row.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from maatpak.participants.models import Contact, DomainAssessment, LadderAssessment
from maatpak.providers.reporting import next_progress_report_due, reporting_interval_days
from maatpak.trajectories.models import Agreement, AgreementStatus, PlanHandover, PlanVersion, Referral, ReferralStatus, Trajectory, TrajectoryStatus

SIGNALS = {
    "report_overdue": _("Progress report overdue"),
    "no_activity_after_intake": _("No activity since intake"),
    "past_planned_end": _("Active past its planned end"),
    "closed_without_end_report": _("Closed without end report"),
    "repeat_without_reason": _("Repeat trajectory without a reason"),
    "plan_not_handed_over": _("Plan not handed over"),
    "stale_assessment": _("Assessment older than 12 months"),
    "no_contact": _("No contact for 90 days"),
    "agreement_overdue_participant": _("Participant's agreement past its deadline"),
    "agreement_overdue_municipality": _("Municipality's agreement past its deadline"),
}


def caseload_signals(participants, *, today: dt.date) -> dict[int, list[str]]:
    """{participant id: [signal codes]} for the given participants (9 queries, whatever N)."""
    ids = [p.pk for p in participants]
    result: dict[int, list[str]] = {pid: [] for pid in ids}
    if not ids:
        return result
    stale_before = today - dt.timedelta(days=settings.MAATPAK_STALE_ASSESSMENT_DAYS)
    no_contact_before = today - dt.timedelta(days=settings.MAATPAK_NO_CONTACT_DAYS)

    trajectories = list(Trajectory.objects.filter(participant_id__in=ids).order_by("participant_id", "created_at", "id").values("id", "participant_id", "status", "closing_report_id", "previous_id", "repeat_reason"))
    by_participant = defaultdict(list)
    for t in trajectories:
        by_participant[t["participant_id"]].append(t)
    open_ids = [t["id"] for t in trajectories if t["status"] != TrajectoryStatus.CLOSED]
    latest_plan = {}
    for plan in PlanVersion.objects.filter(trajectory_id__in=open_ids).order_by("trajectory_id", "number").values("id", "trajectory_id", "planned_end"):
        latest_plan[plan["trajectory_id"]] = plan  # ordered by number: the last one wins
    handed_over = set(PlanHandover.objects.filter(plan_id__in=[p["id"] for p in latest_plan.values()]).values_list("plan_id", flat=True))
    overdue_sides = defaultdict(set)
    for plan_id, party in Agreement.objects.filter(plan_id__in=[p["id"] for p in latest_plan.values()], status=AgreementStatus.OPEN, deadline__lt=today).values_list("plan_id", "party"):
        overdue_sides[plan_id].add(party)
    referrals = list(
        Referral.objects.filter(trajectory_id__in=open_ids, status__in=[ReferralStatus.INTAKE, ReferralStatus.ACTIVE])
        .select_related("contract", "trajectory")
        .annotate(last_report=Max("progress_reports__submitted_on"))
    )
    last_contact = dict(Contact.objects.filter(participant_id__in=ids).values("participant_id").annotate(last=Max("occurred_on")).values_list("participant_id", "last"))
    last_domain = dict(DomainAssessment.objects.filter(participant_id__in=ids).values("participant_id").annotate(last=Max("assessed_on")).values_list("participant_id", "last"))
    last_ladder = dict(LadderAssessment.objects.filter(participant_id__in=ids).values("participant_id").annotate(last=Max("assessed_on")).values_list("participant_id", "last"))

    for referral in referrals:
        pid = referral.trajectory.participant_id
        due = next_progress_report_due(referral, referral.last_report)
        if due is not None and due < today:
            result[pid].append("report_overdue")
        if (
            referral.intake_on is not None
            and referral.started_on is None
            and referral.last_report is None
            and referral.intake_on + dt.timedelta(days=reporting_interval_days(referral)) < today
        ):
            result[pid].append("no_activity_after_intake")

    for p in participants:
        signals = result[p.pk]
        rows = by_participant.get(p.pk, [])
        for index, t in enumerate(rows):
            if t["status"] == TrajectoryStatus.CLOSED and t["closing_report_id"] is None:
                signals.append("closed_without_end_report")
            if index > 0 and not t["repeat_reason"].strip():
                signals.append("repeat_without_reason")
            plan = latest_plan.get(t["id"])
            if plan is None:
                continue
            if t["status"] == TrajectoryStatus.ACTIVE and plan["planned_end"] < today:
                signals.append("past_planned_end")
            if t["status"] == TrajectoryStatus.ACTIVE and plan["id"] not in handed_over:
                signals.append("plan_not_handed_over")
            if "participant" in overdue_sides.get(plan["id"], ()):
                signals.append("agreement_overdue_participant")
            if "municipality" in overdue_sides.get(plan["id"], ()):
                signals.append("agreement_overdue_municipality")
        assessed = max(filter(None, (last_domain.get(p.pk), last_ladder.get(p.pk))), default=None)
        if assessed is None or assessed < stale_before:
            signals.append("stale_assessment")
        contact = last_contact.get(p.pk)
        if (contact or p.registered_on) < no_contact_before:
            signals.append("no_contact")
        # One badge per kind, in the table's order.
        result[p.pk] = [code for code in SIGNALS if code in signals]
    return result
