"""Caseload signals (signalen): what needs the consultant's attention, per participant.

Each signal has one definition here. `caseload_signals` computes all of them for any number of
participants with a fixed number of queries, so the caseload page does not slow down per row.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatpak.participants.models import Contact, DomainAssessment, Exemption, LadderAssessment
from maatpak.trajectories.models import (
    Agreement,
    AgreementStatus,
    Party,
    PlanHandover,
    PlanVersion,
    Referral,
    ReferralStatus,
    Trajectory,
    TrajectoryStatus,
)
from maatpak.trajectories.reporting import report_dues, reporting_interval_days

SIGNALS = {
    # The provider owes something past its due date: the intake, a progress report or the end report.
    "report_overdue": _("Provider overdue: intake or report"),
    "no_activity_after_intake": _("No activity since intake"),
    "past_planned_end": _("Active past its planned end"),
    "closed_without_end_report": _("Closed without end report"),
    "repeat_without_reason": _("Repeat trajectory without a reason"),
    "plan_not_handed_over": _("Plan not handed over"),
    "stale_assessment": _("Assessment older than 12 months"),
    "no_contact": _("No contact for 90 days"),
    "agreement_overdue_participant": _("Participant's agreement past its deadline"),
    "agreement_overdue_municipality": _("Municipality's agreement past its deadline"),
    "exemption_ending": _("Exemption ends soon"),
}

OPEN_FOR_HANDOVER = (TrajectoryStatus.AGREED, TrajectoryStatus.ACTIVE)


@dataclass
class CaseloadFacts:
    """Everything the signals read, loaded for a whole caseload at once (a fixed number of queries)."""

    today: dt.date
    trajectories: dict = field(default_factory=lambda: defaultdict(list))  # participant id → trajectory rows, oldest first
    referrals: dict = field(default_factory=lambda: defaultdict(list))  # participant id → accepted or running referrals with `last_report`
    dues: dict = field(default_factory=dict)  # referral id → what its provider owes by when (trajectories.reporting)
    in_force: dict = field(default_factory=dict)  # trajectory id → plan version in force (a draft revision moves nothing)
    latest_agreed: dict = field(default_factory=dict)  # trajectory id → latest agreed plan version
    handed_over: set = field(default_factory=set)  # plan version ids with a hand-over
    overdue_parties: dict = field(
        default_factory=lambda: defaultdict(set)
    )  # plan version id → parties with an open agreement past its deadline
    last_contact: dict = field(default_factory=dict)
    last_domain: dict = field(default_factory=dict)
    last_ladder: dict = field(default_factory=dict)
    exemptions_ending: set = field(default_factory=set)  # participant ids with an exemption ending soon

    @classmethod
    def load(cls, ids: list[int], *, today: dt.date) -> "CaseloadFacts":
        facts = cls(today=today)
        rows = Trajectory.objects.filter(participant_id__in=ids).order_by("participant_id", "created_at", "id")
        open_ids = []
        for t in rows.values(
            "id", "participant_id", "status", "closing_report_id", "previous_id", "repeat_reason", "started_on", "ended_on", "created_at"
        ):
            facts.trajectories[t["participant_id"]].append(t)
            if t["status"] != TrajectoryStatus.CLOSED:
                open_ids.append(t["id"])
        plans = PlanVersion.objects.filter(trajectory_id__in=open_ids).order_by("trajectory_id", "number")
        for plan in plans.values("id", "trajectory_id", "agreed_on"):
            # Ordered by number: the last one wins.
            if plan["agreed_on"] is not None:
                facts.latest_agreed[plan["trajectory_id"]] = plan
        in_force = PlanVersion.objects.filter(trajectory_id__in=open_ids).in_force_first()
        for plan in in_force.values("id", "trajectory_id", "planned_end"):
            # In the vocabulary's order: the first row per trajectory is the one in force.
            facts.in_force.setdefault(plan["trajectory_id"], plan)
        agreed_ids = [p["id"] for p in facts.latest_agreed.values()]
        facts.handed_over = set(PlanHandover.objects.filter(plan_id__in=agreed_ids).values_list("plan_id", flat=True))
        current_ids = [p["id"] for p in facts.in_force.values()]
        overdue = Agreement.objects.filter(plan_id__in=current_ids, status=AgreementStatus.OPEN, deadline__lt=today).values_list(
            "plan_id", "party"
        )
        for plan_id, party in overdue:
            facts.overdue_parties[plan_id].add(party)
        referrals = (
            Referral.objects.filter(
                trajectory_id__in=open_ids, status__in=[ReferralStatus.ACCEPTED, ReferralStatus.INTAKE, ReferralStatus.ACTIVE]
            )
            .select_related("contract", "trajectory")
            .annotate(last_report=Max("progress_reports__submitted_on"))
        )
        for referral in referrals:
            facts.referrals[referral.trajectory.participant_id].append(referral)
        facts.dues = report_dues(referrals)
        facts.last_contact = _latest(Contact, "occurred_on", ids)
        facts.last_domain = _latest(DomainAssessment, "assessed_on", ids)
        facts.last_ladder = _latest(LadderAssessment, "assessed_on", ids)
        facts.exemptions_ending = set(exemptions_ending(ids, today=today).values_list("participant_id", flat=True))
        return facts


def exemptions_ending(participant_ids, *, today: dt.date):
    """Exemptions (ontheffingen, Participatiewet art. 9) that end within
    MAATPAK_EXEMPTION_ENDING_DAYS (30) from `today`: time to talk about what comes after."""
    until = today + dt.timedelta(days=settings.MAATPAK_EXEMPTION_ENDING_DAYS)
    return Exemption.objects.filter(participant_id__in=participant_ids, end_date__gte=today, end_date__lte=until)


def _latest(model, date_field: str, ids) -> dict:
    rows = model.objects.filter(participant_id__in=ids).values("participant_id").annotate(last=Max(date_field))
    return dict(rows.values_list("participant_id", "last"))


# One function per signal: (participant, facts) → bool.


def report_overdue(p, facts: CaseloadFacts) -> bool:
    """The provider is past a due date (`trajectories.reporting`, shared with the provider's
    own overdue list and contract monitoring): the intake of an accepted referral, the next
    progress report of an intake-held or active referral, or the end report of a referral still
    running past the planned end of its provider's part of the plan in force."""
    return any(facts.dues[referral.pk].overdue(facts.today) for referral in facts.referrals.get(p.pk, ()))


def no_activity_after_intake(p, facts: CaseloadFacts) -> bool:
    """Intake held, but neither a start nor a progress report within one reporting interval
    of the contract after the intake ("nothing happens after intake", seeds)."""
    return any(
        r.intake_on is not None
        and r.started_on is None
        and r.last_report is None
        and r.intake_on + dt.timedelta(days=reporting_interval_days(r)) < facts.today
        for r in facts.referrals.get(p.pk, ())
    )


def past_planned_end(p, facts: CaseloadFacts) -> bool:
    """An active trajectory whose plan in force has a planned end that has passed."""
    return any(
        t["status"] == TrajectoryStatus.ACTIVE and t["id"] in facts.in_force and facts.in_force[t["id"]]["planned_end"] < facts.today
        for t in facts.trajectories.get(p.pk, ())
    )


def closed_without_end_report(p, facts: CaseloadFacts) -> bool:
    """A closed trajectory without a closing end report (legacy data: the service forbids it)."""
    return any(t["status"] == TrajectoryStatus.CLOSED and t["closing_report_id"] is None for t in facts.trajectories.get(p.pk, ()))


def repeat_without_reason(p, facts: CaseloadFacts) -> bool:
    """A trajectory without a recorded reason after an earlier one (linked as previous, or else
    the one before it) that ended within MAATPAK_REPEAT_REASON_MONTHS (24) of its start — the
    window in which `trajectory_create` demands a reason. Its start is the earlier of its start
    date and the day it was created. An earlier trajectory without an end date counts as
    within the window: it never ended, so the new one certainly needed a reason."""
    rows = facts.trajectories.get(p.pk, ())
    by_id = {t["id"]: t for t in rows}
    for index, t in enumerate(rows):
        previous = by_id.get(t["previous_id"]) if t["previous_id"] else (rows[index - 1] if index > 0 else None)
        if previous is None or t["repeat_reason"].strip():
            continue
        start = min(filter(None, (t["started_on"], timezone.localdate(t["created_at"]) if t["created_at"] else None)), default=facts.today)
        if previous["ended_on"] is None or previous["ended_on"] >= start - relativedelta(months=settings.MAATPAK_REPEAT_REASON_MONTHS):
            return True
    return False


def plan_not_handed_over(p, facts: CaseloadFacts) -> bool:
    """The latest agreed plan version of an agreed or active trajectory has no recorded hand-over
    of the participant's copy."""
    for t in facts.trajectories.get(p.pk, ()):
        agreed = facts.latest_agreed.get(t["id"])
        if agreed is not None and t["status"] in OPEN_FOR_HANDOVER and agreed["id"] not in facts.handed_over:
            return True
    return False


def stale_assessment(p, facts: CaseloadFacts) -> bool:
    """The latest domain or ladder assessment is older than MAATPAK_STALE_ASSESSMENT_DAYS
    (365), or there is none."""
    latest = max(filter(None, (facts.last_domain.get(p.pk), facts.last_ladder.get(p.pk))), default=None)
    return latest is None or latest < facts.today - dt.timedelta(days=settings.MAATPAK_STALE_ASSESSMENT_DAYS)


def no_contact(p, facts: CaseloadFacts) -> bool:
    """No contact for MAATPAK_NO_CONTACT_DAYS (90), counting from registration when none."""
    return (facts.last_contact.get(p.pk) or p.registered_on) < facts.today - dt.timedelta(days=settings.MAATPAK_NO_CONTACT_DAYS)


def _agreement_overdue(party: Party):
    def check(p, facts: CaseloadFacts) -> bool:
        return any(
            party in facts.overdue_parties.get(facts.in_force[t["id"]]["id"], ())
            for t in facts.trajectories.get(p.pk, ())
            if t["id"] in facts.in_force
        )

    check.__name__ = f"agreement_overdue_{party.value}"
    check.__doc__ = f"An open agreement of the {party.value} in the plan in force is past its deadline."
    return check


agreement_overdue_participant = _agreement_overdue(Party.PARTICIPANT)
agreement_overdue_municipality = _agreement_overdue(Party.MUNICIPALITY)


def exemption_ending(p, facts: CaseloadFacts) -> bool:
    """An exemption ends within MAATPAK_EXEMPTION_ENDING_DAYS (30): its end is not a surprise."""
    return p.pk in facts.exemptions_ending


CHECKS = {
    "report_overdue": report_overdue,
    "no_activity_after_intake": no_activity_after_intake,
    "past_planned_end": past_planned_end,
    "closed_without_end_report": closed_without_end_report,
    "repeat_without_reason": repeat_without_reason,
    "plan_not_handed_over": plan_not_handed_over,
    "stale_assessment": stale_assessment,
    "no_contact": no_contact,
    "agreement_overdue_participant": agreement_overdue_participant,
    "agreement_overdue_municipality": agreement_overdue_municipality,
    "exemption_ending": exemption_ending,
}


def caseload_signals(participants, *, today: dt.date) -> dict[int, list[str]]:
    """{participant id: [signal codes, in the order of SIGNALS]} for the given participants,
    with a fixed number of queries whatever their number."""
    participants = list(participants)
    if not participants:
        return {}
    facts = CaseloadFacts.load([p.pk for p in participants], today=today)
    return {p.pk: [code for code, check in CHECKS.items() if check(p, facts)] for p in participants}
