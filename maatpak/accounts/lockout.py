"""Throttling and lock-out of log-ins (django-axes), with two limits.

django-axes counts failed log-ins on every form that calls `authenticate()` — the staff log-in,
the portal log-in and the admin log-in — and refuses a locked account before its password is
checked, so the right password does not help while the lock lasts. Axes has one failure limit
for every lock-out parameter; Maatpak needs two within the cool-off (`AXES_COOLOFF_TIME`):

- per account (user name): `AXES_FAILURE_LIMIT` (10) — guessing one person's password stops;
- per address: `MAATPAK_ADDRESS_FAILURE_LIMIT` (100) — trying many accounts from one address
  stops, while an office behind one NAT address is not locked by one person's typos.

`LoginLockoutHandler` (settings.AXES_HANDLER) applies both, writes the lock to the audit log,
and resets only the account's own count after a successful log-in (axes would also clear the
address's count, so a valid account of one's own would reset the lock on someone else's).
`lockout_response` (settings.AXES_LOCKOUT_CALLABLE) is the Dutch page that says which lock,
until when, and whom to call. An administrator lifts a lock with
`manage.py axes_reset_username <name>` (or `axes_reset_ip <address>`), or in the admin under
"Access attempts"; otherwise it ends by itself after the cool-off.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from maatpak.accounts.signals import UNKNOWN_USER
from maatpak.audit.models import AuditAction
from maatpak.audit.services import actor_municipality_id, audit_record

ACCOUNT = "account"
ADDRESS = "address"


def account_failure_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def address_failure_limit() -> int:
    return getattr(settings, "MAATPAK_ADDRESS_FAILURE_LIMIT", 100)


def client_ip_address(request) -> str | None:
    """The client's address (settings.AXES_CLIENT_IP_CALLABLE). Behind `MAATPAK_TRUSTED_PROXIES`
    reverse proxies it is the X-Forwarded-For entry the outermost trusted proxy appended;
    entries further left are whatever the client sent and are never trusted."""
    proxies = getattr(settings, "MAATPAK_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies and _is_ip_address(forwarded[-proxies]):
            return forwarded[-proxies]
    address = request.META.get("REMOTE_ADDR")
    return address if _is_ip_address(address) else None


def _is_ip_address(value) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class LockState:
    """Failed log-ins within the cool-off, for the typed account and for the address."""

    account_failures: int
    address_failures: int
    account_last_failure: datetime | None
    address_last_failure: datetime | None

    @property
    def account_locked(self) -> bool:
        return self.account_failures >= account_failure_limit()

    @property
    def address_locked(self) -> bool:
        return self.address_failures >= address_failure_limit()

    @property
    def lock(self) -> str | None:
        """Which lock applies: the account's (named first: it is the one to call about) or the address's."""
        if self.account_locked:
            return ACCOUNT
        if self.address_locked:
            return ADDRESS
        return None

    def locked_until(self, cool_off) -> datetime | None:
        """When the lock ends: the cool-off after the last failure that counted for it."""
        last = {ACCOUNT: self.account_last_failure, ADDRESS: self.address_last_failure}.get(self.lock)
        return last + cool_off if last is not None else None


def lock_state(request, credentials=None) -> LockState:
    """Count the failures of `request`'s account and address within the cool-off. The request
    must have passed through axes (`axes_ip_address`, `axes_attempt_time` set)."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
    username = get_client_username(request, credentials)
    by_account = recent.filter(username=username) if username else recent.none()
    by_address = recent.filter(ip_address=request.axes_ip_address) if request.axes_ip_address else recent.none()
    account = by_account.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    address = by_address.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return LockState(
        account_failures=account["failures"] or 0,
        address_failures=address["failures"] or 0,
        account_last_failure=account["last"],
        address_last_failure=address["last"],
    )


class LoginLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per account and a higher one per address."""

    def get_failures(self, request, credentials=None) -> int:
        """Axes locks when this number reaches `AXES_FAILURE_LIMIT` (the account limit). It is
        the account's failure count, raised to that limit when the address has reached its own
        (higher) limit — so axes locks exactly when either limit is reached."""
        state = lock_state(request, credentials)
        if state.address_locked:
            return max(state.account_failures, get_failure_limit(request, credentials))
        return state.account_failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful log-in: forget the account's own failures, not the address's."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        already_locked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not already_locked and getattr(request, "axes_locked_out", False):
            _audit_lock(request, credentials)


def _known_account(request, credentials):
    """The account the typed user name names, or None (then nothing typed is written down)."""
    typed = get_client_username(request, credentials)
    if not typed:
        return None
    return get_user_model()._default_manager.filter(username=typed).first()


def _audit_lock(request, credentials) -> None:
    """One audit row for the moment a log-in gets locked: which lock, for whom, until when."""
    state = lock_state(request, credentials)
    until = state.locked_until(get_cool_off(request))
    account = _known_account(request, credentials)
    detail = {
        "locked_out": True,
        "lock": state.lock,
        "locked_until": until.isoformat() if until else None,
        "failures": state.account_failures if state.lock == ACCOUNT else state.address_failures,
    }
    if state.lock == ACCOUNT:
        detail["username"] = account.get_username() if account else UNKNOWN_USER
    else:
        detail["address"] = request.axes_ip_address
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        municipality_id=actor_municipality_id(account) if state.lock == ACCOUNT else None,
        purpose="log-in locked",
        detail=detail,
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page for a locked log-in (settings.AXES_LOCKOUT_CALLABLE): 429 with Retry-After,
    saying which lock, until when, and whom to call — a participant their consultant, staff
    their municipality's application administrator."""
    state = lock_state(request, credentials)
    cool_off = get_cool_off(request)
    until = state.locked_until(cool_off) or timezone.now() + cool_off
    seconds = max(0, math.ceil((until - timezone.now()).total_seconds()))
    participant_page = request.path_info.startswith(reverse("portal:home"))
    response = render(
        request,
        "accounts/locked.html",
        {
            "lock": state.lock or ACCOUNT,
            "until": until,
            "minutes": max(1, math.ceil(seconds / 60)),
            "participant_page": participant_page,
            "login_url": request.path_info,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(seconds)
    return response
