"""The consultant's read models: the caseload with its signals and the integral dossier.
They read participants, trajectories, referrals and placements, so they live in this app above them."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatpak.accounts.models import User
from maatpak.accounts.navigation import waiting_count
from maatpak.accounts.policy import DOSSIER, Relation, permits, relation_for
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.casework.alerts import SIGNALS, caseload_signals, exemptions_ending
from maatpak.casework.caseload_search import bsn_digits
from maatpak.core.templatetags.maatpak_tags import euros
from maatpak.employers.selectors import follow_ups_due
from maatpak.participants.models import (
    BenefitType,
    ConsultantAssignment,
    Domain,
    LadderAssessment,
    Participant,
    SolAssessment,
)
from maatpak.participants.policies import dossier_policy
from maatpak.participants.selectors import participants_without_assessments, running_benefit
from maatpak.trajectories.models import (
    EndReport,
    MunicipalityDefault,
    ProgressReport,
    Referral,
    ReferralStatus,
    ReportKind,
    Trajectory,
    TrajectoryStatus,
)
from maatpak.trajectories.services import PLAN_FIELDS, plan_problems


def caseload_queryset(*, user, consultant_id=None):
    """The participants on the user's caseload (a team lead: the team's), annotated with the
    facts the caseload table sorts and filters on. One query, whatever the caseload size."""
    queryset = dossier_policy.instances_for(user, "list_caseload")
    if consultant_id:
        queryset = queryset.filter(consultant_id=consultant_id)
    latest_rung = LadderAssessment.objects.filter(participant=OuterRef("pk")).order_by("-assessed_on", "-id").values("rung")[:1]
    latest_sol = SolAssessment.objects.filter(participant=OuterRef("pk")).order_by("-assessed_on", "-id").values("group")[:1]
    latest_trajectory = Trajectory.objects.filter(participant=OuterRef("pk")).order_by("-created_at", "-id")
    open_referral = Referral.objects.filter(
        trajectory__participant=OuterRef("pk"), status__in=[ReferralStatus.ACCEPTED, ReferralStatus.INTAKE, ReferralStatus.ACTIVE]
    ).order_by("-proposed_on")
    return (
        queryset.select_related("consultant")
        .annotate(
            rung=Subquery(latest_rung),
            sol_group=Subquery(latest_sol),
            trajectory_status=Subquery(latest_trajectory.values("status")[:1]),
            provider_name=Subquery(open_referral.values("provider__name")[:1]),
            provider_id=Subquery(open_referral.values("provider_id")[:1]),
        )
        .filter(moved_away_on__isnull=True)
    )


def team_consultants(*, user):
    """The consultants whose caseloads the user sees next to their own: for whoever lists the
    caseload of a whole team (a team lead), the consultants of their team; else nobody."""
    if relation_for(user, DOSSIER, "list_caseload") != Relation.TEAM or not user.team_id:
        return User.objects.none()
    return User.objects.filter(role=Role.CONSULTANT, team_id=user.team_id).people().order_by("last_name")


def caseload_with_signals(rows, *, today: dt.date, signal: str = "", sort: str = ""):
    """The caseload rows as a list, each with its `signal_codes` and `age`, narrowed to one
    signal and sorted by the number of signals when asked; and the count per signal over all
    rows (before the narrowing, so each count says what choosing it would show)."""
    participants = list(rows)
    signals = caseload_signals(participants, today=today)
    counts = {code: sum(1 for codes in signals.values() if code in codes) for code in SIGNALS}
    if signal:
        participants = [p for p in participants if signal in signals[p.pk]]
    if sort == "signals":
        participants.sort(key=lambda p: -len(signals[p.pk]))
    for p in participants:
        p.signal_codes = signals[p.pk]
        p.age = relativedelta(today, p.birth_date).years
    return participants, counts


# Continuity (DOMAIN §9) is measured over this window.
CONTINUITY_MONTHS = 24


def consultant_changes(participant_ids, *, since: dt.date) -> dict[int, int]:
    """Wisselingen van klantmanager: per participant, the assignments after their first one
    that started on or after `since` (the first assignment is the start, not a change)."""
    changes = defaultdict(int)
    seen = set()
    assignments = ConsultantAssignment.objects.filter(participant__in=participant_ids).order_by("participant_id", "start_date", "id")
    for participant_id, start_date in assignments.values_list("participant_id", "start_date"):
        if participant_id in seen and start_date >= since:
            changes[participant_id] += 1
        seen.add(participant_id)
    return changes


def team_overview(*, user, today: dt.date) -> list[dict]:
    """Teamoverzicht: per consultant of the user's team, the caseload size, the count per signal
    and how many participants had 0, 1, 2 or 3+ consultant changes within the continuity window."""
    participants = list(caseload_queryset(user=user))
    signals = caseload_signals(participants, today=today)
    changes = consultant_changes([p.pk for p in participants], since=today - relativedelta(months=CONTINUITY_MONTHS))
    by_consultant = defaultdict(list)
    for p in participants:
        by_consultant[p.consultant_id].append(p)
    rows = []
    for consultant in team_consultants(user=user):
        mine = by_consultant[consultant.pk]
        distribution = [0, 0, 0, 0]
        counts = dict.fromkeys(SIGNALS, 0)
        for p in mine:
            distribution[min(changes[p.pk], 3)] += 1
            for code in signals[p.pk]:
                counts[code] += 1
        rows.append({"consultant": consultant, "size": len(mine), "signals": list(counts.items()), "changes": distribution})
    return rows


# The caseload filter's value for "participants without a trajectory" (next to the statuses).
NO_TRAJECTORY = "none"


@dataclass
class CaseloadSearch:
    kind: str  # "bsn" or "text"
    error: str = ""


# Trajectory status in the order of its life cycle; participants without a trajectory last.
_STATUS_ORDER = Case(
    *[When(trajectory_status=status, then=Value(index)) for index, status in enumerate(TrajectoryStatus.values)],
    default=Value(len(TrajectoryStatus.values)),
    output_field=IntegerField(),
)
SORTS = {
    "name": ("last_name",),
    "rung": (F("rung").asc(nulls_last=True), "last_name"),
    "sol": (F("sol_group").asc(nulls_last=True), "last_name"),
    "status": (_STATUS_ORDER, "last_name"),
    "provider": (F("provider_name").asc(nulls_last=True), "last_name"),
    # Counted in Python after the signals are computed; the database orders by name.
    "signals": ("last_name",),
}


def caseload_filter(rows, filters: dict):
    """Apply the caseload form's search, filters and sort to `caseload_queryset` rows.

    `bsn_search` is a BSN search kept server-side (`caseload_search`): its keyed hash, or the
    11-test error. A `q` of 8 or 9 digits (spaces, dots and dashes ignored) is a BSN too, found
    through its keyed hash; anything else matches every word against the names, or the whole
    query as a reference. Returns (rows, CaseloadSearch or None when nothing was searched)."""
    search = None
    query = (filters.get("q") or "").strip()
    stored = filters.get("bsn_search")
    if stored:
        search = CaseloadSearch(kind="bsn", error=stored.get("error", ""))
        rows = rows.filter(bsn_hash=stored["hash"]) if stored.get("hash") else rows.none()
    elif query:
        digits = bsn_digits(query)
        if digits:
            search = CaseloadSearch(kind="bsn")
            try:
                rows = rows.filter(bsn_hash=Participant.hash_for_lookup(digits))
            except ValidationError as exc:
                search.error = exc.messages[0]
                rows = rows.none()
        else:
            search = CaseloadSearch(kind="text")
            names = Q()
            for word in query.split():
                names &= Q(first_name__icontains=word) | Q(name_prefix__icontains=word) | Q(last_name__icontains=word)
            rows = rows.filter(names | Q(reference__iexact=query))
    if filters.get("rung"):
        rows = rows.filter(rung=filters["rung"])
    if filters.get("sol"):
        rows = rows.filter(sol_group=filters["sol"])
    if filters.get("status") == NO_TRAJECTORY:
        rows = rows.filter(trajectory_status__isnull=True)
    elif filters.get("status"):
        rows = rows.filter(trajectory_status=filters["status"])
    if filters.get("provider"):
        rows = rows.filter(provider_id=filters["provider"])
    return rows.order_by(*SORTS.get(filters.get("sort") or "name", SORTS["name"]), "first_name", "pk"), search


def participant_dossier(participant, *, today) -> dict:
    """Everything the integral dossier shows, for a participant already access-checked with
    `participant_get_for_dossier`. A fixed number of queries, however long the history."""

    stale_before = today - dt.timedelta(days=settings.MAATPAK_STALE_ASSESSMENT_DAYS)
    domains = {}
    for row in participant.domain_assessments.select_related("author").order_by("domain", "-assessed_on", "-id"):
        domains.setdefault(row.domain, row)
    domain_rows = [
        {"code": code, "label": label, "latest": domains.get(code), "stale": code in domains and domains[code].assessed_on < stale_before}
        for code, label in Domain.choices
    ]
    benefits = list(participant.benefits.order_by("-start_date", "-id"))
    benefit = benefits[0] if benefits else None
    months_on_benefit = None
    if benefit and benefit.type != BenefitType.NONE:
        end = benefit.end_date or today
        delta = relativedelta(end, benefit.start_date)
        months_on_benefit = delta.years * 12 + delta.months
    ladder = list(participant.ladder_assessments.select_related("author", "definition").order_by("assessed_on", "id"))
    for row in ladder:
        row.rung_label = row.definition.label(row.rung)
    sol_history = list(participant.sol_assessments.select_related("author").order_by("-assessed_on", "-id"))
    trajectories = list(
        Trajectory.objects.filter(participant=participant).select_related("closing_report", "consultant").order_by("created_at", "id")
    )
    assignments = list(participant.consultant_assignments.select_related("consultant").order_by("start_date", "id"))
    return {
        "participant": participant,
        "benefit": benefit,
        "benefits": benefits,
        "running_benefit": running_benefit(benefits),
        "months_on_benefit": months_on_benefit,
        "domain_rows": domain_rows,
        "ladder": ladder,
        "ladder_stale": bool(ladder) and ladder[-1].assessed_on < stale_before,
        "sol_history": sol_history,
        "sol_stale": bool(sol_history) and sol_history[0].assessed_on < stale_before,
        "competences": list(participant.competences.select_related("competence").order_by("competence__name")),
        "educations": list(participant.educations.all()),
        "work_experiences": list(participant.work_experiences.all()),
        "wishes": list(participant.wishes.select_related("recorded_by").order_by("-created_at", "-id")),
        "trajectories": trajectories,
        "running_trajectory": next((t for t in trajectories if t.status != TrajectoryStatus.CLOSED), None),
        "sanctions": list(participant.sanctions.select_related("agreement").order_by("-hearing_on")),
        "defaults": list(participant.municipality_defaults.select_related("agreement").order_by("-recorded_on")),
        "assignments": assignments,
        # The first assignment is the start, not a change.
        "consultant_changes": max(0, len(assignments) - 1),
        "placements": list(participant.placements.select_related("employer").order_by("-start_date")),
        "contacts": list(participant.contacts.select_related("staff").order_by("-occurred_on", "-id")[:10]),
        "exemptions": list(participant.exemptions.order_by("-start_date", "-id")),
        "today": today,
    }


def plan_page(trajectory) -> dict:
    """What the trajectory plan page shows (without its forms): the latest version with its rows,
    whether it is still a draft, the version in force while a revision is agreed and signed, the
    referrals with their reports and the participant's recent wishes."""
    plan = trajectory.latest_plan()
    plan_draft = plan.is_draft if plan else trajectory.status == TrajectoryStatus.DRAFT
    return {
        "trajectory": trajectory,
        "participant": trajectory.participant,
        "plan": plan,
        "versions": list(trajectory.plan_versions.order_by("number")),
        "plan_draft": plan_draft,
        # While a revision is written, agreed and signed, the earlier version stays in force.
        "in_force": trajectory.plan_in_force() if plan and plan.number > 1 else None,
        "goals": list(plan.goals.all()) if plan else [],
        "ideas": list(plan.ideas.all()) if plan else [],
        "instruments": _with_barrier_labels(plan.instruments.select_related("instrument", "provider", "serves_goal")) if plan else [],
        "agreements": list(plan.agreements.all()) if plan else [],
        "signatures": {s.party: s for s in plan.signatures.all()} if plan else {},
        "handovers": list(plan.handovers.all()) if plan else [],
        "problems": plan_problems(plan) if plan and plan_draft else [],
        "referrals": list(trajectory.referrals.select_related("provider", "end_report").prefetch_related("progress_reports")),
        "wishes": list(trajectory.participant.wishes.order_by("-created_at")[:10]),
        "sanctions": list(trajectory.sanctions.select_related("agreement").order_by("hearing_on", "id")),
        "defaults": list(trajectory.municipality_defaults.select_related("agreement", "answered_by").order_by("recorded_on", "id")),
        # "Start a new trajectory" is offered only while none runs (trajectory_create refuses too).
        "running_trajectory": running_trajectory(trajectory.participant),
    }


def _with_barrier_labels(instruments) -> list:
    """The planned instruments, each with `barrier_label`: the life domain it addresses, in words."""
    labels = dict(Domain.choices)
    rows = list(instruments)
    for row in rows:
        row.barrier_label = labels.get(row.serves_barrier, "")
    return rows


def running_trajectory(participant):
    """The participant's trajectory that is not closed, if any: one runs at a time."""
    return Trajectory.objects.filter(participant=participant).exclude(status=TrajectoryStatus.CLOSED).order_by("-id").first()


def followed_up_plan(trajectory):
    """The version whose agreements are followed up (sanctions, municipality defaults): the one
    in force; never a draft."""
    in_force = trajectory.plan_in_force()
    return None if in_force is None or in_force.is_draft else in_force


def _plan_value(plan, name):
    """A plan field as the comparison shows it: a choice by its label, a date as dd-mm-yyyy."""
    value = getattr(plan, f"get_{name}_display")() if hasattr(plan, f"get_{name}_display") else getattr(plan, name)
    return value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else value


def _plan_lists():
    """The rows of a plan version the comparison lists, each written as one line of text."""
    supported = {True: _("supported"), False: _("not now")}
    return (
        (_("Intermediate goals"), "goals", lambda g: f"{g.description} ({g.measure}, {g.target_date:%d-%m-%Y})"),
        (_("The participant's own ideas"), "ideas", lambda i: f"“{i.idea}” – {supported[i.supported]}: {i.response}"),
        (
            _("Instruments"),
            "instruments",
            lambda i: (
                f"{i.instrument.name}"
                + (f" – {i.provider.name}" if i.provider else "")
                + f" ({i.start_date:%d-%m-%Y} – {i.end_date:%d-%m-%Y}, {euros(i.cost_cents)})"
            ),
        ),
        (_("Agreements"), "agreements", lambda a: f"{a.get_party_display()}: {a.description} ({a.deadline:%d-%m-%Y})"),
    )


def plan_version_comparison(old, new) -> tuple[list[dict], list[dict]]:
    """Plan version `new` next to `old`: per plan field its label, value before and after and
    whether it changed (`rows`); per list of rows (goals, ideas, instruments, agreements) the
    lines removed and added (`lists`). A changed row shows as one removed and one added line."""
    rows = []
    for name in PLAN_FIELDS:
        before, after = _plan_value(old, name), _plan_value(new, name)
        rows.append({"label": new._meta.get_field(name).verbose_name, "before": before, "after": after, "changed": before != after})
    lists = []
    for label, attr, text in _plan_lists():
        before = [text(x) for x in getattr(old, attr).all()]
        after = [text(x) for x in getattr(new, attr).all()]
        lists.append({"label": label, "removed": [x for x in before if x not in after], "added": [x for x in after if x not in before]})
    return rows, lists


# --- work to do (werkvoorraad): what waits on the consultant -------------------------------------


class WorkKind:
    """The kinds of work on the list, with their label (in the order of the page's counts)."""

    PROGRESS_REPORT = "progress_report"
    END_REPORT = "end_report"
    REACTION = "reaction"
    MESSAGE = "message"
    DEFAULT_REPORTED = "default_reported"
    FOLLOW_UP = "follow_up"
    EXEMPTION_ENDING = "exemption_ending"
    NO_ASSESSMENT = "no_assessment"

    LABELS = {
        PROGRESS_REPORT: gettext_lazy("New progress report"),
        END_REPORT: gettext_lazy("New end report"),
        REACTION: gettext_lazy("Reaction of the participant to a report"),
        MESSAGE: gettext_lazy("Message waiting for an answer"),
        DEFAULT_REPORTED: gettext_lazy("Default reported by the participant"),
        FOLLOW_UP: gettext_lazy("Follow-up check due"),
        EXEMPTION_ENDING: gettext_lazy("Exemption ends soon"),
        NO_ASSESSMENT: gettext_lazy("Intake without assessments"),
    }


@dataclass
class WorkItem:
    kind: str
    participant: Participant
    since: dt.date  # waiting since: the list is sorted oldest first
    text: str
    url: str

    @property
    def label(self):
        return WorkKind.LABELS[self.kind]


def _read_by(user, object_type: str, pk_field: str, since_field: str | None = None):
    """Has `user` opened the row `pk_field` points at (a READ event in the audit log, the read
    receipt the report page writes), since `since_field` when given?"""
    events = AuditEvent.objects.filter(
        actor=user, action=AuditAction.READ, object_type=object_type, object_id=Cast(OuterRef(pk_field), CharField())
    )
    if since_field:
        events = events.filter(at__gte=OuterRef(since_field))
    return Exists(events)


# The providers' reports on the work list: (work kind, report kind, model, the report's path to
# its trajectory, which rows). An end report without a referral is the consultant's own.
REPORT_SOURCES = (
    (WorkKind.PROGRESS_REPORT, ReportKind.PROGRESS, ProgressReport, "referral__trajectory", Q()),
    (WorkKind.END_REPORT, ReportKind.END, EndReport, "trajectory", Q(referral__isnull=False)),
)


def _report_items(user, participants, since: dt.date) -> list[WorkItem]:
    """Providers' progress and end reports of the last MAATPAK_WORK_LIST_NEW_DAYS that the user
    has not opened yet (one query each)."""
    items = []
    for work_kind, report_kind, model, trajectory, which in REPORT_SOURCES:
        reports = (
            model.objects.filter(which, **{f"{trajectory}__participant__in": participants}, submitted_on__gte=since)
            .annotate(read=_read_by(user, model.__name__, "pk"))
            .filter(read=False)
            .select_related(f"{trajectory}__participant", "referral__provider")
        )
        participant_of = attrgetter(trajectory.replace("__", ".") + ".participant")
        items += [
            WorkItem(
                work_kind,
                participant_of(report),
                report.submitted_on,
                report.referral.provider.name,
                reverse("providers:report_detail", args=[report_kind, report.pk]),
            )
            for report in reports
        ]
    return items


# Messages and reactions are the portal's rows (an app beside this one, so not imported here):
# they are read through the participant's reverse relations (`messages`, `report_reactions`).


def _reaction_items(user, participants, since: dt.date) -> list[WorkItem]:
    """Participants' reactions to reports that the user has not read: the report page (which
    shows the reactions) was not opened by them after the reaction was written."""
    rows = (
        participants.filter(report_reactions__created_at__date__gte=since)
        .annotate(
            seen_progress=_read_by(user, "ProgressReport", "report_reactions__progress_report_id", "report_reactions__created_at"),
            seen_end=_read_by(user, "EndReport", "report_reactions__end_report_id", "report_reactions__created_at"),
            reaction_text=F("report_reactions__text"),
            reaction_at=F("report_reactions__created_at"),
            progress_report_id=F("report_reactions__progress_report_id"),
            end_report_id=F("report_reactions__end_report_id"),
        )
        .filter(seen_progress=False, seen_end=False)
    )
    items = []
    for p in rows:
        kind, pk = (ReportKind.PROGRESS, p.progress_report_id) if p.progress_report_id else (ReportKind.END, p.end_report_id)
        items.append(
            WorkItem(
                WorkKind.REACTION,
                p,
                timezone.localdate(p.reaction_at),
                p.reaction_text[:80],
                reverse("providers:report_detail", args=[kind, pk]),
            )
        )
    return items


def _message_items(participants) -> list[WorkItem]:
    """Messages the participant wrote (their own account sent it) not answered yet: answering
    marks a message read."""
    rows = participants.filter(messages__sender=F("user"), messages__read_on__isnull=True).annotate(
        message_subject=F("messages__subject"), message_at=F("messages__created_at")
    )
    return [WorkItem(WorkKind.MESSAGE, p, timezone.localdate(p.message_at), p.message_subject, reverse("portal:inbox")) for p in rows]


def _default_items(participants) -> list[WorkItem]:
    """Defaults the participant reported that still wait for the consultant's answer."""
    rows = MunicipalityDefault.objects.filter(
        participant__in=participants, reported_by_participant=True, answered_on__isnull=True
    ).select_related("participant")
    return [
        WorkItem(
            WorkKind.DEFAULT_REPORTED,
            d.participant,
            d.recorded_on,
            d.description[:80],
            reverse("trajectories:detail", args=[d.trajectory_id]) + f"#default-{d.pk}",
        )
        for d in rows
    ]


def _follow_up_items(user, today: dt.date) -> list[WorkItem]:
    return [
        WorkItem(
            WorkKind.FOLLOW_UP,
            check.placement.participant,
            check.due_on,
            check.placement.employer.name if check.placement.employer_id else "",
            reverse("participants:dossier", args=[check.placement.participant_id]) + "#placements",
        )
        for check in follow_ups_due(user=user, today=today)
    ]


def _exemption_items(participants, today: dt.date) -> list[WorkItem]:
    """Exemptions ending within MAATPAK_EXEMPTION_ENDING_DAYS, from the day that window opened."""
    rows = exemptions_ending(participants.values("pk"), today=today).select_related("participant")
    window = dt.timedelta(days=settings.MAATPAK_EXEMPTION_ENDING_DAYS)
    return [
        WorkItem(
            WorkKind.EXEMPTION_ENDING,
            e.participant,
            e.end_date - window,
            _("ends on %(date)s") % {"date": e.end_date.strftime("%d-%m-%Y")},
            reverse("participants:dossier", args=[e.participant_id]),
        )
        for e in rows
    ]


def _no_assessment_items(participants) -> list[WorkItem]:
    rows = participants_without_assessments(participants)
    return [WorkItem(WorkKind.NO_ASSESSMENT, p, p.registered_on, "", reverse("participants:dossier", args=[p.pk])) for p in rows]


def work_list(*, user, today: dt.date | None = None) -> list[WorkItem]:
    """Werkvoorraad: everything that waits on `user` for the participants of their work list
    (DOSSIER `view_work_list`: a consultant's own caseload, a team lead's team), oldest first.
    A fixed number of queries, however many participants and items."""
    today = today or timezone.localdate()
    participants = dossier_policy.instances_for(user, "view_work_list")
    new_since = today - dt.timedelta(days=settings.MAATPAK_WORK_LIST_NEW_DAYS)
    items = [
        *_report_items(user, participants, new_since),
        *_reaction_items(user, participants, new_since),
        *_message_items(participants),
        *_default_items(participants),
        *_follow_up_items(user, today),
        *_exemption_items(participants, today),
        *_no_assessment_items(participants),
    ]
    items.sort(key=lambda item: (item.since, item.participant.last_name, item.kind))
    return items


@waiting_count("participants:work")
def work_count(user) -> int:
    """The number in the menu next to "Work to do"."""
    return len(work_list(user=user)) if permits(user, DOSSIER, "view_work_list") else 0
