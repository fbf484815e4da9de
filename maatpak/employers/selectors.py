from maatpak.core.tenancy import scope_to_user
from maatpak.employers.models import Employer, Placement, Vacancy


def employer_list(*, user):
    return scope_to_user(Employer.objects.all(), user)


def vacancy_list(*, user):
    return scope_to_user(Vacancy.objects.all(), user)


def placement_list(*, user):
    return scope_to_user(Placement.objects.all(), user)
