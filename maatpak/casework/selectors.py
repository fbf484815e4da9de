"""The consultant's read models: the caseload with its signals and the integral dossier.
They read participants, trajectories, referrals and placements, so they live in this app above them."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from maatpak.accounts.models import User
from maatpak.accounts.policy import DOSSIER, Relation, relation_for
from maatpak.accounts.roles import Role
from maatpak.casework.alerts import SIGNALS, caseload_signals
from maatpak.casework.caseload_search import bsn_digits
from maatpak.core.templatetags.maatpak_tags import euros
from maatpak.participants.models import (
    BenefitType,
    ConsultantAssignment,
    Domain,
    LadderAssessment,
    Participant,
    SolAssessment,
)
from maatpak.participants.policies import dossier_policy
from maatpak.participants.selectors import running_benefit
from maatpak.trajectories.models import Referral, ReferralStatus, Trajectory, TrajectoryStatus
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
    return User.objects.filter(role=Role.CONSULTANT, team_id=user.team_id).order_by("last_name")


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
        "instruments": list(plan.instruments.select_related("instrument", "provider")) if plan else [],
        "agreements": list(plan.agreements.all()) if plan else [],
        "signatures": {s.party: s for s in plan.signatures.all()} if plan else {},
        "handovers": list(plan.handovers.all()) if plan else [],
        "problems": plan_problems(plan) if plan and plan_draft else [],
        "referrals": list(trajectory.referrals.select_related("provider", "end_report").prefetch_related("progress_reports")),
        "wishes": list(trajectory.participant.wishes.order_by("-created_at")[:10]),
    }


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
