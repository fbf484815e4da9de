"""Requirement: a user of municipality A cannot read B's rows through any selector (issue 2).

Every `*_list(*, user)` selector in every app is discovered and called, so a selector added
later is covered without touching this test.
"""

import importlib
import inspect
import pkgutil

import pytest

import maatpak
from tests.factories import (
    BenefitFactory,
    ContractFactory,
    EmployerFactory,
    InstrumentFactory,
    LadderAssessmentFactory,
    MunicipalityFactory,
    PlacementFactory,
    SolAssessmentFactory,
    TrajectoryFactory,
    UserFactory,
)


def _list_selectors():
    found = []
    for module_info in pkgutil.iter_modules(maatpak.__path__):
        try:
            module = importlib.import_module(f"maatpak.{module_info.name}.selectors")
        except ModuleNotFoundError:
            continue
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__ or not name.endswith("_list"):
                continue
            params = inspect.signature(func).parameters
            if list(params) == ["user"] and params["user"].kind is inspect.Parameter.KEYWORD_ONLY:
                found.append(pytest.param(func, id=f"{module_info.name}.{name}"))
    return found


SELECTORS = _list_selectors()


def _populate(municipality):
    user = UserFactory(municipalities=[municipality])
    trajectory = TrajectoryFactory(participant__municipality=municipality, consultant=user)
    BenefitFactory(participant=trajectory.participant)
    LadderAssessmentFactory(participant=trajectory.participant, author=user)
    SolAssessmentFactory(participant=trajectory.participant, author=user)
    ContractFactory(provider__municipality=municipality)
    InstrumentFactory(municipality=municipality)
    PlacementFactory(participant=trajectory.participant, employer=EmployerFactory(municipality=municipality))
    return user


def test_selectors_were_discovered():
    names = {p.id for p in SELECTORS}
    assert {"participants.participant_list", "trajectories.trajectory_list", "providers.provider_list"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("selector", SELECTORS)
def test_selector_never_returns_another_municipalitys_rows(selector):
    a, b = MunicipalityFactory(code="GM0001"), MunicipalityFactory(code="GM0002")
    user_a = _populate(a)
    _populate(b)
    queryset = selector(user=user_a)
    rows = list(queryset)
    assert all(row.municipality_id == a.id for row in rows)
    # Not vacuous: where A has rows of this kind, the selector does return them.
    if queryset.model._default_manager.filter(municipality=a).exists():
        assert rows


@pytest.mark.django_db
def test_user_without_municipality_sees_nothing():
    _populate(MunicipalityFactory(code="GM0003"))
    lonely = UserFactory()
    for param in SELECTORS:
        assert list(param.values[0](user=lonely)) == []
