"""Providers (re-integratiebedrijven, in-house teams) and their contracts."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core.models import TenantModel, VersionedModel
from maatpak.core.text import LONG_TEXT_MAX_LENGTH


class ProviderKind(models.TextChoices):
    EXTERNAL = "external", _("External re-integration company")
    IN_HOUSE = "in_house", _("In-house team")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Sheltered or learning-work company (SW-bedrijf)")


class Provider(TenantModel):
    """Aanbieder: executes trajectories for referred participants."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    kvk_number = models.CharField(_("Chamber of Commerce number"), max_length=8, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    # DOMAIN §6: ask providers for evidence of their method (quickscan: what, how, why).
    method_description = models.TextField(_("method: what, how and why it should work"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="provider_unique_name")]

    def __str__(self):
        return self.name


class ProcurementKind(models.TextChoices):
    TENDER = "tender", _("Public tender")
    SINGLE_QUOTE = "single_quote", _("Below threshold (single or multiple quote)")
    IN_HOUSE = "in_house", _("In-house arrangement")


class Contract(TenantModel, VersionedModel):
    """Contract with a provider: price, reporting rhythm, placement target and bonus/malus.

    Bonus/malus (DOMAIN §6), per contract and period: the target number of placements is
    `placement_target_percent` of the referrals under this contract that ended in the period,
    rounded up; each placement above it earns `bonus_per_placement_cents`, each one short of it
    costs `malus_per_placement_cents`. A provider's total is the sum over its contracts.
    Computed in `insights.monitoring.bonus_malus`; placements as defined there.
    """

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("provider"))
    reference = models.CharField(_("contract reference"), max_length=60)
    procurement = models.CharField(_("procurement"), max_length=20, choices=ProcurementKind.choices, default=ProcurementKind.TENDER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    price_per_trajectory_cents = models.PositiveIntegerField(_("price per trajectory (cents)"))
    reporting_interval_days = models.PositiveSmallIntegerField(_("progress report every (days)"), default=42)
    intake_due_days = models.PositiveSmallIntegerField(_("intake within (days) of acceptance"), default=14)
    end_report_due_days = models.PositiveSmallIntegerField(_("end report within (days) of ending"), default=14)
    placement_target_percent = models.PositiveSmallIntegerField(_("placement target (%)"), validators=[MaxValueValidator(100)], default=30)
    bonus_per_placement_cents = models.PositiveIntegerField(_("bonus per placement above target (cents)"), default=0)
    malus_per_placement_cents = models.PositiveIntegerField(_("deduction per placement below target (cents)"), default=0)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="contract_unique_reference"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="contract_end_after_start"),
        ]

    def __str__(self):
        return f"{self.reference} ({self.provider})"
