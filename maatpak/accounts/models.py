from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.roles import Role


class ServiceOrganisation(models.Model):
    """Uitvoeringsorganisatie: one service that runs the Participatiewet for several
    municipalities (e.g. Orionis Walcheren for Middelburg, Veere and Vlissingen)."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("service organisation")
        verbose_name_plural = _("service organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """Gemeente: the tenant. Identified by its CBS code, e.g. GM0090 (Smallingerland)."""

    code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("A CBS municipality code is GM followed by four digits, e.g. GM0090."))],
    )
    name = models.CharField(_("name"), max_length=200)
    service = models.ForeignKey(
        ServiceOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("service organisation"),
    )
    # Retention (bewaartermijn) of client files after closing; longer after a sanction.
    retention_years = models.PositiveSmallIntegerField(_("retention in years after closing"), default=10)
    retention_years_after_sanction = models.PositiveSmallIntegerField(_("retention in years after a sanction"), default=10)
    provider_access_days_after_close = models.PositiveSmallIntegerField(_("days a provider keeps access after a referral ends"), default=30)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Team(models.Model):
    """Team of consultants (klantmanagers) under a team lead."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="teams", verbose_name=_("municipality"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name")]

    def __str__(self):
        return self.name


class UserQuerySet(models.QuerySet):
    def people(self):
        """Accounts of people, without the service accounts behind API keys (api.ApiKey): a
        system is never offered as somebody's consultant or counted as a colleague."""
        return self.filter(api_key__isnull=True)


class PeopleUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account: staff (medewerker) with one role, or a participant (deelnemer) login."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="users", verbose_name=_("municipalities"))
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("team"))
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("provider")
    )

    objects = PeopleUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.PROVIDER_STAFF) | models.Q(provider__isnull=False),
                name="provider_staff_has_provider",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username
