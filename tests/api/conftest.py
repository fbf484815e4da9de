import pytest

from maatpak.accounts.roles import Role
from maatpak.api.keys import api_key_create
from tests.factories import MunicipalityFactory, ParticipantFactory, TeamFactory, UserFactory


def bearer(key: str) -> dict:
    """Django test client keyword arguments that send `key` as a bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def admin_a(municipality):
    return UserFactory(role=Role.ADMIN, municipalities=[municipality], is_staff=True, username="beheer-a")


@pytest.fixture
def keys(municipality, admin_a):
    """Two municipalities, each with a consultant key whose service account holds one participant."""
    other = MunicipalityFactory(code="GM0687", name="Middelburg")
    created = {}
    for name, place in (("a", municipality), ("b", other)):
        team = TeamFactory(municipality=place)
        api_key, key = api_key_create(
            actor=admin_a if place == municipality else None,
            name=f"Uitkeringssysteem {name}",
            organisation="Sociale Dienst",
            municipality=place,
            role=Role.CONSULTANT,
            team=team,
        )
        participant = ParticipantFactory(municipality=place, consultant=api_key.user)
        created[name] = {"api_key": api_key, "key": key, "participant": participant, "municipality": place}
    return created
