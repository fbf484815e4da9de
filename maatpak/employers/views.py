from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from maatpak.accounts.policy import EMPLOYER_DESK, require
from maatpak.audit.services import audit_read_participants
from maatpak.employers.selectors import employer_list, placement_list, vacancy_list, vacancy_matches


@login_required
def employer_index(request):
    """Werkgeversdienstverlening: employers with open vacancies and placements."""
    require(request.user, EMPLOYER_DESK, "view")
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
    require(request.user, EMPLOYER_DESK, "view")
    vacancy = get_object_or_404(vacancy_list(user=request.user).select_related("employer").prefetch_related("competences"), pk=pk)
    matches = vacancy_matches(user=request.user, vacancy=vacancy)
    placements = list(placement_list(user=request.user).filter(vacancy=vacancy).select_related("participant"))
    # The page names the matching and the placed participants: one read per participant shown.
    audit_read_participants(
        actor=request.user,
        participants=[m["participant"] for m in matches] + [p.participant for p in placements],
        purpose="vacancy matching",
        detail={"vacancy": vacancy.pk},
    )
    return render(request, "employers/vacancy.html", {"vacancy": vacancy, "matches": matches, "placements": placements})
