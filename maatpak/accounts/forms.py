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
