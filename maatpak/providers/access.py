"""What provider staff see of a referral: the provider's view model.

Which referrals they reach (their own provider's, within the access period) and which goals
they may see (no health goals) are access rules of trajectories (`trajectories.policies`);
this module only says which fields leave for the provider's pages and API (`referral_view`).
"""

from django.db.models import Prefetch

from maatpak.trajectories.models import Party, PlannedInstrument
from maatpak.trajectories.policies import HIDDEN_GOAL_KINDS, provider_visible_goals

__all__ = ["HIDDEN_GOAL_KINDS", "referral_view", "with_view_data"]


def with_view_data(queryset):
    """Prefetch what `referral_view` reads, so a list costs the same queries for 2 or 200."""
    return queryset.prefetch_related(
        "trajectory__plan_versions__signatures",
        "trajectory__plan_versions__goals",
        "trajectory__plan_versions__agreements",
        Prefetch("trajectory__plan_versions__instruments", queryset=PlannedInstrument.objects.select_related("instrument")),
    )


def referral_view(referral) -> dict:
    """The allow-list of what a provider sees of a referral. Nothing else leaves this function:
    no BSN, benefits, sanctions, domain assessments, health goals or other providers' referrals.
    The plan shown is the one in force: the provider works to what was agreed with the participant."""
    participant = referral.trajectory.participant
    plan = referral.trajectory.plan_in_force()
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
            {"id": g.pk, "description": g.description, "measure": g.measure, "target_date": g.target_date}
            for g in provider_visible_goals(referral)
        ],
        "instruments": [i.instrument.name for i in plan.instruments.all() if i.provider_id == referral.provider_id] if plan else [],
        "participant_agreements": [
            {"description": a.description, "deadline": a.deadline} for a in plan.agreements.all() if a.party == Party.PARTICIPANT
        ]
        if plan
        else [],
    }
