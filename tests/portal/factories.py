"""Plan and report rows for portal tests, made directly (the services are tested elsewhere)."""

import datetime as dt

from maatpak.trajectories.models import (
    Agreement,
    EndReport,
    Goal,
    PlanVersion,
    ProgressReport,
    Referral,
    ReferralStatus,
    Trajectory,
    TrajectoryStatus,
)
from tests.factories import ProviderFactory


def plan_for(participant, *, consultant, status=TrajectoryStatus.AGREED):
    trajectory = Trajectory.objects.create(
        municipality=participant.municipality, participant=participant, consultant=consultant, status=status, started_on=dt.date(2026, 1, 5)
    )
    plan = PlanVersion.objects.create(
        municipality=participant.municipality,
        trajectory=trajectory,
        number=1,
        end_goal_kind="regular_work",
        end_goal="Werk in de groenvoorziening",
        planned_start=dt.date(2026, 1, 5),
        planned_end=dt.date(2026, 12, 31),
        fallback_if_no_job="Vrijwilligerswerk bij de kinderboerderij",
        created_by=consultant,
    )
    Goal.objects.create(
        municipality=participant.municipality,
        plan=plan,
        kind="daily_structure",
        description="Elke ochtend om 9 uur beginnen",
        measure="4 weken op tijd",
        target_date=dt.date(2026, 3, 1),
    )
    Agreement.objects.create(
        municipality=participant.municipality,
        plan=plan,
        party="participant",
        description="Ik solliciteer op twee vacatures per maand",
        deadline=dt.date(2026, 6, 1),
    )
    Agreement.objects.create(
        municipality=participant.municipality,
        plan=plan,
        party="municipality",
        description="De gemeente regelt kinderopvang",
        deadline=dt.date(2026, 2, 1),
    )
    return trajectory, plan


def reports_for(trajectory, *, author):
    provider = ProviderFactory(municipality=trajectory.municipality, name=f"Werkfit {trajectory.pk}")
    referral = Referral.objects.create(
        municipality=trajectory.municipality,
        trajectory=trajectory,
        provider=provider,
        status=ReferralStatus.ACTIVE,
        proposed_on=dt.date(2026, 1, 6),
        started_on=dt.date(2026, 1, 20),
    )
    progress = ProgressReport.objects.create(
        municipality=trajectory.municipality,
        referral=referral,
        due_on=dt.date(2026, 3, 1),
        submitted_on=dt.date(2026, 3, 2),
        activities="Sollicitatietraining gevolgd",
        attendance="good",
        next_steps="Proefplaatsing zoeken",
        author=author,
    )
    end = EndReport.objects.create(
        municipality=trajectory.municipality,
        trajectory=trajectory,
        submitted_on=dt.date(2026, 9, 1),
        conclusion="Doel bereikt",
        outcome="regular_work",
        author=author,
    )
    return progress, end
