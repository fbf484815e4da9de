"""The start page (startpagina). It counts work waiting in several apps (change requests in the
portal, ...), so it sits above all of them, next to the root URL configuration."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from maatpak.accounts.navigation import links_for
from maatpak.accounts.policy import PORTAL, is_consultant, is_participant, permits
from maatpak.portal.models import ChangeRequestStatus
from maatpak.portal.services import change_request_list_for_team_lead


@login_required
def home(request):
    """Start page per role: participants go to their portal and consultants to their caseload
    (where they work all day); other staff get their role's links."""
    user = request.user
    if is_participant(user) or is_consultant(user):
        first = next(iter(links_for(user, counts=False)), None)
        if first:
            return redirect(first["url"])
    links = links_for(user)
    if permits(user, PORTAL, "decide_change_request") and user.team_id is not None:
        # Every request needs an answer: the start page says how many still wait.
        waiting = change_request_list_for_team_lead(user=user).filter(status=ChangeRequestStatus.OPEN).count()
        for link in links:
            if link["url"] == reverse("portal:change_requests"):
                link["waiting"] = waiting
    # The same links serve the menu, so its counts are not computed a second time.
    return render(request, "accounts/home.html", {"links": links, "nav_links": links, "role_label": user.get_role_display()})
