from maatpak.core.tenancy import scope_to_user
from maatpak.providers.models import Contract, Provider


def provider_list(*, user):
    return scope_to_user(Provider.objects.all(), user)


def contract_list(*, user):
    return scope_to_user(Contract.objects.all(), user)
