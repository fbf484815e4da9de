from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core.models import TenantModel
from maatpak.core.text import NOTE_MAX_LENGTH
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


class ChecklistQuestion(models.Model):
    """A question of the client council's checklist (checklistvraag), answered with indicators.

    Kept as data so a council can add its own: without a municipality it is a standard question
    every municipality gets (from the seeds, data migration 0004); with one it is that council's
    own. It names the indicators (registry codes) that answer it, or says why no figure can
    (`not_measurable_reason`: "niet meetbaar"). `explanation` is read after the figures (e.g.
    where the figures per provider are)."""

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Empty: a standard question for every municipality."),
    )
    text = models.TextField(_("question"), max_length=1_000)
    source = models.CharField(_("source"), max_length=200)
    indicator_codes = models.JSONField(_("indicators that answer it"), default=list, blank=True)
    not_measurable_reason = models.TextField(_("why no figure answers it"), max_length=NOTE_MAX_LENGTH, blank=True)
    explanation = models.TextField(_("explanation"), max_length=NOTE_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = [models.F("municipality").asc(nulls_first=True), "position", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_standard(self) -> bool:
        return self.municipality_id is None

    def clean(self):
        from maatpak.insights.checklist import checklist_problems

        problems = checklist_problems(indicator_codes=self.indicator_codes, not_measurable_reason=self.not_measurable_reason)
        if problems:
            raise ValidationError(problems)
