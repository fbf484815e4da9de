"""The permission policies of trajectories (traject en plan) and referrals with their reports
(aanmeldingen en rapportages).

Which relation each role has is in `accounts.policy.PERMISSIONS`; these policies only say which
rows a relation reaches. Everything outside it gets the same 404 as a row that does not exist.

- TEAM, OWN_CASELOAD, SELF: through the participant (`participants_in_relation`), like the dossier.
- OWN_REFERRAL: referrals to the user's own provider, while open and for the municipality's
  access period after they ended or were declined (`Municipality.provider_access_days_after_close`).

What a provider sees *of* a referral it may reach is a second, field-level rule: health goals
are never shown to a provider (`HIDDEN_GOAL_KINDS`, `provider_visible_goals`), and the
provider's page and API show only the allow-list in `providers.access.referral_view`.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from maatpak.accounts.policy import REFERRAL, TRAJECTORY, ObjectPolicy, Relation, relation_for
from maatpak.participants.models import Participant
from maatpak.participants.policies import participants_in_relation
from maatpak.trajectories.models import (
    OPEN_REFERRAL_STATUSES,
    EndReport,
    IntermediateGoalKind,
    ProgressReport,
    Referral,
    ReferralStatus,
    ReportKind,
    Trajectory,
)

# Health is a special category of personal data (AVG art. 9). Provider staff get health details
# only through what the consultant wrote for this referral (`Referral.shared_information`),
# never through the plan: goals of these kinds are left out of everything a provider sees,
# fills in or reads back (referral page, API, progress form, reports and their PDF).
HIDDEN_GOAL_KINDS = frozenset({IntermediateGoalKind.HEALTH})


def _participants(user, relation: Relation):
    return participants_in_relation(user, relation, Participant.objects.all())


class TrajectoryPolicy(ObjectPolicy):
    """Trajectories and everything in them (plan versions and their rows, signatures,
    hand-overs, sanctions, municipality defaults) follow the trajectory's participant."""

    family = TRAJECTORY
    model = Trajectory

    def for_relation(self, user, relation, queryset):
        return queryset.filter(participant__in=_participants(user, relation))

    def allows_for_participant(self, user, action: str, participant) -> bool:
        """For a trajectory not made yet: may `user` do `action` on this participant's trajectories?"""
        relation = relation_for(user, self.family, action)
        return relation is not None and _participants(user, relation).filter(pk=participant.pk).exists()


def own_referrals(user, queryset, *, today: dt.date | None = None):
    """OWN_REFERRAL: referrals to the user's provider, open or within the access period after
    they ended or were declined."""
    if user.provider_id is None:
        return queryset.none()
    today = today or timezone.localdate()
    queryset = queryset.filter(provider_id=user.provider_id)
    # The access period is a per-municipality number of days; date arithmetic on it differs per
    # database, so closed referrals (a provider's few) are checked here one by one.
    ids = []
    closed = queryset.exclude(status__in=OPEN_REFERRAL_STATUSES).values_list(
        "pk", "status", "ended_on", "responded_on", "trajectory__participant__municipality__provider_access_days_after_close"
    )
    for pk, status, ended_on, responded_on, days in closed:
        closed_on = ended_on if status == ReferralStatus.ENDED else responded_on
        if closed_on is not None and closed_on + dt.timedelta(days=days) >= today:
            ids.append(pk)
    return queryset.filter(Q(status__in=OPEN_REFERRAL_STATUSES) | Q(pk__in=ids))


class ReferralPolicy(ObjectPolicy):
    """Referrals: the provider's own (OWN_REFERRAL); staff and the participant through the
    participant."""

    family = REFERRAL
    model = Referral

    def for_relation(self, user, relation, queryset):
        if relation == Relation.OWN_REFERRAL:
            return own_referrals(user, queryset)
        return queryset.filter(trajectory__participant__in=_participants(user, relation))

    def allows_for_trajectory(self, user, action: str, trajectory) -> bool:
        """For referrals not made yet (propose) or all of a trajectory's (close): may `user` do
        `action` on this trajectory's referrals?"""
        relation = relation_for(user, self.family, action)
        return relation is not None and _participants(user, relation).filter(pk=trajectory.participant_id).exists()


class _ReportPolicy(ObjectPolicy):
    """A provider's report follows its referral (OWN_REFERRAL) or its participant."""

    family = REFERRAL
    participant_path: str

    def for_relation(self, user, relation, queryset):
        if relation == Relation.OWN_REFERRAL:
            return queryset.filter(referral__in=own_referrals(user, referral_policy.base_queryset(user)))
        return queryset.filter(**{f"{self.participant_path}__in": _participants(user, relation)})


class ProgressReportPolicy(_ReportPolicy):
    model = ProgressReport
    participant_path = "referral__trajectory__participant"


class EndReportPolicy(_ReportPolicy):
    # An end report belongs to a trajectory; a provider's also to its referral.
    model = EndReport
    participant_path = "trajectory__participant"


trajectory_policy = TrajectoryPolicy()
referral_policy = ReferralPolicy()
REPORT_POLICIES = {ReportKind.PROGRESS: ProgressReportPolicy(), ReportKind.END: EndReportPolicy()}


def provider_visible_goals(referral) -> list:
    """The intermediate goals of the plan in force that the referral's provider may see and
    report on: every goal except health goals (see HIDDEN_GOAL_KINDS)."""
    plan = referral.trajectory.plan_in_force()
    return [g for g in plan.goals.all() if g.kind not in HIDDEN_GOAL_KINDS] if plan else []


def provider_visible_goal_progress(report) -> list:
    """A progress report's goal progress without health goals, for provider staff (a report
    written before health goals were hidden may still hold one)."""
    return [gp for gp in report.goal_progress.all() if gp.goal.kind not in HIDDEN_GOAL_KINDS]
