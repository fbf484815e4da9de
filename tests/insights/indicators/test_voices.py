"""The 'what participants say' indicators on hand-made data. Reactions carry only an ISO week;
a week counts in the quarter its Thursday falls in, as on the council's feedback page."""

import datetime as dt

import pytest

from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.insights.indicators.voices import weeks_of
from maatpak.surveys.models import FeedbackTopic, SurveyKind
from tests.factories import AnonymousFeedbackFactory, SurveyFactory, SurveyResponseFactory

D = dt.date
Q2 = Period(2026, 2)
TODAY = D(2026, 8, 15)

pytestmark = pytest.mark.django_db


def evaluate(code, municipality, period=Q2, today=TODAY):
    return get_indicator(code).evaluate(Facts(municipality_ids=[municipality.pk], today=today), period).table


def test_the_quarter_rule_is_the_feedback_pages():
    weeks = weeks_of(Q2)
    # Week 14 runs 30 March – 5 April (Thursday 2 April): Q2, though it starts in March. Week 27
    # runs 29 June – 5 July (Thursday 2 July): Q3, though it starts in June.
    assert (weeks[0], weeks[-1], len(weeks)) == ("2026-W14", "2026-W26", 13)
    assert weeks_of(Period(2026, 3))[0] == "2026-W27"


def test_anonymous_feedback_per_topic(municipality, other_municipality, settings):
    settings.MAATPAK_COUNCIL_MIN_CELL = 10  # an average needs 10 ratings (the feedback page's rule)

    def reaction(week, topic=FeedbackTopic.PLAN, rating=None, where=municipality, times=1):
        for _ in range(times):
            AnonymousFeedbackFactory(municipality=where, week=week, topic=topic, rating=rating)

    reaction("2026-W14", rating=4, times=5)  # the first week of Q2
    reaction("2026-W26", rating=2, times=5)  # the last week of Q2
    reaction("2026-W20")  # no rating: counts, but not in the average
    reaction("2026-W20", FeedbackTopic.CONSULTANT, 5)
    reaction("2026-W21", FeedbackTopic.RESPECT, 3)
    reaction("2026-W13", rating=1)  # Q1
    reaction("2026-W27", rating=1)  # Q3
    reaction("2026-W20", rating=1, where=other_municipality)

    table = evaluate("anonymous_feedback", municipality)
    rows = {row.key: (row.count, row.amount) for row in table.rows}
    assert [row.key for row in table.rows] == list(FeedbackTopic.values)  # every topic, in a fixed order
    assert rows[FeedbackTopic.PLAN] == (11, pytest.approx(3.0))  # (5 × 4 + 5 × 2) / 10 ratings
    assert rows[FeedbackTopic.CONSULTANT] == (1, None)  # one rating: no average, it would be that person's
    assert rows[FeedbackTopic.RESPECT] == (1, None)
    assert rows[FeedbackTopic.SANCTIONS] == (0, None)
    assert (table.total.count, table.total.amount) == (13, pytest.approx((5 * 4 + 5 * 2 + 5 + 3) / 12))
    assert table.additive and table.total.people == frozenset()
    assert not get_indicator("anonymous_feedback").drill_down
    # On 15 May (week 20), reactions of weeks 21 and 26 have not arrived yet: 7 reactions, 6 ratings.
    early = evaluate("anonymous_feedback", municipality, today=D(2026, 5, 15)).total
    assert (early.count, early.amount) == (7, None)
    empty = evaluate("anonymous_feedback", municipality, period=Period(2025, 1)).total
    assert (empty.count, empty.amount) == (0, None)
    # A higher council minimum raises the bar for averages too.
    settings.MAATPAK_COUNCIL_MIN_CELL = 11
    assert evaluate("anonymous_feedback", municipality).rows[0].amount is None


def test_survey_results_per_kind(municipality, other_municipality):
    satisfaction = SurveyFactory(municipality=municipality, kind=SurveyKind.SATISFACTION)
    end = SurveyFactory(municipality=municipality, kind=SurveyKind.TRAJECTORY_END)
    for _ in range(5):
        SurveyResponseFactory(survey=satisfaction, week="2026-W14", answers={"satisfaction": 4})  # first week of Q2
        SurveyResponseFactory(survey=satisfaction, week="2026-W26", answers={"satisfaction": 5, "q1": 2})  # last week
    SurveyResponseFactory(survey=satisfaction, week="2026-W20", answers={"q1": 3})  # no satisfaction answer: counted, no score
    SurveyResponseFactory(survey=end, week="2026-W20", answers={"satisfaction": 2})
    SurveyResponseFactory(survey=end, week="2026-W20", answers={"satisfaction": "goed"})  # not a number: no score
    SurveyResponseFactory(survey=satisfaction, week="2026-W13", answers={"satisfaction": 1})  # Q1
    SurveyResponseFactory(survey=satisfaction, week="2026-W27", answers={"satisfaction": 1})  # Q3
    SurveyResponseFactory(survey=SurveyFactory(municipality=other_municipality), week="2026-W20", answers={"satisfaction": 1})

    table = evaluate("survey_results", municipality)
    rows = {row.key: (row.count, row.amount) for row in table.rows}
    assert [row.key for row in table.rows] == list(SurveyKind.values)
    assert rows[SurveyKind.SATISFACTION] == (11, pytest.approx(4.5))  # 10 scores: (5 × 4 + 5 × 5) / 10
    assert rows[SurveyKind.TRAJECTORY_END] == (2, None)  # one score: no average
    assert rows[SurveyKind.INTERVIEW_GUIDE] == (0, None)
    assert (table.total.count, table.total.amount) == (13, pytest.approx((5 * 4 + 5 * 5 + 2) / 11)) and table.additive
    assert evaluate("survey_results", municipality, period=Period(2025, 1)).total.count == 0
