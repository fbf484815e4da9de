from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.policy import is_participant


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is not correct. Check both and try again (passwords are case-sensitive)."),
        "inactive": _("This account has been switched off. Ask your administrator."),
        "participant": _("This log-in is for staff. Participants log in at My Maatpak: /portal/login/"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if is_participant(user):
            raise forms.ValidationError(self.error_messages["participant"], code="participant")


class SecondFactorForm(forms.Form):
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={"required": _("Type the code from your app.")},
    )


class SecondFactorSetupForm(forms.Form):
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("The 6 digits the app shows after you scanned the QR code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": _("Type the code the app shows.")},
    )
