"""Requirement (issue 5.5, issue 14.7): anonymous feedback stores no identity, no IP address and
no time finer than the week, and writes no audit event. It is limited per participant — 5 a
week and 9 a quarter, one fewer than the council's threshold of 10, so one person alone never
makes a quarter's figures or texts visible — counted in the database per participant and ISO
week (never per IP address, never in the log-in session), so the limit holds across log-ins.
The count holds only participant, week and number: no link to the reactions. The council's
view: test_council_feedback.py."""

import datetime as dt
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from maatpak.audit.models import AuditEvent
from maatpak.portal.models import FeedbackWeekCount
from maatpak.portal.services import FEEDBACK_LIMIT_PER_QUARTER, FEEDBACK_LIMIT_PER_WEEK, anonymous_feedback_send
from maatpak.surveys.models import AnonymousFeedback
from maatpak.surveys.selectors import FEEDBACK_MIN_COUNT, Quarter
from maatpak.surveys.services import iso_week

MONDAY = dt.date(2026, 11, 23)  # ISO week 2026-W48, in the fourth quarter of 2026


def _send(participant, day, text="x"):
    anonymous_feedback_send(actor=participant.user, participant=participant, topic="plan", rating=None, text=text, today=day)


def test_iso_week_format():
    assert iso_week(dt.date(2026, 11, 23)) == "2026-W48"
    assert iso_week(dt.date(2027, 1, 1)) == "2026-W53"


def test_one_person_alone_can_never_reach_the_councils_threshold():
    assert FEEDBACK_LIMIT_PER_QUARTER < FEEDBACK_MIN_COUNT
    assert FEEDBACK_LIMIT_PER_WEEK <= FEEDBACK_LIMIT_PER_QUARTER


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
def test_the_count_holds_participant_week_and_number_only(client, me):
    client.force_login(me.user)
    client.post(reverse("portal:feedback"), {"topic": "provider", "rating": "2", "text": "Ze doen niks met mijn ideeën."})
    feedback = AnonymousFeedback.objects.get()
    count = FeedbackWeekCount.objects.get()
    assert (count.participant, count.week, count.count) == (me, iso_week(dt.date.today()), 1)
    # No time, no foreign key to the reactions, no copy of anything in them.
    assert {f.column for f in FeedbackWeekCount._meta.concrete_fields} == {"id", "participant_id", "week", "count"}
    assert not [f for f in FeedbackWeekCount._meta.get_fields() if f.is_relation and f.related_model is AnonymousFeedback]
    assert str(feedback.pk) not in str(count.pk)
    # The log-in session is not used for it any more: it holds nothing about the feedback.
    stored = json.dumps(Session.objects.get().get_decoded())
    for forbidden in ("feedback", "provider", "ideeën", count.week, str(feedback.pk)):
        assert forbidden not in stored


@pytest.mark.django_db
def test_the_limit_holds_across_log_ins(me):
    for _ in range(FEEDBACK_LIMIT_PER_WEEK):
        first = Client()
        first.force_login(me.user)
        assert "Bedankt" in first.post(reverse("portal:feedback"), {"topic": "plan", "text": "x"}).content.decode()
        first.logout()
    fresh = Client()
    fresh.force_login(me.user)
    response = fresh.post(reverse("portal:feedback"), {"topic": "plan", "text": "na opnieuw inloggen"})
    assert response.status_code == 200
    assert "U heeft deze week al 5 reacties verstuurd." in response.content.decode()
    assert AnonymousFeedback.objects.count() == FEEDBACK_LIMIT_PER_WEEK


@pytest.mark.django_db
def test_the_weekly_count_starts_again_in_a_new_week(me):
    for _ in range(FEEDBACK_LIMIT_PER_WEEK):
        _send(me, MONDAY)
    with pytest.raises(ValidationError, match="deze week al 5 reacties"):
        _send(me, MONDAY + dt.timedelta(days=6))  # Sunday, same week
    _send(me, MONDAY + dt.timedelta(days=7))
    assert dict(FeedbackWeekCount.objects.values_list("week", "count")) == {"2026-W48": 5, "2026-W49": 1}
    assert AnonymousFeedback.objects.count() == FEEDBACK_LIMIT_PER_WEEK + 1


@pytest.mark.django_db
def test_one_person_sending_every_week_of_a_quarter_stays_below_the_threshold(me):
    quarter = Quarter(2026, 4)
    refusals = []
    for week in quarter.iso_weeks():
        year, number = week.split("-W")
        for _ in range(FEEDBACK_LIMIT_PER_WEEK):
            try:
                _send(me, dt.date.fromisocalendar(int(year), int(number), 3))
            except ValidationError as exc:
                refusals.append(exc.messages[0])
    sent = AnonymousFeedback.objects.filter(week__in=quarter.iso_weeks()).count()
    assert sent == FEEDBACK_LIMIT_PER_QUARTER < FEEDBACK_MIN_COUNT
    # The refusal says when the next quarter starts: the Monday of ISO week 2027-W01.
    assert refusals[-1] == "U heeft dit kwartaal al 9 reacties verstuurd. Vanaf 04-01-2027 kunt u weer reacties sturen."
    _send(me, dt.date(2027, 1, 4))  # the new quarter
    # Counts of the ended quarter went when the new one was written: only this week's is left.
    assert list(FeedbackWeekCount.objects.values_list("week", "count")) == [("2027-W01", 1)]


@pytest.mark.django_db
def test_refused_feedback_is_not_counted(client, me):
    client.force_login(me.user)
    response = client.post(reverse("portal:feedback"), {"topic": "plan", "rating": "", "text": ""})
    assert "leeg formulier kan niet worden verstuurd" in response.content.decode()
    assert not AnonymousFeedback.objects.exists()
    assert not FeedbackWeekCount.objects.filter(count__gt=0).exists()


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
def test_the_page_says_the_limit_is_reached_before_anything_is_written(client, me):
    for _ in range(FEEDBACK_LIMIT_PER_WEEK):
        _send(me, dt.date.today())
    client.force_login(me.user)
    content = client.get(reverse("portal:feedback")).content.decode()
    assert "U heeft deze week al 5 reacties verstuurd." in content
    assert "Anoniem versturen" not in content  # no form to fill in for nothing


@pytest.mark.django_db
def test_feedback_page_explains_what_is_and_is_not_stored(client, me):
    client.force_login(me.user)
    content = client.get(reverse("portal:feedback")).content.decode()
    assert "IP-adres" in content and "week" in content
    assert "5 reacties per week sturen, en 9 per kwartaal" in content
    assert "niet welke reacties" in content and "inlogsessie" not in content
