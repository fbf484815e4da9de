from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.employers.selectors import employer_list, placement_list, vacancy_list, vacancy_matches

EMPLOYER_DESK_ROLES = frozenset({Role.JOB_COACH, Role.CONSULTANT})


def _require_employer_desk(user):
    if user.role not in EMPLOYER_DESK_ROLES:
        raise PermissionDenied


@login_required
def employer_index(request):
    """Werkgeversdienstverlening: employers with open vacancies and placements."""
    _require_employer_desk(request.user)
    employers = (
        employer_list(user=request.user)
        .annotate(
            open_vacancies=Count("vacancies", filter=Q(vacancies__closed_on__isnull=True), distinct=True),
            placement_count=Count("placements", distinct=True),
        )
        .order_by("name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        employers = employers.filter(Q(name__icontains=query) | Q(sector__icontains=query))
    vacancies = (
        vacancy_list(user=request.user)
        .filter(closed_on__isnull=True)
        .select_related("employer")
        .prefetch_related("competences")
        .order_by("-opened_on")[:50]
    )
    return render(request, "employers/index.html", {"employers": employers, "vacancies": vacancies, "query": query})


@login_required
def vacancy_detail(request, pk):
    _require_employer_desk(request.user)
    vacancy = get_object_or_404(vacancy_list(user=request.user).select_related("employer").prefetch_related("competences"), pk=pk)
    matches = vacancy_matches(user=request.user, vacancy=vacancy)
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        obj=vacancy,
        purpose="vacancy matching",
        detail={"participants_shown": [m["participant"].pk for m in matches]},
    )
    placements = placement_list(user=request.user).filter(vacancy=vacancy).select_related("participant")
    return render(request, "employers/vacancy.html", {"vacancy": vacancy, "matches": matches, "placements": placements})
