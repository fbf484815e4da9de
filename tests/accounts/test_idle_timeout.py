"""Requirement (issue 14.1): a session ends after MAATPAK_IDLE_MINUTES (30) without a request and
at the latest 8 hours after logging in; the page warns before (a script asking the session
endpoint, whose GET does not count as activity and whose POST "stay logged in" does); an
expired session lands on the log-in page with a Dutch message and comes back where it was."""

import time

import pytest
from django.urls import reverse

from maatpak.accounts import idle
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _shift(client, **seconds_ago):
    """Pretend the last request (and/or the log-in) was that many seconds ago."""
    session = client.session
    now = time.time()
    if "last" in seconds_ago:
        session[idle.LAST_REQUEST] = now - seconds_ago["last"]
    if "started" in seconds_ago:
        session[idle.STARTED] = now - seconds_ago["started"]
    session.save()


@pytest.fixture
def logged_in(client, consultant):
    client.force_login(consultant)
    assert client.get(reverse("participants:caseload")).status_code == 200
    return client


def test_a_request_within_the_idle_time_keeps_the_session(logged_in):
    _shift(logged_in, last=29 * 60)
    assert logged_in.get(reverse("participants:caseload")).status_code == 200
    assert time.time() - logged_in.session[idle.LAST_REQUEST] < 5


def test_after_30_idle_minutes_the_session_ends_and_the_log_in_page_says_why(logged_in, consultant):
    _shift(logged_in, last=30 * 60 + 1)
    response = logged_in.get(reverse("participants:caseload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fparticipants%2F"
    assert "_auth_user_id" not in logged_in.session
    page = logged_in.get(response["Location"]).content.decode()
    assert "U bent uitgelogd, omdat u 30 minuten niets heeft gedaan" in page
    assert AuditEvent.objects.filter(actor=consultant, action="logout").exists()


def test_after_8_hours_the_session_ends_however_busy(logged_in):
    _shift(logged_in, started=8 * 3600 + 1, last=10)
    response = logged_in.get(reverse("participants:caseload"))
    assert response.status_code == 302 and "_auth_user_id" not in logged_in.session
    assert "U bent uitgelogd, omdat u 8 uur ingelogd was" in logged_in.get(response["Location"]).content.decode()


def test_the_idle_time_is_a_setting(logged_in, settings):
    settings.MAATPAK_IDLE_MINUTES = 10
    _shift(logged_in, last=10 * 60 + 1)
    assert logged_in.get(reverse("participants:caseload")).status_code == 302
    assert "_auth_user_id" not in logged_in.session


def test_htmx_requests_count_as_activity_and_an_expired_one_gets_hx_redirect(logged_in):
    _shift(logged_in, last=20 * 60)
    assert logged_in.get(reverse("participants:caseload"), HTTP_HX_REQUEST="true").status_code == 200
    assert time.time() - logged_in.session[idle.LAST_REQUEST] < 5
    _shift(logged_in, last=31 * 60)
    expired = logged_in.get(reverse("participants:caseload"), HTTP_HX_REQUEST="true")
    assert expired["HX-Redirect"] == reverse("accounts:login")


def test_the_status_check_does_not_count_as_activity_but_stay_logged_in_does(logged_in):
    _shift(logged_in, last=29 * 60)
    status = logged_in.get(reverse("accounts:session")).json()
    assert 50 <= status["seconds_left"] <= 60 and status["warning_seconds"] == 120
    assert logged_in.get(reverse("accounts:session")).json()["seconds_left"] <= 60
    stay = logged_in.post(reverse("accounts:session")).json()
    assert stay["seconds_left"] > 29 * 60


def test_the_status_check_of_an_expired_session_logs_out_and_says_zero(logged_in):
    _shift(logged_in, last=31 * 60)
    assert logged_in.get(reverse("accounts:session")).json()["seconds_left"] == 0
    assert "_auth_user_id" not in logged_in.session


def test_the_api_treats_an_idle_session_as_logged_out(logged_in):
    _shift(logged_in, last=31 * 60)
    assert logged_in.get(reverse("api:schema")).status_code in (401, 403)


def test_a_participant_goes_back_to_the_portal_log_in(client, municipality, consultant):
    user = UserFactory(role=Role.PARTICIPANT, municipalities=[municipality])
    ParticipantFactory(municipality=municipality, consultant=consultant, user=user)
    client.force_login(user)
    client.get("/portal/")
    _shift(client, last=31 * 60)
    assert client.get("/portal/")["Location"].startswith(reverse("portal:login"))


def test_pages_carry_the_warning_dialog_and_its_script_for_logged_in_users_only(client, logged_in):
    html = logged_in.get(reverse("participants:caseload")).content.decode()
    assert 'role="alertdialog"' in html and "maatpak/idle-timeout.js" in html
    assert 'data-warning-seconds="120"' in html and f'data-status-url="{reverse("accounts:session")}"' in html
    assert "Ingelogd blijven" in html
    logged_in.post(reverse("accounts:logout"))
    assert "idle-timeout.js" not in client.get(reverse("accounts:login")).content.decode()
