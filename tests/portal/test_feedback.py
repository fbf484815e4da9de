"""Requirement (issue 5.5): anonymous feedback stores no identity, no IP address and no time
finer than the week; it is rate-limited per participant (a weekly count in their own session,
never an IP address) and writes no audit event. The council's view: test_council_feedback.py."""

import datetime as dt
import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.portal.services import FEEDBACK_LIMIT_PER_WEEK, FEEDBACK_SESSION_KEY, feedback_limit_reached, feedback_sent_count
from maatpak.surveys.models import AnonymousFeedback
from maatpak.surveys.services import iso_week


def test_iso_week_format():
    assert iso_week(dt.date(2026, 11, 23)) == "2026-W48"
    assert iso_week(dt.date(2027, 1, 1)) == "2026-W53"


@pytest.mark.django_db
def test_feedback_row_holds_nothing_linkable(client, me):
    client.force_login(me.user)
    audit_before = AuditEvent.objects.count()
    response = client.post(
        reverse("portal:feedback"), {"topic": "provider", "rating": "2", "text": "Ze doen niks met mijn ideeën."}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    assert "Bedankt" in response.content.decode()
    row = AnonymousFeedback.objects.get()
    columns = {f.column for f in AnonymousFeedback._meta.concrete_fields}
    assert columns == {"id", "municipality_id", "week", "topic", "rating", "text"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AnonymousFeedback._meta.db_table}")
        values = " ".join(str(v) for v in cursor.fetchone())
    # Only these columns exist (no user, participant, IP or timestamp column can hold anything);
    # and none of the sender's identifying values ended up in a stored value either.
    for forbidden in (me.user.username, "10.1.2.3", me.last_name, me.reference, me.bsn, client.session.session_key):
        assert forbidden not in values
    assert row.week == iso_week(dt.date.today())
    # Sending feedback writes no audit event (the audit log would name the sender).
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.django_db
def test_the_session_keeps_only_a_count_for_this_week(client, me):
    client.force_login(me.user)
    keys_before = set(Session.objects.get().get_decoded())
    client.post(reverse("portal:feedback"), {"topic": "provider", "rating": "2", "text": "Ze doen niks met mijn ideeën."})
    data = Session.objects.get().get_decoded()
    assert set(data) - keys_before == {FEEDBACK_SESSION_KEY}
    assert data[FEEDBACK_SESSION_KEY] == {iso_week(dt.date.today()): 1}
    stored = json.dumps(data)
    for forbidden in ("provider", "ideeën", "Ze doen", str(AnonymousFeedback.objects.get().pk)):
        assert forbidden not in stored


def test_the_weekly_count_starts_again_in_a_new_week():
    session = SessionStore()
    monday = dt.date(2026, 11, 23)
    for _ in range(FEEDBACK_LIMIT_PER_WEEK):
        assert not feedback_limit_reached(session, today=monday)
        feedback_sent_count(session, today=monday)
    assert feedback_limit_reached(session, today=dt.date(2026, 11, 29))  # Sunday, same week
    next_monday = dt.date(2026, 11, 30)
    assert not feedback_limit_reached(session, today=next_monday)
    feedback_sent_count(session, today=next_monday)
    assert session[FEEDBACK_SESSION_KEY] == {"2026-W49": 1}  # the old week is dropped


@pytest.mark.django_db
def test_feedback_needs_a_participant_login(client, team_consultant):
    response = client.get(reverse("portal:feedback"))
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
    client.force_login(team_consultant)
    assert client.post(reverse("portal:feedback"), {"topic": "plan", "text": "x"}).status_code == 404
    assert not AnonymousFeedback.objects.exists()


@pytest.mark.django_db
def test_empty_feedback_is_refused_with_a_dutch_message(client, me):
    client.force_login(me.user)
    response = client.post(reverse("portal:feedback"), {"topic": "plan", "rating": "", "text": ""})
    assert "leeg formulier kan niet worden verstuurd" in response.content.decode()
    assert not AnonymousFeedback.objects.exists()


@pytest.mark.django_db
def test_feedback_is_rate_limited_per_participant_not_per_address(client, me, someone_else):
    """Behind the proxy every request comes from 127.0.0.1: one participant's limit must not
    block another's."""
    client.force_login(me.user)
    for _ in range(FEEDBACK_LIMIT_PER_WEEK):
        client.post(reverse("portal:feedback"), {"topic": "plan", "text": "x"}, REMOTE_ADDR="127.0.0.1")
    response = client.post(reverse("portal:feedback"), {"topic": "plan", "text": "zesde"}, REMOTE_ADDR="127.0.0.1")
    assert "deze week al 5 reacties verstuurd" in response.content.decode()
    assert AnonymousFeedback.objects.count() == FEEDBACK_LIMIT_PER_WEEK
    other = Client()
    other.force_login(someone_else.user)
    response = other.post(reverse("portal:feedback"), {"topic": "plan", "text": "van iemand anders"}, REMOTE_ADDR="127.0.0.1")
    assert "Bedankt" in response.content.decode()
    assert AnonymousFeedback.objects.count() == FEEDBACK_LIMIT_PER_WEEK + 1


@pytest.mark.django_db
def test_feedback_page_explains_what_is_and_is_not_stored(client, me):
    client.force_login(me.user)
    content = client.get(reverse("portal:feedback")).content.decode()
    assert "IP-adres" in content and "week" in content
    assert "sessie" in content and "5 reacties per week" in content
