"""The two screens of the activation code (maatpak.portal.activation): the consultant makes
and prints the code (`activation_new`); the participant uses it to open their account
(`activate`, reached from the portal log-in page: "I have an activation code")."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from maatpak.accounts.policy import is_participant
from maatpak.audit.services import audit_read
from maatpak.core.errors import add_service_errors, flash_service_errors
from maatpak.portal.activation import account_activate, activation_code_create, activation_days
from maatpak.portal.policies import portal_participant_policy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivateForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Client number"), max_length=32, help_text=gettext_lazy("It is on the letter with your code.")
    )
    code = forms.CharField(
        label=gettext_lazy("Activation code"),
        max_length=40,
        help_text=gettext_lazy("For example K7QM-3XTA-P9RE. Capitals or small letters do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    birth_date = forms.DateField(label=gettext_lazy("Your date of birth"), widget=DATE)
    username = forms.CharField(
        label=gettext_lazy("Choose a user name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        help_text=gettext_lazy("At least 12 characters. Not your name and not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=gettext_lazy("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", gettext_lazy("The two passwords are not the same."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def activation_new(request, pk):
    """Staff: make a participant's activation code. GET asks to confirm (nothing is written);
    POST makes the code and shows it this once, ready to print."""
    participant = portal_participant_policy.get(request.user, "open_account", pk)
    if request.method == "GET":
        audit_read(actor=request.user, obj=participant, purpose="portal activation")
        return render(request, "portal/activate_new.html", {"participant": participant, "days": activation_days()})
    try:
        activation, code = activation_code_create(actor=request.user, participant=participant)
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("participants:dossier", participant.pk)
    audit_read(actor=request.user, obj=participant, purpose="portal activation letter")
    response = render(
        request,
        "portal/activate_code.html",
        {
            "participant": participant,
            "activation": activation,
            "code": code,
            "activate_url": request.build_absolute_uri(reverse("portal:activate")),
        },
    )
    # Shown once: no browser or proxy keeps a copy of the code.
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def activate(request):
    """The participant opens their account with the code from the letter."""
    if is_participant(request.user):
        return redirect("portal:home")
    form = ActivateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_activate(
                reference=data["reference"],
                code=data["code"],
                birth_date=data["birth_date"],
                username=data["username"],
                password=data["password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready. From now on you log in with your user name and password."))
            return redirect("portal:home")
    status = 400 if request.method == "POST" else 200
    response = render(request, "portal/activate.html", {"form": form}, status=status)
    add_never_cache_headers(response)
    return response
