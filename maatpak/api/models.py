"""API keys (API-sleutels) for other organisations' systems: a provider's case system sending
reports, a benefits system registering participants.

Each key acts through its own service account: a User with the key's role and municipality
(and provider or team where the role needs one), without a password. Every policy check,
selector scope and audit row therefore works for a key exactly as for a person with that
role. Only a SHA-256 hash of the key is stored; the key itself is shown once, at creation.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.policy import is_provider_staff
from maatpak.accounts.roles import Role

# Roles a system may act in: every staff role except the administrator (who manages accounts,
# keys included, and needs no API for that) and the participant (who logs in personally).
API_KEY_ROLES = [(value, label) for value, label in Role.choices if value not in (Role.ADMIN, Role.PARTICIPANT)]


class ApiKey(models.Model):
    """API-sleutel: one organisation's key for one municipality, in one role."""

    name = models.CharField(_("name"), max_length=200, help_text=_("What the key is for, e.g. 'Reports from the provider's case system'."))
    organisation = models.CharField(_("organisation"), max_length=200, help_text=_("The organisation that uses the key."))
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("municipality")
    )
    role = models.CharField(_("role"), max_length=32, choices=API_KEY_ROLES)
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("provider"),
        help_text=_("Required for the role provider staff: the provider whose referrals the key may work on."),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("team"),
        help_text=_("For the roles consultant and team lead: the team whose caseload the key sees."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key", editable=False, verbose_name=_("service account")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.PROVIDER_STAFF) | models.Q(provider__isnull=False), name="api_key_provider_staff_has_provider"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation}, {self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def clean(self):
        errors = {}
        if is_provider_staff(self) and self.provider_id is None:  # the key acts in its role
            errors["provider"] = _("A key in the role provider staff needs the provider it works for.")
        if self.provider_id is not None and self.municipality_id is not None and self.provider.municipality_id != self.municipality_id:
            errors["provider"] = _("Choose a provider of this municipality.")
        if self.team_id is not None and self.municipality_id is not None and self.team.municipality_id != self.municipality_id:
            errors["team"] = _("Choose a team of this municipality.")
        if errors:
            raise ValidationError(errors)
