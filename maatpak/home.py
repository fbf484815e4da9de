"""The start page (startpagina). It counts work waiting in several apps (change requests in the
portal, ...), so it sits above all of them, next to the root URL configuration."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from maatpak.accounts.navigation import links_for
from maatpak.accounts.roles import Role
from maatpak.portal.services import change_request_list_for_team_lead


@login_required
def home(request):
    """Start page per role: participants go to their portal and consultants to their caseload
    (where they work all day); other staff get their role's links."""
    links = links_for(request.user)
    if request.user.role in (Role.PARTICIPANT, Role.CONSULTANT) and links:
        return redirect(links[0]["url"])
    if request.user.role == Role.TEAM_LEAD and request.user.team_id is not None:
        # Every request needs an answer: the start page says how many still wait.
        waiting = change_request_list_for_team_lead(user=request.user).filter(status="open").count()
        for link in links:
            if link["url"] == reverse("portal:change_requests"):
                link["waiting"] = waiting
    return render(request, "accounts/home.html", {"links": links, "role_label": request.user.get_role_display()})
