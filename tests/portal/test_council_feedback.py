"""Requirement (issue 5.5, audit): the client council sees anonymous feedback only in a way that
cannot single out one person — fixed, ended, non-overlapping quarters; texts only when the
quarter holds enough reactions *with a text*; per-topic figures only with enough reactions
behind them, and "fewer than N" said out loud instead of a silent gap."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatpak.surveys.selectors import FEEDBACK_MIN_COUNT, Quarter, anonymous_feedback_summary, feedback_periods
from maatpak.surveys.services import anonymous_feedback_submit, iso_week
from tests.factories import UserFactory

# The pages use the real date; the figures are about the newest ended quarter, whichever it is.
TODAY = dt.date.today()
QUARTER = feedback_periods(today=TODAY)[0]
WEEK_2_CODE, WEEK_3_CODE = QUARTER.iso_weeks()[1:3]
WEEK_2 = dt.date.fromisocalendar(int(WEEK_2_CODE[:4]), int(WEEK_2_CODE[-2:]), 3)
WEEK_3 = dt.date.fromisocalendar(int(WEEK_3_CODE[:4]), int(WEEK_3_CODE[-2:]), 3)


@pytest.fixture
def council(municipality):
    return UserFactory(role="council_member", municipalities=[municipality])


def _send(municipality, n, *, day=WEEK_2, topic="plan", rating=3, text="tekst"):
    for i in range(n):
        anonymous_feedback_submit(municipality=municipality, topic=topic, rating=rating, text=f"{text} {i:02d}" if text else "", today=day)


def test_every_iso_week_belongs_to_exactly_one_quarter():
    seen = {}
    for year in range(2020, 2031):
        for number in range(1, 5):
            for week in Quarter(year, number).iso_weeks():
                assert week not in seen, f"{week} in {seen.get(week)} and {year}-Q{number}"
                seen[week] = (year, number)
    day = dt.date(2020, 1, 1)
    while day < dt.date(2030, 12, 1):
        assert iso_week(day) in seen
        day += dt.timedelta(days=7)
    assert Quarter.of_day(dt.date(2026, 7, 8)).code == "2026-Q3"
    assert Quarter(2026, 1).iso_weeks()[0] == "2026-W01" and Quarter(2026, 1).iso_weeks()[-1] == "2026-W13"


def test_only_ended_quarters_are_offered():
    periods = [p.code for p in feedback_periods(today=dt.date(2026, 11, 27))]
    assert periods[0] == "2026-Q3" and "2026-Q4" not in periods and len(periods) == len(set(periods))
    # On the first day of a quarter the quarter before it has ended.
    assert feedback_periods(today=dt.date(2026, 10, 1))[0].code == "2026-Q3"


@pytest.mark.django_db
def test_the_current_quarter_and_arbitrary_ranges_cannot_be_chosen(council):
    with pytest.raises(ValidationError):
        anonymous_feedback_summary(user=council, period=Quarter.of_day(TODAY).code, today=TODAY)
    for bad in ("2026-W02", "2026-Q5", "Q3", "2026-Q3; drop"):
        with pytest.raises(ValidationError):
            anonymous_feedback_summary(user=council, period=bad, today=TODAY)
    with pytest.raises(TypeError):
        anonymous_feedback_summary(user=council, week_from=WEEK_2_CODE, week_to=WEEK_2_CODE)  # the old range filter is gone


@pytest.mark.django_db
def test_the_differencing_attack_of_the_audit_fails(client, municipality, council):
    """The audit: ten texts in week 2, one person's text in week 3; the council compared
    'week 2' with 'weeks 2–3' and the one extra text was that person's."""
    _send(municipality, FEEDBACK_MIN_COUNT, day=WEEK_2, text="week twee")
    anonymous_feedback_submit(
        municipality=municipality, topic="sanctions", rating=1, text="Mijn klantmanager dreigde met korten.", today=WEEK_3
    )
    client.force_login(council)
    pages = [
        client.get(reverse("surveys:council_feedback"), query).content.decode()
        for query in ({"from": WEEK_2_CODE, "to": WEEK_2_CODE}, {"from": WEEK_2_CODE, "to": WEEK_3_CODE}, {"period": QUARTER.code}, {})
    ]
    # Week ranges are ignored: every view shows the same whole quarter, so nothing to subtract.
    mains = {page.split("<main", 1)[1].split("</main>", 1)[0] for page in pages}
    assert len(mains) == 1
    main = mains.pop()
    assert "Mijn klantmanager dreigde met korten." in main
    assert WEEK_2_CODE not in main and WEEK_3_CODE not in main  # no week per text


@pytest.mark.django_db
def test_looking_again_later_shows_no_difference(municipality, council):
    """A reaction sent today falls in the current quarter, which the council cannot open; the
    ended quarter it can open never changes."""
    _send(municipality, FEEDBACK_MIN_COUNT, day=WEEK_2)
    before = anonymous_feedback_summary(user=council, period=QUARTER.code, today=TODAY)
    anonymous_feedback_submit(municipality=municipality, topic="plan", rating=1, text="nieuw", today=TODAY)
    after = anonymous_feedback_summary(user=council, period=QUARTER.code, today=TODAY)
    assert before == after


@pytest.mark.django_db
def test_rating_only_reactions_do_not_unlock_the_texts(municipality, council):
    _send(municipality, FEEDBACK_MIN_COUNT - 1, text="met tekst")
    _send(municipality, 20, text="", rating=4)
    summary = anonymous_feedback_summary(user=council, period=QUARTER.code, today=TODAY)
    assert summary["total"] == FEEDBACK_MIN_COUNT - 1 + 20
    assert summary["text_count"] == FEEDBACK_MIN_COUNT - 1
    assert summary["texts_shown"] is False and summary["texts"] == []
    _send(municipality, 1, text="de tiende")
    summary = anonymous_feedback_summary(user=council, period=QUARTER.code, today=TODAY)
    assert summary["texts_shown"] is True and len(summary["texts"]) == FEEDBACK_MIN_COUNT
    # Sorted by content, not by arrival.
    assert [text for _topic, text in summary["texts"]] == sorted(text for _topic, text in summary["texts"])


@pytest.mark.django_db
def test_per_topic_figures_need_the_minimum_and_say_so(client, municipality, council):
    _send(municipality, FEEDBACK_MIN_COUNT, topic="plan", rating=4)
    _send(municipality, FEEDBACK_MIN_COUNT, topic="provider", rating=None)
    _send(municipality, 12, topic="other", rating=3)
    _send(municipality, 11, topic="respect", rating=None)
    anonymous_feedback_submit(municipality=municipality, topic="sanctions", rating=1, text="alleen ik", today=WEEK_2)
    summary = anonymous_feedback_summary(user=council, period=QUARTER.code, today=TODAY)
    topics = {t["value"]: t for t in summary["topics"]}
    assert topics["other"]["shown"] and topics["other"]["n"] == 12 and topics["other"]["average"] == 3
    # Enough reactions but no ratings: the number shows, the average does not.
    assert topics["respect"]["n"] == 11 and topics["respect"]["average"] is None and not topics["respect"]["average_shown"]
    # N = 1: neither the number nor that one person's rating.
    assert topics["sanctions"]["status"] == "small" and topics["sanctions"]["n"] is None and topics["sanctions"]["average"] is None
    # With the total (44) shown, 44 − 12 − 11 − 10 − 10 would give the 1 away: the two smallest
    # other topics are hidden as well ("×"), so 21 is all that can be computed for the three.
    assert summary["total"] == 44
    assert [topics[t]["status"] for t in ("plan", "provider")] == ["hidden", "hidden"] and topics["plan"]["average"] is None
    # The lone text is shown (the quarter holds many texts), but not labelled with its rare topic.
    assert (None, "alleen ik") in summary["texts"]
    client.force_login(council)
    content = client.get(reverse("surveys:council_feedback"), {"period": QUARTER.code}).content.decode()
    assert f"minder dan {FEEDBACK_MIN_COUNT} reacties" in content
    assert f"minder dan {FEEDBACK_MIN_COUNT} beoordelingen" in content
    assert "× niet getoond" in content


@pytest.mark.django_db
def test_council_page_refuses_a_period_that_has_not_ended_with_a_dutch_message(client, council):
    client.force_login(council)
    response = client.get(reverse("surveys:council_feedback"), {"period": "2099-Q1"})
    assert response.status_code == 200
    assert "Kies een van de periodes" in response.content.decode()


@pytest.mark.django_db
def test_council_page_and_access(client, municipality, other_municipality, council):
    _send(other_municipality, FEEDBACK_MIN_COUNT, day=WEEK_2, text="elders")
    client.force_login(council)
    response = client.get(reverse("surveys:council_feedback"))
    assert response.status_code == 200
    assert "N = 0" in response.content.decode() and "elders" not in response.content.decode()
    client.force_login(UserFactory(role="consultant", municipalities=[municipality]))
    assert client.get(reverse("surveys:council_feedback")).status_code == 403
