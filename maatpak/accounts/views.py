import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from maatpak.accounts import idle, two_factor
from maatpak.accounts.forms import LoginForm, SecondFactorForm, SecondFactorSetupForm
from maatpak.accounts.policy import is_participant


class StaffLoginView(LoginView):
    """The password step. A staff member then goes on to the second factor when one is
    required or set up (maatpak.accounts.two_factor)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        step = two_factor.step_url(self.request.user, next_url=self.get_success_url())
        return redirect(step) if step else response


@require_POST
def logout_view(request):
    """Participants go back to their own log-in page: the staff log-in refuses them."""
    participant = is_participant(request.user)
    logout(request)
    return redirect("portal:login" if participant else "accounts:login")


def _staff_only(request):
    """The second-factor pages are for staff; anyone else goes to their start page."""
    return None if two_factor.is_staff_session(request.user) else redirect("home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The code step: a code from the app, or a recovery code."""
    refused = _staff_only(request)
    if refused:
        return refused
    next_url = two_factor.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if two_factor.is_verified(request.user):
        return redirect(next_url)
    if two_factor.totp_device(request.user) is None:
        return redirect("accounts:second_factor_setup")
    form = SecondFactorForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            verified = two_factor.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            otp_login(request, verified.device)
            if verified.recovery_code:
                # Offer to set up the app again (a lost phone is the usual reason), with fresh codes.
                messages.warning(
                    request,
                    _("You logged in with a recovery code; %(left)d left. Lost your phone? Set up your app again here.")
                    % {"left": verified.recovery_codes_left},
                )
                return redirect(two_factor.setup_url(next_url=next_url))
            return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": next_url, "optional": not two_factor.second_factor_required()},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a first
    code, then see the recovery codes once."""
    refused = _staff_only(request)
    if refused:
        return refused
    next_url = two_factor.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not two_factor.may_set_up(request.user):
        return redirect(two_factor.step_url(request.user, next_url=next_url) or next_url)
    device = two_factor.pending_device(user=request.user)
    form = SecondFactorSetupForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.second_factor_enrol(user=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            device.refresh_from_db()
            otp_login(request, device)
            # Shown in this answer only: the codes are never stored in the session or shown again.
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": two_factor.qr_code_data_uri(device),
            "secret": two_factor.secret_text(device),
            "replacing": two_factor.totp_device(request.user) is not None,
            "optional": not two_factor.second_factor_required(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def session_status(request):
    """For the idle warning: how many seconds the session has left. A GET does not count as
    activity (maatpak.accounts.idle); a POST ("stay logged in") does."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds_left": 0, "warning_seconds": idle.warning_seconds()})
    if request.method == "POST":
        request.session[idle.LAST_REQUEST] = time.time()
    return JsonResponse({"seconds_left": max(0, idle.seconds_left(request.session)), "warning_seconds": idle.warning_seconds()})
