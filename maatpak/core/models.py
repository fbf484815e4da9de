"""Abstract bases shared by the domain apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantQuerySet(models.QuerySet):
    def for_municipalities(self, municipality_ids):
        return self.filter(municipality_id__in=municipality_ids)


class TenantModel(models.Model):
    """A row that belongs to one municipality (the tenant).

    Every selector scopes on `municipality`; Citus could shard on it (docs/architecture.md).
    """

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, verbose_name=_("municipality"), related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """An editable record with an optimistic-locking version (see core.concurrency)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True
