from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count

from maatpak.accounts.roles import Role
from maatpak.core.tenancy import municipality_ids_for, scope_to_user
from maatpak.surveys.models import AnonymousFeedback, FeedbackTopic, Survey, SurveyResponse

# The council sees feedback texts only once this many reactions exist for the period, so no
# single reaction can be traced back to the few people who had, say, one provider that week.
FEEDBACK_TEXT_MIN_COUNT = 10
FEEDBACK_READER_ROLES = frozenset({Role.COUNCIL_MEMBER, Role.POLICY_OFFICER})


def survey_list(*, user):
    return scope_to_user(Survey.objects.all(), user)


def survey_response_list(*, user):
    return scope_to_user(SurveyResponse.objects.all(), user)


def anonymous_feedback_list(*, user):
    return scope_to_user(AnonymousFeedback.objects.all(), user)


def anonymous_feedback_summary(*, user, week_from: str = "", week_to: str = "") -> dict:
    """Aggregates per topic for the council; texts only when the total reaches the minimum.

    Weeks are ISO strings ("2026-W05"), which sort correctly as text.
    """
    if user.role not in FEEDBACK_READER_ROLES:
        raise PermissionDenied
    rows = AnonymousFeedback.objects.filter(municipality_id__in=municipality_ids_for(user))
    if week_from:
        rows = rows.filter(week__gte=week_from)
    if week_to:
        rows = rows.filter(week__lte=week_to)
    per_topic = {r["topic"]: r for r in rows.values("topic").annotate(n=Count("id"), rated=Count("rating"), average=Avg("rating"))}
    topics = [
        {
            "topic": label,
            "n": per_topic.get(value, {}).get("n", 0),
            "rated": per_topic.get(value, {}).get("rated", 0),
            "average": per_topic.get(value, {}).get("average"),
        }
        for value, label in FeedbackTopic.choices
    ]
    total = sum(t["n"] for t in topics)
    texts_shown = total >= FEEDBACK_TEXT_MIN_COUNT
    # Texts in a fixed, non-chronological order (by topic, then text) so order reveals nothing.
    texts = list(rows.exclude(text="").order_by("topic", "text").values_list("topic", "text")) if texts_shown else []
    labels = dict(FeedbackTopic.choices)
    return {
        "total": total,
        "topics": topics,
        "texts_shown": texts_shown,
        "texts": [(labels[t], text) for t, text in texts],
        "minimum": FEEDBACK_TEXT_MIN_COUNT,
    }
