"""Log-ins and log-outs go into the audit log: they are access to personal data systems."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted user name is kept (not the password) to spot guessing.
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, detail={"username": str(credentials.get("username", ""))[:150]})
