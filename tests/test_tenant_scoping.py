"""Requirement: a user of municipality A cannot read B's rows through any selector (issue 2).

Every `*_list(*, user)` selector in every app is discovered and called, so a selector added
later is covered without touching this test.
"""

import importlib
import inspect
import pkgutil

import pytest

import maatpak
from maatpak.audit.services import audit_read, audit_record
from maatpak.participants.selectors import participant_find_by_bsn
from maatpak.privacy.selectors import audit_event_list
from tests.factories import (
    AnonymousFeedbackFactory,
    BenefitFactory,
    CompetenceFactory,
    ConsultantAssignmentFactory,
    ContractFactory,
    DomainAssessmentFactory,
    EmployerFactory,
    EndReportFactory,
    InstrumentFactory,
    LadderAssessmentFactory,
    MunicipalityFactory,
    PlacementFactory,
    ProgressReportFactory,
    SanctionFactory,
    SolAssessmentFactory,
    SurveyResponseFactory,
    TrajectoryFactory,
    UserFactory,
    VacancyFactory,
    WishFactory,
)

# Both municipalities hold a participant with this BSN (people move; each municipality keeps
# its own dossier), so a lookup in A must find A's and never B's.
SHARED_BSN = "111222333"


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
    """At least one row of every tenant model a selector lists, so no selector passes by
    returning nothing."""
    user = UserFactory(municipalities=[municipality])
    trajectory = TrajectoryFactory(participant__municipality=municipality, participant__bsn=SHARED_BSN, consultant=user)
    participant = trajectory.participant
    BenefitFactory(participant=participant)
    LadderAssessmentFactory(participant=participant, author=user)
    SolAssessmentFactory(participant=participant, author=user)
    DomainAssessmentFactory(participant=participant, author=user)
    WishFactory(participant=participant, recorded_by=user)
    ConsultantAssignmentFactory(participant=participant, consultant=user)
    CompetenceFactory(municipality=municipality)
    ContractFactory(provider__municipality=municipality)
    InstrumentFactory(municipality=municipality)
    employer = EmployerFactory(municipality=municipality)
    VacancyFactory(employer=employer)
    PlacementFactory(participant=participant, employer=employer)
    ProgressReportFactory(referral__trajectory=trajectory, author=user)  # and its referral
    EndReportFactory(trajectory=trajectory, author=user)
    SanctionFactory(agreement__plan__trajectory=trajectory, recorded_by=user)
    SurveyResponseFactory(survey__municipality=municipality)  # and its survey
    AnonymousFeedbackFactory(municipality=municipality)
    audit_read(actor=user, obj=participant)
    audit_record(actor=user, action="search", purpose="caseload text search")
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
    # Every model is populated in both municipalities, so an empty answer is a failure: the
    # selector would pass the foreign-rows check without proving anything.
    assert rows, f"{selector.__name__} returned no rows although municipality A has some"
    assert {row.municipality_id for row in rows} == {a.id}
    assert queryset.model._default_manager.filter(municipality=b).exists(), "B has rows of this kind too"


@pytest.mark.django_db
def test_audit_log_never_shows_another_municipalitys_events():
    a, b = MunicipalityFactory(code="GM0001"), MunicipalityFactory(code="GM0002")
    _populate(a)
    _populate(b)
    officer_a = UserFactory(role="privacy_officer", municipalities=[a])
    events = list(audit_event_list(user=officer_a))
    assert events
    assert {event.municipality_id for event in events} == {a.id}


@pytest.mark.django_db
def test_bsn_lookup_finds_only_the_own_municipalitys_dossier():
    a, b = MunicipalityFactory(code="GM0001"), MunicipalityFactory(code="GM0002")
    user_a = _populate(a)
    _populate(b)
    found = list(participant_find_by_bsn(user=user_a, bsn=SHARED_BSN))
    assert len(found) == 1 and found[0].municipality_id == a.id


@pytest.mark.django_db
def test_user_without_municipality_sees_nothing():
    _populate(MunicipalityFactory(code="GM0003"))
    lonely = UserFactory()
    for param in SELECTORS:
        assert list(param.values[0](user=lonely)) == []
