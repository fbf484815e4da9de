"""What provider staff may see (one place for the rule).

Only referrals to their own provider; only while the referral is open, and for the
municipality's access period after it ended or was declined; and only an allow-list of fields
(see `referral_view`). Everything else is a 404, the same as a referral that does not exist.
"""

import datetime as dt

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.core.tenancy import scope_to_user
from maatpak.trajectories.models import IntermediateGoalKind, Referral, ReferralStatus

OPEN_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.INTAKE, ReferralStatus.ACTIVE)

# Health is a special category of personal data (AVG art. 9). Provider staff get health details
# only through what the consultant wrote for this referral (`Referral.shared_information`),
# never through the plan: goals of these kinds are left out of everything a provider sees,
# fills in or reads back (referral page, API, progress form, reports and their PDF).
HIDDEN_GOAL_KINDS = frozenset({IntermediateGoalKind.HEALTH})


def provider_referral_queryset(user, *, today: dt.date | None = None):
    if user.role != Role.PROVIDER_STAFF or user.provider_id is None:
        return Referral.objects.none()
    today = today or timezone.localdate()
    queryset = scope_to_user(Referral.objects.filter(provider_id=user.provider_id), user).select_related(
        "trajectory__participant__municipality", "contract", "provider"
    )
    # The access period is a per-municipality number of days; date arithmetic on it differs per
    # database, so closed referrals (a provider's few) are checked here one by one.
    ids = []
    closed = queryset.exclude(status__in=OPEN_STATUSES).values_list(
        "pk", "status", "ended_on", "responded_on", "trajectory__participant__municipality__provider_access_days_after_close"
    )
    for pk, status, ended_on, responded_on, days in closed:
        closed_on = ended_on if status == ReferralStatus.ENDED else responded_on
        if closed_on is not None and closed_on + dt.timedelta(days=days) >= today:
            ids.append(pk)
    return queryset.filter(Q(status__in=OPEN_STATUSES) | Q(pk__in=ids))


def provider_referral_get(*, user, pk) -> Referral:
    referral = provider_referral_queryset(user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def with_view_data(queryset):
    """Prefetch what `referral_view` reads, so a list costs the same queries for 2 or 200."""
    from django.db.models import Prefetch

    from maatpak.trajectories.models import PlannedInstrument

    return queryset.prefetch_related(
        "trajectory__plan_versions__goals",
        "trajectory__plan_versions__agreements",
        Prefetch("trajectory__plan_versions__instruments", queryset=PlannedInstrument.objects.select_related("instrument")),
    )


def current_plan(trajectory):
    """The newest plan version except a revision still being drafted (the provider works to the
    version agreed with the participant), read through .all() so a prefetched list needs no
    query per referral."""
    return max((p for p in trajectory.plan_versions.all() if not p.is_draft_revision), key=lambda p: p.number, default=None)


def visible_goals(referral) -> list:
    """The intermediate goals of the current plan that the referral's provider may see and
    report on: every goal except health goals (see HIDDEN_GOAL_KINDS)."""
    plan = current_plan(referral.trajectory)
    return [g for g in plan.goals.all() if g.kind not in HIDDEN_GOAL_KINDS] if plan else []


def visible_goal_progress(report) -> list:
    """A progress report's goal progress without health goals, for provider staff (a report
    written before health goals were hidden may still hold one)."""
    return [gp for gp in report.goal_progress.all() if gp.goal.kind not in HIDDEN_GOAL_KINDS]


def referral_view(referral) -> dict:
    """The allow-list of what a provider sees of a referral. Nothing else leaves this function:
    no BSN, benefits, sanctions, domain assessments, health goals or other providers' referrals."""
    participant = referral.trajectory.participant
    plan = current_plan(referral.trajectory)
    return {
        "id": referral.pk,
        "version": referral.version,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "participant_name": participant.full_name,
        "participant_reference": participant.reference,
        "shared_information": referral.shared_information,
        "proposed_on": referral.proposed_on,
        "responded_on": referral.responded_on,
        "intake_on": referral.intake_on,
        "started_on": referral.started_on,
        "ended_on": referral.ended_on,
        "goals": [
            {"id": g.pk, "description": g.description, "measure": g.measure, "target_date": g.target_date} for g in visible_goals(referral)
        ],
        "instruments": [i.instrument.name for i in plan.instruments.all() if i.provider_id == referral.provider_id] if plan else [],
        "participant_agreements": [
            {"description": a.description, "deadline": a.deadline} for a in plan.agreements.all() if a.party == "participant"
        ]
        if plan
        else [],
    }


def report_get(*, user, kind: str, pk):
    """A provider report ("progress" or "end") for whoever may read it — the participant's
    consultant or team lead, staff of the provider that holds the referral (within the access
    rule above), or the participant it is about — else 404, as for a report that does not exist."""
    from maatpak.participants.policies import dossier_policy
    from maatpak.trajectories.models import EndReport, ProgressReport

    model = {"progress": ProgressReport, "end": EndReport}.get(kind)
    report = (
        model.objects.filter(pk=pk).select_related("author", "referral__provider", "referral__trajectory__participant").first()
        if model
        else None
    )
    if report is None:
        raise Http404
    referral = report.referral
    participant_id = referral.trajectory.participant_id if referral else report.trajectory.participant_id
    if user.role == Role.PARTICIPANT:
        allowed = getattr(getattr(user, "participant", None), "pk", None) == participant_id
    elif user.role == Role.PROVIDER_STAFF:
        allowed = referral is not None and provider_referral_queryset(user).filter(pk=referral.pk).exists()
    else:
        allowed = dossier_policy.instances_for(user, "view").filter(pk=participant_id).exists()
    if not allowed:
        raise Http404
    return report
