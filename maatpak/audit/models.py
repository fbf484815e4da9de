"""Append-only audit log (logboek) of every dossier read and write."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Log in")
    LOGOUT = "logout", _("Log out")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    SEARCH = "search", _("Search")
    PURGE = "purge", _("Purge")


class AuditEventQuerySet(models.QuerySet):
    """Refuses bulk changes in Python; the database refuses them too (`audit.append_only`)."""

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only; retention runs through audit.services.audit_purge_expired.")


class AuditEvent(models.Model):
    """One access to or change of personal data. Never updated; purged only after retention.

    The database refuses UPDATE and DELETE on this table (triggers, `audit.append_only`); the
    retention purge is the one way out. An account that acted cannot be deleted (`actor` is
    PROTECT): it is deactivated, so its events keep naming it. `actor_label` keeps the user
    name as it was. No BSN or other content is stored, only what was touched (Suwinet's
    practice: every look-up is logged).
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    participant_id = models.BigIntegerField(_("participant"), null=True, blank=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=120, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
