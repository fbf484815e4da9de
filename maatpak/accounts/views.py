from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from maatpak.accounts.forms import LoginForm
from maatpak.accounts.policy import is_participant


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    """Participants go back to their own log-in page: the staff log-in refuses them."""
    participant = is_participant(request.user)
    logout(request)
    return redirect("portal:login" if participant else "accounts:login")
