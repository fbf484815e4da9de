"""Requirement: a user of municipality A cannot read B's rows through any selector (issue 2).

Every `*_list(*, user)` selector in every app is discovered and called by a user of every role,
so a selector added later is covered without touching this test. Selectors that follow a
permission policy answer only some roles; each must answer at least one role with rows.
"""

import importlib
import inspect
import pkgutil

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

import maatpak
from maatpak.accounts.roles import Role
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
    ParticipantFactory,
    PlacementFactory,
    ProgressReportFactory,
    ProviderFactory,
    SanctionFactory,
    SolAssessmentFactory,
    SurveyResponseFactory,
    TeamFactory,
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
    user = UserFactory(municipalities=[municipality], team=TeamFactory(municipality=municipality))
    trajectory = TrajectoryFactory(
        participant__municipality=municipality, participant__bsn=SHARED_BSN, participant__consultant=user, consultant=user
    )
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


def _user_of_every_role(municipality, consultant):
    """The populated consultant, plus one account of every other role in `municipality`."""
    users = [consultant]
    for role in Role:
        if role == Role.CONSULTANT:
            continue
        provider = ProviderFactory(municipality=municipality) if role == Role.PROVIDER_STAFF else None
        team = consultant.team if role == Role.TEAM_LEAD else None
        user = UserFactory(role=role, municipalities=[municipality], team=team, provider=provider)
        if role == Role.PARTICIPANT:
            ParticipantFactory(municipality=municipality, user=user, consultant=consultant)
        users.append(user)
    return users


def _rows(selector, user):
    """The selector's rows for `user`; a refusal (403/404) counts as no rows."""
    try:
        queryset = selector(user=user)
        return queryset, list(queryset)
    except (PermissionDenied, Http404):
        return None, []


def test_selectors_were_discovered():
    names = {p.id for p in SELECTORS}
    assert {"participants.competence_list", "privacy.audit_participant_list", "employers.employer_list", "surveys.survey_list"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("selector", SELECTORS)
def test_selector_never_returns_another_municipalitys_rows(selector):
    a, b = MunicipalityFactory(code="GM0001"), MunicipalityFactory(code="GM0002")
    users_a = _user_of_every_role(a, _populate(a))
    _user_of_every_role(b, _populate(b))
    answered = None
    for user in users_a:
        queryset, rows = _rows(selector, user)
        assert {row.municipality_id for row in rows} <= {a.id}, f"{selector.__name__} shows B's rows to a {user.role} of A"
        if rows:
            answered = queryset
    # Every model is populated in both municipalities, so no rows for any role is a failure: the
    # selector would pass the foreign-rows check without proving anything.
    assert answered is not None, f"{selector.__name__} returned no rows to any role although municipality A has some"
    assert answered.model._default_manager.filter(municipality=b).exists(), "B has rows of this kind too"


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
    for role in Role:
        provider = ProviderFactory() if role == Role.PROVIDER_STAFF else None
        lonely = UserFactory(role=role, provider=provider)
        for param in SELECTORS:
            assert _rows(param.values[0], lonely)[1] == [], f"{param.id} for a {role} without municipality"
