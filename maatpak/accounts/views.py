from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maatpak.accounts.forms import LoginForm
from maatpak.accounts.navigation import links_for
from maatpak.accounts.roles import Role


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    """Participants go back to their own log-in page: the staff log-in refuses them."""
    is_participant = request.user.is_authenticated and request.user.role == Role.PARTICIPANT
    logout(request)
    return redirect("portal:login" if is_participant else "accounts:login")


@login_required
def home(request):
    """Start page per role: participants go to their portal and consultants to their caseload
    (where they work all day); other staff get their role's links."""
    links = links_for(request.user)
    if request.user.role in (Role.PARTICIPANT, Role.CONSULTANT) and links:
        return redirect(links[0]["url"])
    if request.user.role == Role.TEAM_LEAD and request.user.team_id is not None:
        from maatpak.portal.services import change_request_list_for_team_lead

        # Every request needs an answer: the start page says how many still wait.
        waiting = change_request_list_for_team_lead(user=request.user).filter(status="open").count()
        for link in links:
            if link["url"] == reverse("portal:change_requests"):
                link["waiting"] = waiting
    return render(request, "accounts/home.html", {"links": links, "role_label": request.user.get_role_display()})
