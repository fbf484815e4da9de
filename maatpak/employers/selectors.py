"""Reads of the employers domain: employers, vacancies, placements and their follow-up checks,
and the one definition of durability (`placement_lasted`) that monitoring and the analyses share."""

import datetime as dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from maatpak.accounts.policy import EMPLOYER_DESK, require
from maatpak.core.tenancy import scope_to_user
from maatpak.employers.models import Employer, Placement, PlacementFollowUp, Vacancy
from maatpak.participants.models import Participant
from maatpak.participants.policies import dossier_policy, participants_in_relation


def employer_list(*, user):
    return scope_to_user(Employer.objects.all(), user)


def vacancy_list(*, user):
    return scope_to_user(Vacancy.objects.all(), user)


def placement_list(*, user):
    return scope_to_user(Placement.objects.all(), user)


def vacancy_matches(*, user, vacancy, limit: int = 25) -> list[dict]:
    """Participants whose recorded competences cover the vacancy's, best match first.

    Only for the employer desk (`EMPLOYER_DESK` row; 403 otherwise); returns names and matching
    competences, not the dossier. The score is the share of the vacancy's competences the
    person has.
    """
    relation = require(user, EMPLOYER_DESK, "view")
    wanted = list(vacancy.competences.values_list("id", flat=True))
    if not wanted:
        return []
    rows = (
        participants_in_relation(user, relation, scope_to_user(Participant.objects.all(), user))
        .filter(moved_away_on__isnull=True, competences__competence_id__in=wanted)
        .annotate(hits=Count("competences", filter=Q(competences__competence_id__in=wanted), distinct=True))
        .order_by("-hits", "last_name")[:limit]
    )
    return [{"participant": p, "hits": p.hits, "share": p.hits / len(wanted)} for p in rows]


def participant_placements(participant) -> list:
    """The participant's placements, newest first, with their employer and, as `checks`, their
    follow-up checks (and who recorded each): what the dossier shows, in two queries however many
    placements there are (also none)."""
    placements = list(participant.placements.select_related("employer").order_by("-start_date", "-id"))
    checks = {}
    for check in PlacementFollowUp.objects.filter(placement__participant=participant).select_related("checked_by").order_by("months"):
        checks.setdefault(check.placement_id, []).append(check)
    for placement in placements:
        placement.checks = checks.get(placement.pk, [])
    return placements


def follow_ups_due(*, user, today: dt.date):
    """Follow-up checks waiting on `user` (work to do): due on or before `today`, not recorded
    yet, of a placement still running, for the participants of the user's work list (the
    dossier policy's `view_work_list` relation: a consultant's own caseload, a team lead's team).
    Oldest first."""
    participants = dossier_policy.instances_for(user, "view_work_list")
    return (
        scope_to_user(PlacementFollowUp.objects.all(), user)
        .filter(checked_on__isnull=True, due_on__lte=today, placement__end_date__isnull=True, placement__participant__in=participants)
        .select_related("placement__participant", "placement__employer")
        .order_by("due_on", "id")
    )


def placement_lasted(*, start_date: dt.date, end_date: dt.date | None, checks: Iterable, months: int, today: dt.date) -> bool | None:
    """Did a placement last `months` months (durability, duurzaamheid)? True, False, or None when
    that is not known on `today`. `checks` are the placement's follow-up checks as
    (checked_on, still_working) pairs, unrecorded ones included (checked_on None).
    docs/methods.md ("Durability") states this rule in words:

    - it ended (its end date, or a check that found the person no longer working) before the
      moment start + `months`: False;
    - the moment is still to come: None (censored);
    - it ended on or after the moment: True;
    - still running: True when a check on or after the moment found the person still working;
      a placement without any checks (imported history, or recorded before checks existed) is
      judged by its end date alone, as before, so True; otherwise — the check is due but not
      recorded yet — None (unknown, never a failure).
    """
    checks = list(checks)
    moment = start_date + relativedelta(months=months)
    stops = [on for on, working in checks if on is not None and working is False]
    if stops and (end_date is None or min(stops) < end_date):
        end_date = min(stops)
    if end_date is not None and end_date < moment:
        return False if end_date <= today else None
    if moment > today:
        return None
    if end_date is not None or not checks:
        return True
    if any(on is not None and on >= moment and working for on, working in checks):
        return True
    return None
