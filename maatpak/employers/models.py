"""Employers (werkgevers) and vacancies, kept by the employer desk (werkgeversdienstverlening)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.core.models import TenantModel
from maatpak.core.text import NOTE_MAX_LENGTH


class Employer(TenantModel):
    """Werkgever: a business partner, with one contact person at the municipality."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(_("Chamber of Commerce number"), max_length=8, blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person at the employer"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account manager")
    )
    notes = models.TextField(_("notes"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Vacancy(TenantModel):
    """Vacature, including 'hidden' vacancies found through employer contacts."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="vacancies", verbose_name=_("employer"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=NOTE_MAX_LENGTH, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    competences = models.ManyToManyField(
        "participants.Competence", blank=True, related_name="vacancies", verbose_name=_("competences asked")
    )
    hidden = models.BooleanField(_("not publicly advertised"), default=False)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-opened_on"]

    def __str__(self):
        return f"{self.title} – {self.employer}"


class PlacementKind(models.TextChoices):
    REGULAR = "regular", _("Regular work")
    SUBSIDISED = "subsidised", _("Subsidised work")
    EDUCATION = "education", _("Regular education")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    VOLUNTEER = "volunteer", _("Volunteer work")


PAID_WORK_KINDS = frozenset({PlacementKind.REGULAR, PlacementKind.SUBSIDISED, PlacementKind.SELF_EMPLOYMENT})


class PlacementEndReason(models.TextChoices):
    """Why a placement ended (reden einde plaatsing)."""

    CONTRACT_ENDED = "contract_ended", _("Contract ended and not extended")
    DISMISSED = "dismissed", _("Dismissed by the employer")
    RESIGNED = "resigned", _("Resigned")
    OTHER_JOB = "other_job", _("Moved to another job")
    HEALTH = "health", _("Health")
    EDUCATION_COMPLETED = "education_completed", _("Education completed")
    BUSINESS_STOPPED = "business_stopped", _("Business stopped")
    OTHER = "other", _("Other")


# Follow-up checks after the start of a placement, in months (seed 000: shorter than half a year?
# one year? two years?). Durability figures at 6, 12 and 24 months read these.
FOLLOW_UP_MONTHS = (1, 3, 6, 12, 24)


class Placement(TenantModel):
    """Plaatsing: the participant starts work, education or volunteering. `end_date` empty means
    still ongoing; durability (6/12/24 months) is computed from start, end and follow-up checks."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="placements", verbose_name=_("participant")
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.SET_NULL, null=True, blank=True, related_name="placements", verbose_name=_("trajectory")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PlacementKind.choices)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="placements", verbose_name=_("employer")
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements", verbose_name=_("vacancy")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason it ended"), max_length=24, choices=PlacementEndReason.choices, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")), name="placement_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date}"


class PlacementFollowUp(TenantModel):
    """Nazorgcontact: a check 1, 3, 6, 12 and 24 months after a placement started — still working,
    how many hours, is support needed. Due checks appear as work to do; the answers feed the
    durability figures."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("placement"))
    months = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due on"))
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    still_working = models.BooleanField(_("still working there"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    support_needed = models.BooleanField(_("support needed"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("checked by")
    )

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["placement", "months"], name="follow_up_once_per_moment")]

    def __str__(self):
        return f"{self.placement} + {self.months}"
