from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core.models import TenantModel
from maatpak.participants.models import Domain

# The barrier columns of the history import (docs/import-format.md) and of the analysis data set,
# and the life domain (leefgebied) each one stands for: one mapping, so an imported barrier is
# read back by the analyses under the same column.
BARRIER_DOMAINS = {
    "health_physical": Domain.HEALTH_PHYSICAL.value,
    "health_mental": Domain.HEALTH_MENTAL.value,
    "debts": Domain.INCOME_DEBTS.value,
    "housing": Domain.HOUSING.value,
    "language": Domain.LANGUAGE.value,
    "care_duties": Domain.CARING_DUTIES.value,
}


class ImportedTrajectory(TenantModel):
    """Which row of an older system's export went into which trajectory, so that importing the
    same file again changes nothing (idempotent on participant_ref + start_date + instrument).
    Rows with the same participant_ref + start_date are one trajectory with several planned
    instruments, so one trajectory can have several import records."""

    participant_ref = models.CharField(_("participant reference"), max_length=64)
    start_date = models.DateField(_("start date"))
    instrument_code = models.CharField(_("instrument code"), max_length=40)
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="import_records", verbose_name=_("trajectory")
    )
    source_file = models.CharField(_("source file"), max_length=255)
    # The row as imported (column → text), so a later file that adds an instrument to this
    # trajectory can be checked against what was imported before.
    row = models.JSONField(_("imported row"), default=dict, blank=True)
    # An empty cost_cents is unknown, not zero: the planned instrument must store a number, so
    # the analyses read the cost as unknown from here.
    cost_unknown = models.BooleanField(_("cost unknown"), default=False)

    class Meta:
        verbose_name = _("imported trajectory")
        verbose_name_plural = _("imported trajectories")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "participant_ref", "start_date", "instrument_code"], name="imported_trajectory_unique"
            )
        ]

    def __str__(self):
        return f"{self.participant_ref} {self.start_date} {self.instrument_code}"
