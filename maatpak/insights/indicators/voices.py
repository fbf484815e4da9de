"""Indicators of the theme 'what participants say' (de stem van de deelnemer), see base.py.

Reactions and survey responses hold no identity and no time finer than the ISO week they
arrived in. A week belongs to the quarter its Thursday falls in: the rule of the council's
feedback page (surveys.selectors.Quarter), so both always count the same reactions.
"""

import pandas as pd
from django.utils.translation import gettext_lazy as _

from maatpak.insights.indicators.base import TOTAL_KEY, AmountKind, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.surveys.models import AnonymousFeedback, FeedbackTopic, SurveyKind, SurveyResponse
from maatpak.surveys.selectors import Quarter, feedback_minimum, satisfaction_score
from maatpak.surveys.services import iso_week


def weeks_of(period: Period) -> list[str]:
    """The ISO weeks counted in `period`: those whose Thursday lies in it (as the council's feedback page counts)."""
    return Quarter(period.year, period.number).iso_weeks()


def minimum_scores() -> int:
    """How many scores an average needs before it is given: the rule of the council's feedback
    page (surveys.selectors.anonymous_feedback_summary), so an average never shows one person's
    rating, on the dashboard or in the council report (whose suppression protects counts only)."""
    return feedback_minimum()


def _average(values: pd.Series) -> float | None:
    known = values.dropna()
    return float(known.mean()) if len(known) and len(known) >= minimum_scores() else None


# --- loaders ----------------------------------------------------------------------------------


def anonymous_feedback(facts: Facts) -> pd.DataFrame:
    """Anonymous reactions to the client council that arrived by the reference day's week: week, topic, rating (None: no rating)."""
    return pd.DataFrame.from_records(
        list(
            AnonymousFeedback.objects.filter(municipality_id__in=facts.municipality_ids, week__lte=iso_week(facts.today)).values_list(
                "week", "topic", "rating"
            )
        ),
        columns=["week", "topic", "rating"],
    )


def survey_responses(facts: Facts) -> pd.DataFrame:
    """Survey responses that arrived by the reference day's week: week, kind (of the survey), satisfaction (None when not answered)."""
    rows = SurveyResponse.objects.filter(municipality_id__in=facts.municipality_ids, week__lte=iso_week(facts.today)).values_list(
        "week", "survey__kind", "answers"
    )
    return pd.DataFrame.from_records(
        [(week, kind, satisfaction_score(answers)) for week, kind, answers in rows], columns=["week", "kind", "satisfaction"]
    )


# --- indicators -------------------------------------------------------------------------------


def _per_category(frame: pd.DataFrame, column: str, choices, score: str) -> Table:
    rows = []
    for value, label in choices:
        part = frame[frame[column] == value]
        rows.append(Row(str(value), str(label), len(part), amount=_average(part[score].astype(float))))
    total = Row(TOTAL_KEY, str(_("Total")), len(frame), amount=_average(frame[score].astype(float)))
    return Table(rows=rows, total=total)


@indicator(
    code="anonymous_feedback",
    theme=Theme.VOICES,
    title=_("Anonymous reactions to the client council"),
    definition=_(
        "Reactions participants sent anonymously to the client council, per topic, with the average rating (1 to 5) of the "
        "reactions that gave one; an average of fewer than 10 ratings (or the council report's higher minimum) is not given, as on the council's feedback page. A reaction is stored with the week it arrived in only; a week counts in the quarter its "
        "Thursday falls in, as on the council's feedback page."
    ),
    numerator=_("Anonymous reactions"),
    denominator="",
    period_rule=_("The ISO week the reaction arrived in has its Thursday in the period."),
    reads=("surveys.AnonymousFeedback.week", "surveys.AnonymousFeedback.topic", "surveys.AnonymousFeedback.rating"),
    sentence=_("In {period} participants sent the client council {count} anonymous reactions, with an average rating of {amount}."),
    unit=Unit.EVENTS,
    breakdown=_("Topic"),
    amount_kind=AmountKind.AVERAGE,
    amount_label=_("Average rating (1 to 5)"),
    drill_down=False,
)
def anonymous_feedback_by_topic(facts: Facts, period: Period) -> Table:
    frame = facts.load(anonymous_feedback)
    return _per_category(frame[frame["week"].isin(weeks_of(period))], "topic", FeedbackTopic.choices, "rating")


@indicator(
    code="survey_results",
    theme=Theme.VOICES,
    title=_("Survey responses"),
    definition=_(
        "Responses to the municipality's surveys, per kind of survey, with the average answer to the question on satisfaction "
        "where the survey asks it and the answer is a number; an average of fewer than 10 answers (or the council report's higher minimum) is not given. A response is stored with the week it arrived in only; a week "
        "counts in the quarter its Thursday falls in."
    ),
    numerator=_("Survey responses"),
    denominator="",
    period_rule=_("The ISO week the response arrived in has its Thursday in the period."),
    reads=("surveys.SurveyResponse.week", "surveys.SurveyResponse.answers", "surveys.Survey.kind"),
    sentence=_("In {period} participants answered a survey {count} times; their average satisfaction was {amount}."),
    unit=Unit.EVENTS,
    breakdown=_("Kind of survey"),
    amount_kind=AmountKind.AVERAGE,
    amount_label=_("Average satisfaction"),
    drill_down=False,
)
def survey_results(facts: Facts, period: Period) -> Table:
    frame = facts.load(survey_responses)
    return _per_category(frame[frame["week"].isin(weeks_of(period))], "kind", SurveyKind.choices, "satisfaction")
