"""Requirement (issue 5.5): anonymous feedback stores no identity, no IP address and no time
finer than the week; it is rate-limited; the council sees it only in aggregate, or as text
after a minimum count."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from maatpak.surveys.models import AnonymousFeedback
from maatpak.surveys.services import anonymous_feedback_submit, iso_week
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_iso_week_format():
    assert iso_week(dt.date(2026, 11, 23)) == "2026-W48"
    assert iso_week(dt.date(2027, 1, 1)) == "2026-W53"


@pytest.mark.django_db
def test_feedback_row_holds_nothing_linkable(client, me):
    client.force_login(me.user)
    response = client.post(reverse("portal:feedback"), {"topic": "provider", "rating": "2", "text": "Ze doen niks met mijn ideeën."}, REMOTE_ADDR="10.1.2.3")
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
    for forbidden in (me.user.username, "10.1.2.3", me.last_name, me.reference, me.bsn):
        assert forbidden not in values
    assert row.week == iso_week(dt.date.today())


@pytest.mark.django_db
def test_feedback_works_without_logging_in(client, municipality):
    response = client.post(reverse("portal:feedback"), {"municipality": municipality.code, "topic": "plan", "text": "Ik kreeg nooit een kopie."})
    assert "Bedankt" in response.content.decode()
    assert AnonymousFeedback.objects.filter(municipality=municipality).count() == 1


@pytest.mark.django_db
def test_empty_feedback_is_refused_with_a_dutch_message(client, me):
    client.force_login(me.user)
    response = client.post(reverse("portal:feedback"), {"topic": "plan", "rating": "", "text": ""})
    assert "leeg formulier kan niet worden verstuurd" in response.content.decode()
    assert not AnonymousFeedback.objects.exists()


@pytest.mark.django_db
def test_feedback_is_rate_limited(client, me):
    client.force_login(me.user)
    for _ in range(5):
        client.post(reverse("portal:feedback"), {"topic": "plan", "text": "x"})
    response = client.post(reverse("portal:feedback"), {"topic": "plan", "text": "zesde"})
    assert "over een uur opnieuw" in response.content.decode()
    assert AnonymousFeedback.objects.count() == 5


@pytest.mark.django_db
def test_feedback_page_explains_what_is_and_is_not_stored(client):
    content = client.get(reverse("portal:feedback")).content.decode()
    assert "IP-adres" in content and "week" in content
