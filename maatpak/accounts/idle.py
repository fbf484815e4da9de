"""Idle timeout (BIO): a session ends after `MAATPAK_IDLE_MINUTES` without a request, and at
the latest `SESSION_COOKIE_AGE` (8 hours) after logging in.

The server decides; the page only warns. `IdleTimeoutMiddleware` keeps the time of the last
request in the session (every page, form and htmx request counts; the idle-warning script's
status check does not) and logs an expired session out, with a message on the log-in page.
The script (static/maatpak/idle-timeout.js) asks the status endpoint how long is left, shows a
warning `MAATPAK_IDLE_WARNING_SECONDS` before the end with a "stay logged in" button that
counts as a request, and goes to the log-in page when the session has ended.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from maatpak.accounts.policy import is_participant

LAST_REQUEST = "maatpak_last_request"
STARTED = "maatpak_session_started"
# The last-request time is written at most once a minute, so not every request writes the
# session (an idle limit of 30 minutes may then be up to a minute late).
RESOLUTION_SECONDS = 60
IDLE = "idle"
MAXIMUM = "maximum"


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    """The clock starts at log-in, in the session the log-in saves anyway, so the first page
    after it writes nothing extra."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[LAST_REQUEST] = now


def idle_seconds() -> int:
    return int(settings.MAATPAK_IDLE_MINUTES * 60)


def warning_seconds() -> int:
    return int(getattr(settings, "MAATPAK_IDLE_WARNING_SECONDS", 120))


def maximum_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def seconds_left(session, *, now: float | None = None) -> int:
    """Seconds until the session ends: the idle limit or the absolute maximum, whichever is first."""
    now = time.time() if now is None else now
    last = session.get(LAST_REQUEST, now)
    started = session.get(STARTED, now)
    return int(min(last + idle_seconds() - now, started + maximum_seconds() - now))


def expiry_reason(session, *, now: float) -> str | None:
    if now - session.get(STARTED, now) >= maximum_seconds():
        return MAXIMUM
    if now - session.get(LAST_REQUEST, now) >= idle_seconds():
        return IDLE
    return None


def login_url_for(user) -> str:
    return reverse("portal:login" if is_participant(user) else "accounts:login")


def is_status_check(request) -> bool:
    """The warning script's status check (a GET of the session endpoint) is not activity."""
    return request.method == "GET" and request.path_info == reverse("accounts:session")


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            reason = expiry_reason(session, now=now)
            if reason:
                response = self._expire(request, user, reason)
                if response is not None:
                    return response
            else:
                session.setdefault(STARTED, now)
                if not is_status_check(request) and now - session.get(LAST_REQUEST, 0) >= RESOLUTION_SECONDS:
                    session[LAST_REQUEST] = now
        return self.get_response(request)

    @staticmethod
    def _expire(request, user, reason):
        """Log out and say why. The log-in page, the status check and the API carry on as
        anonymous (the API then answers 403); pages go to the log-in page and come back after."""
        login_url = login_url_for(user)
        logout(request)
        if reason == MAXIMUM:
            text = _("You were logged out because you were logged in for %(hours)d hours. Log in again to continue.") % {
                "hours": maximum_seconds() // 3600
            }
        else:
            text = _("You were logged out because you did nothing for %(minutes)d minutes. Log in again to continue.") % {
                "minutes": idle_seconds() // 60
            }
        if request.path_info.startswith("/api/"):
            return None
        messages.info(request, text)
        if request.path_info == login_url or is_status_check(request):
            return None
        target = login_url
        if request.method == "GET" and not getattr(request, "htmx", False):
            target = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
