"""Log-ins and log-outs go into the audit log: they are access to personal data systems."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from maatpak.audit.models import AuditAction
from maatpak.audit.services import actor_municipality_id, audit_record

# What a failed log-in records when the typed name is no account: people type their BSN, an
# e-mail address or a password into the user-name field, and none of that belongs in a log.
UNKNOWN_USER = "unknown user"
_LONG_NUMBER = re.compile(r"\d{8,}")


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    """Keep the attempted user name only when it is an existing account (to spot guessing
    against it, in that account's municipality); anything else is stored as "unknown user".
    A long number is never stored, even if someone made it a user name: it may be a BSN."""
    typed = str(credentials.get("username", "") or "")
    target = None
    if typed and not _LONG_NUMBER.search(typed):
        target = get_user_model()._default_manager.filter(username=typed).first()
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        # A User is always "authenticated" as an object; this is the account's own municipality.
        municipality_id=actor_municipality_id(target),
        detail={"username": target.get_username() if target else UNKNOWN_USER},
    )
