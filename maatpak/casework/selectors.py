"""The consultant's read models: the caseload with its signals and the integral dossier.
They read participants, trajectories, referrals and placements, so they live in this app above them."""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When

from maatpak.accounts.roles import Role
from maatpak.casework.caseload_search import bsn_digits
from maatpak.participants.models import (
    Domain,
    LadderAssessment,
    Participant,
    SolAssessment,
)
from maatpak.participants.policies import dossier_policy
from maatpak.participants.selectors import running_benefit
from maatpak.trajectories.models import Referral, ReferralStatus, Trajectory, TrajectoryStatus


def caseload_queryset(*, user, consultant_id=None):
    """The participants on the user's caseload (a team lead: the team's), annotated with the
    facts the caseload table sorts and filters on. One query, whatever the caseload size."""
    queryset = dossier_policy.instances_for(user, "view")
    if user.role == Role.CONSULTANT:
        queryset = queryset.filter(consultant=user)
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
    if filters.get("status") == "none":
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
    if benefit and benefit.type != "none":
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
