"""Requirement: keyboard-usable, WCAG 2.1 AA screens. axe-core checks every main screen of
the foundation and the portal in real Chromium (other screens have their own checks)."""

import pytest

from maatpak.accounts.roles import Role
from tests.factories import TEST_PASSWORD, MunicipalityFactory, ParticipantFactory, UserFactory
from tests.portal.factories import plan_for, reports_for


@pytest.fixture
def people(transactional_db):
    municipality = MunicipalityFactory(code="GM9999", name="Demodorp")
    consultant = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], username="kim")
    participant = ParticipantFactory(
        municipality=municipality,
        consultant=consultant,
        user=UserFactory(role=Role.PARTICIPANT, municipalities=[municipality], username="deelnemer"),
    )
    trajectory, _plan = plan_for(participant, consultant=consultant)
    reports_for(trajectory, author=consultant)
    UserFactory(role=Role.PRIVACY_OFFICER, municipalities=[municipality], username="privacy")
    UserFactory(role=Role.JOB_COACH, municipalities=[municipality], username="coach")
    return municipality


def test_login_pages_are_accessible(page, live_server, people, assert_accessible):
    for path in ("/login/", "/portal/login/"):
        page.goto(live_server.url + path)
        assert_accessible(page)


@pytest.mark.parametrize(
    "username,paths",
    [
        ("privacy", ["/", "/audit/"]),
        ("coach", ["/", "/employers/"]),
    ],
)
def test_staff_screens_are_accessible(page, live_server, people, login, assert_accessible, username, paths):
    login(page, username, TEST_PASSWORD)
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_portal_screens_are_accessible(page, live_server, people, login, assert_accessible):
    login(page, "deelnemer", TEST_PASSWORD, path="/portal/login/")
    for path in (
        "/portal/",
        "/portal/plan/",
        "/portal/rapportages/",
        "/portal/mijn-inbreng/",
        "/portal/reactie-clientenraad/",
        "/portal/hulp/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_the_checker_itself_catches_violations(page, live_server, assert_accessible):
    """Guard against a silently broken harness: an unlabelled input and an image without
    alternative text must be reported."""
    page.set_content('<html lang="nl"><head><title>x</title></head><body><main><img src="x.png"><input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
