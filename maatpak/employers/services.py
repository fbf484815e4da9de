"""Writes for the employers domain: recording a placement (plaatsing) from the dossier."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.employers.models import PAID_WORK_KINDS, Placement, PlacementKind
from maatpak.participants.policies import dossier_policy
from maatpak.participants.services import dossier_row_add


@transaction.atomic
def placement_record(
    *,
    actor,
    participant,
    kind: str,
    start_date,
    employer=None,
    vacancy=None,
    trajectory=None,
    end_date=None,
    hours_per_week: int | None = None,
) -> Placement:
    """Record that the participant started work, education or volunteering.

    Paid work names its employer, so durability can be followed up with the employer desk.
    """
    if not dossier_policy.allows(actor, "change", participant):
        raise PermissionDenied
    if kind not in PlacementKind.values:
        raise ValidationError({"kind": _("Choose the kind of placement.")})
    if start_date is None:
        raise ValidationError({"start_date": _("Enter the start date.")})
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": _("Record a placement once it has started; the start date cannot be in the future.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if employer is not None and employer.municipality_id != participant.municipality_id:
        raise ValidationError({"employer": _("Choose an employer from the list.")})
    if kind in PAID_WORK_KINDS and kind != PlacementKind.SELF_EMPLOYMENT and employer is None:
        raise ValidationError({"employer": _("Paid work needs an employer.")})
    if vacancy is not None and (employer is None or vacancy.employer_id != employer.pk):
        raise ValidationError({"vacancy": _("The vacancy must belong to the chosen employer.")})
    if trajectory is not None and trajectory.participant_id != participant.pk:
        raise ValidationError({"trajectory": _("Choose one of this participant's trajectories.")})
    if hours_per_week is not None and not 1 <= hours_per_week <= 60:
        raise ValidationError({"hours_per_week": _("Hours per week is a number from 1 to 60.")})
    return dossier_row_add(
        Placement,
        actor=actor,
        participant=participant,
        kind=kind,
        employer=employer,
        vacancy=vacancy,
        trajectory=trajectory,
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
    )
