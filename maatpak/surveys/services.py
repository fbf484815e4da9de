"""Anonymous feedback to the client council (anonieme reactie aan de cliëntenraad)."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.surveys.models import AnonymousFeedback, FeedbackTopic


def iso_week(day: dt.date) -> str:
    """'2026-W05': the form in which reactions and responses store when they arrived (such
    strings sort like the weeks)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def anonymous_feedback_submit(
    *, municipality, topic: str, rating: int | None, text: str, today: dt.date | None = None
) -> AnonymousFeedback:
    """Store feedback with nothing that identifies the sender: no user, IP or exact time.

    The caller must not pass anything personal; this function takes no user on purpose.
    """
    if topic not in FeedbackTopic.values:
        raise ValidationError(_("Choose what your feedback is about."), code="topic")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError(_("A rating is a number from 1 to 5."), code="rating")
    text = (text or "").strip()
    if not text and rating is None:
        raise ValidationError(_("Give a rating or write something: an empty form cannot be sent."), code="empty")
    day = today or timezone.localdate()
    return AnonymousFeedback.objects.create(
        id=uuid.uuid4(), municipality=municipality, week=iso_week(day), topic=topic, rating=rating, text=text
    )
