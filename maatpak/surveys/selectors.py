import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.policy import AGGREGATES, require
from maatpak.core.disclosure import SHOWN, Quantity, Sum, suppress
from maatpak.core.tenancy import municipality_ids_for, scope_to_user
from maatpak.surveys.models import AnonymousFeedback, FeedbackTopic, Survey, SurveyResponse
from maatpak.surveys.services import iso_week

# The council sees a figure or a text only when at least this many reactions stand behind it:
# the council report's threshold (settings.MAATPAK_COUNCIL_MIN_CELL, never below 10, so the cap
# of 9 reactions per participant per quarter stays below it).
FEEDBACK_MIN_COUNT = 10
# How many ended quarters the council can choose from (two years).
FEEDBACK_PERIODS_OFFERED = 8


def satisfaction_score(answers) -> float | None:
    """The answer to the question "satisfaction" of a survey response, if it is a number (a yes
    or no is not a score)."""
    value = answers.get("satisfaction") if isinstance(answers, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def survey_list(*, user):
    return scope_to_user(Survey.objects.all(), user)


def survey_response_list(*, user):
    return scope_to_user(SurveyResponse.objects.all(), user)


def anonymous_feedback_list(*, user):
    return scope_to_user(AnonymousFeedback.objects.all(), user)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter as a feedback period. An ISO week belongs to the quarter its Thursday
    falls in (the same rule that gives an ISO week its year), so every stored week belongs to
    exactly one quarter and two periods never overlap."""

    year: int
    number: int

    @classmethod
    def parse(cls, code: str) -> "Quarter":
        """'2026-Q3' → Quarter(2026, 3); ValidationError for anything else."""
        try:
            year, number = code.split("-Q")
            quarter = cls(int(year), int(number))
        except ValueError:
            quarter = None
        if quarter is None or not 1 <= quarter.number <= 4 or not 2000 <= quarter.year <= 9999:
            raise ValidationError(_("Choose one of the periods in the list."), code="period")
        return quarter

    @classmethod
    def of_week(cls, year: int, week: int) -> "Quarter":
        thursday = dt.date.fromisocalendar(year, week, 4)
        return cls(thursday.year, (thursday.month - 1) // 3 + 1)

    @classmethod
    def of_day(cls, day: dt.date) -> "Quarter":
        year, week, _weekday = day.isocalendar()
        return cls.of_week(year, week)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    def previous(self) -> "Quarter":
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    def next(self) -> "Quarter":
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)

    def starts_on(self) -> dt.date:
        """The Monday of its first ISO week: from that day on, a reaction counts in this quarter."""
        year, week = self.iso_weeks()[0].split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)

    def iso_weeks(self) -> list[str]:
        """The ISO weeks ("2026-W27") whose Thursday lies in this quarter."""
        first_day = dt.date(self.year, 3 * self.number - 2, 1)
        thursday = first_day + dt.timedelta(days=(3 - first_day.weekday()) % 7)
        weeks = []
        while (thursday.month - 1) // 3 + 1 == self.number and thursday.year == self.year:
            weeks.append(iso_week(thursday))
            thursday += dt.timedelta(days=7)
        return weeks


def feedback_periods(*, today: dt.date | None = None) -> list[Quarter]:
    """The periods the council may choose: quarters that have ended, newest first.

    A quarter has ended once the current ISO week belongs to a later quarter. Feedback is
    stamped with the week it arrives in, so an ended quarter never changes again: looking at it
    twice cannot show the difference one new reaction made.
    """
    quarter = Quarter.of_day(today or timezone.localdate()).previous()
    periods = []
    for _i in range(FEEDBACK_PERIODS_OFFERED):
        periods.append(quarter)
        quarter = quarter.previous()
    return periods


def feedback_minimum() -> int:
    """How many reactions (or ratings, for an average) a figure needs before the council sees it."""
    return max(FEEDBACK_MIN_COUNT, settings.MAATPAK_COUNCIL_MIN_CELL)


def feedback_statuses(period_code: str, counts: dict[str, int], minimum: int) -> dict[str, str]:
    """SHOWN, SMALL or HIDDEN per topic and for "total": the one shared suppression
    (core.disclosure), with the same quantities and keys as the council report's indicator
    `anonymous_feedback` (insights.indicators.voices), so both pages hide the same figures and
    no number can be computed from the two together."""
    key = ("anonymous_feedback", period_code)
    quantities = [Quantity((*key, topic, "count"), n) for topic, n in counts.items()]
    total = (*key, "total", "count")
    quantities.append(Quantity(total, sum(counts.values())))
    decided = suppress(quantities, [Sum(total, tuple(q.key for q in quantities[:-1]))], threshold=minimum)
    return {topic: decided[(*key, topic, "count")] for topic in counts} | {"total": decided[total]}


def anonymous_feedback_summary(*, user, period: str = "", today: dt.date | None = None) -> dict:
    """What the council may see of one ended quarter.

    The council cannot choose arbitrary week ranges: with overlapping ranges (week 2 against
    weeks 2–3) one person's text or rating could be isolated by subtracting. So:
    - the period is one fixed, ended quarter (see `feedback_periods`);
    - the texts of that quarter are shown only when it holds at least FEEDBACK_MIN_COUNT
      reactions *with a text* (a rating-only reaction does not hide anyone's text), sorted by
      their content and without the week they arrived in;
    - per topic, the number and average are shown only when at least FEEDBACK_MIN_COUNT
      reactions (for the average: ratings) stand behind them; otherwise the page says "fewer
      than N" — a figure is never silently left out.
    Raises ValidationError for a period that is not offered (not a quarter, or not yet ended).
    """
    require(user, AGGREGATES, "view_council_feedback")
    periods = feedback_periods(today=today)
    chosen = Quarter.parse(period) if period else periods[0]
    if chosen not in periods:
        raise ValidationError(_("Choose one of the periods in the list. A quarter can be chosen once it has ended."), code="period")
    minimum = feedback_minimum()
    rows = AnonymousFeedback.objects.filter(municipality_id__in=municipality_ids_for(user), week__in=chosen.iso_weeks())
    per_topic = {
        r["topic"]: r for r in rows.values("topic").annotate(n=Count("id"), rated=Count("rating"), average=Avg("rating")).order_by()
    }
    statuses = feedback_statuses(chosen.code, {value: per_topic.get(value, {"n": 0})["n"] for value in FeedbackTopic.values}, minimum)
    topics = []
    for value, label in FeedbackTopic.choices:
        row = per_topic.get(value, {"n": 0, "rated": 0, "average": None})
        shown = statuses[value] == SHOWN
        topics.append(
            {
                "value": value,
                "topic": label,
                "shown": shown,
                "status": statuses[value],
                "n": row["n"] if shown else None,
                # The average says nothing about how many rated; it needs `minimum` ratings.
                "average_shown": shown and row["rated"] >= minimum,
                "average": row["average"] if shown and row["rated"] >= minimum else None,
            }
        )
    with_text = rows.exclude(text="")
    text_count = with_text.count()
    texts_shown = text_count >= minimum
    texts = []
    if texts_shown:
        # Sorted by content, so the order says nothing about who wrote when; the topic is
        # named only for topics with enough reactions to hide among.
        labels = {t["value"]: t["topic"] for t in topics if t["shown"]}
        texts = [(labels.get(topic), text) for topic, text in with_text.order_by("text", "topic").values_list("topic", "text")]
    return {
        "period": chosen,
        "periods": periods,
        "total": sum(r["n"] for r in per_topic.values()) if statuses["total"] == SHOWN else None,
        "topics": topics,
        "text_count": text_count,
        "texts_shown": texts_shown,
        "texts": texts,
        "minimum": minimum,
    }
