"""The second factor for staff (tweestapsverificatie): a TOTP code from an authenticator app
(django-otp's otp_totp), with ten one-time recovery codes (otp_static) for a lost phone.

- Who: every staff role. Participants log in with DigiD or their activation (docs/digid.md).
- When: required when `MAATPAK_REQUIRE_SECOND_FACTOR` is on (production: not DEBUG); otherwise
  offered — a staff member with an app set up is asked for its code and may skip it.
- Enrolment: after the password, a staff member without an app scans a QR code (or types the
  secret), confirms with a first code, and sees the recovery codes once. Someone who has an
  app set up can only set up another after proving the current one (or a recovery code):
  a stolen password alone never replaces the app.
- Enforcement: `SecondFactorMiddleware` sends an unverified staff session to the step it needs
  on every page, the admin included; the API answers 403 (problem+json) instead of redirecting.
- Audit: enrolment, every wrong code and every use of a recovery code.
"""

import base64
from dataclasses import dataclass
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatpak.accounts.policy import is_participant
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Pages an unverified staff session may still open: the steps themselves, logging out, the
# language switch and the idle-timeout endpoint.
OPEN_VIEWS = frozenset(
    {
        "accounts:second_factor",
        "accounts:second_factor_setup",
        "accounts:logout",
        "accounts:session",
        "set_language",
        "javascript-catalog",
        "admin:logout",
    }
)


def second_factor_required() -> bool:
    return getattr(settings, "MAATPAK_REQUIRE_SECOND_FACTOR", True)


def is_staff_session(user) -> bool:
    """A logged-in staff account: the accounts a second factor is for."""
    return bool(user is not None and user.is_authenticated and not is_participant(user))


def totp_device(user) -> TOTPDevice | None:
    """The staff member's confirmed authenticator app, if set up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_verified(user) -> bool:
    """Whether this session proved a second factor (django-otp's OTPMiddleware adds
    `is_verified`; a user object fresh from the log-in form has not)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def may_set_up(user) -> bool:
    """Setting up an app is open to whoever has none, and to whoever proved the current one in
    this session; otherwise the password alone would be enough to replace it."""
    return totp_device(user) is None or is_verified(user)


def step_url(user, *, next_url: str = "") -> str | None:
    """Where a staff session without a verified second factor goes: the code step when an app
    is set up, the set-up when required and none is; None when nothing is asked."""
    if not is_staff_session(user) or is_verified(user):
        return None
    if totp_device(user) is not None:
        name = "accounts:second_factor"
    elif second_factor_required():
        name = "accounts:second_factor_setup"
    else:
        return None
    return _with_next(reverse(name), next_url)


def setup_url(*, next_url: str = "") -> str:
    return _with_next(reverse("accounts:second_factor_setup"), next_url)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def safe_next(request, candidate: str | None, default: str = "") -> str:
    """`candidate` when it is a path on this site, otherwise `default` (or the start page)."""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


# --- enrolment ----------------------------------------------------------------------------
def pending_device(*, user) -> TOTPDevice:
    """The app being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in (base32), in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG QR code in a data: URI, which the Content-Security-Policy
    allows for images (no inline script or style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _normalise_app_code(code: str) -> str:
    return "".join(str(code or "").split())


def _normalise_recovery_code(code: str) -> str:
    return "".join(char for char in str(code or "").lower() if char.isalnum())


def _throttled(device) -> ValidationError | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1) if info and "locked_until" in info else 1
    return ValidationError(_("Too many wrong codes in a row. Wait %(seconds)d seconds and try again.") % {"seconds": seconds})


def second_factor_enrol(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app being set up with its first code. Replaces an earlier app and earlier
    recovery codes; returns the new recovery codes, to be shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("This set-up is no longer valid. Start again."))
    if not may_set_up(user):
        raise ValidationError(_("You already have an app set up. Log in with its code first."))
    refusal = _throttled(device)
    if refusal:
        raise refusal
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = device.verify_token(_normalise_app_code(code))
        if not verified:
            audit_record(
                actor=user, action=AuditAction.LOGIN_FAILED, purpose="second factor set-up", detail={"username": user.get_username()}
            )
    if not verified:
        raise ValidationError(
            _("This code is not correct. Check that the time on your phone is right and type the 6 digits the app shows now.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_replace(user=user)
        audit_record(actor=user, action=AuditAction.CREATE, obj=device, purpose="second factor set up")
    return codes


def recovery_codes_replace(*, user) -> list[str]:
    """New recovery codes for `user`; earlier ones stop working. Returns them (shown once)."""
    count = getattr(settings, "MAATPAK_RECOVERY_CODES", 10)
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(count)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- the code step --------------------------------------------------------------------------
@dataclass(frozen=True)
class Verified:
    device: TOTPDevice | StaticDevice
    recovery_code: bool
    recovery_codes_left: int


def second_factor_verify(*, user, code: str) -> Verified:
    """Check a code from the app (six digits) or a recovery code (used up by this). Raises
    ValidationError with the reason; a wrong code is written to the audit log and counts for
    django-otp's throttle (waits of 1, 2, 4 … seconds after wrong codes in a row)."""
    app_code = _normalise_app_code(code)
    recovery = not (app_code.isdigit() and len(app_code) == 6)
    token = _normalise_recovery_code(code) if recovery else app_code
    model = StaticDevice if recovery else TOTPDevice
    device = model.objects.devices_for_user(user, confirmed=True).first()
    if not token:
        raise ValidationError(_("Type the 6 digits your app shows, or one of your recovery codes."))
    if recovery and (device is None or not device.token_set.exists()):
        raise ValidationError(_("You have no recovery codes left. Type the code from your app."))
    if device is None:
        raise ValidationError(_("You have no app set up yet. Set one up first."))
    refusal = _throttled(device)
    if refusal:
        raise refusal
    with transaction.atomic():
        device = model.objects.select_for_update().get(pk=device.pk)
        verified = device.verify_token(token)
        method = "recovery code" if recovery else "app"
        if not verified:
            audit_record(
                actor=user,
                action=AuditAction.LOGIN_FAILED,
                purpose="second factor",
                detail={"username": user.get_username(), "method": method},
            )
        elif recovery:
            left = recovery_codes_left(user)
            audit_record(actor=user, action=AuditAction.LOGIN, purpose="recovery code used", detail={"recovery_codes_left": left})
    if not verified:
        raise ValidationError(
            _("This code is not correct. Type the 6 digits your app shows now, or one of your recovery codes (each works once).")
        )
    return Verified(device=device, recovery_code=recovery, recovery_codes_left=recovery_codes_left(user) if recovery else 0)


# --- enforcement ----------------------------------------------------------------------------
class SecondFactorMiddleware:
    """Sends a staff session without a verified second factor to the code step (or the
    set-up) on every page — the admin too — while `MAATPAK_REQUIRE_SECOND_FACTOR` is on. The
    API answers 403 as problem+json instead of redirecting; htmx requests get HX-Redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if second_factor_required() and is_staff_session(user) and not is_verified(user) and not self._open(request):
            return self._refuse(request, user)
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        try:
            return resolve(request.path_info).view_name in OPEN_VIEWS
        except Resolver404:
            return False

    @staticmethod
    def _refuse(request, user):
        if request.path_info.startswith("/api/"):
            detail = _("Log in with your second factor (the code from your app) before you use the API.")
            return JsonResponse(
                {"type": "about:blank", "title": _("Second factor required"), "status": 403, "detail": detail},
                status=403,
                content_type="application/problem+json",
            )
        next_url = request.get_full_path() if request.method == "GET" else ""
        target = step_url(user, next_url=next_url) or reverse("accounts:second_factor_setup")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
