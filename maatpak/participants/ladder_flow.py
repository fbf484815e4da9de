"""The short question flow for the participation ladder (participatieladder, DOMAIN.md §3).

The consultant scores the ladder *with* the participant: five yes/no questions for the rung
today and the same five for the rung within reach in about a year (groeipotentieel). The
questions follow the ladder from the top down, so the first "yes" decides the rung and the
later questions need no answer. `rung_from_answers` is the one place that turns answers into
a rung: the intake screen, the API and the tests all use it.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

# The two moments asked about: today (huidige trede) and within about a year (haalbare trede).
CURRENT = "current"
POTENTIAL = "potential"
PARTS = (CURRENT, POTENTIAL)

PAID_WORK = "paid_work"
WITHOUT_SUPPORT = "without_support"
UNPAID_WORK = "unpaid_work"
ORGANISED_ACTIVITY = "organised_activity"
SOCIAL_CONTACT = "social_contact"

# (key, question about today, question about a year from now), in the order of the flow.
QUESTIONS = (
    (PAID_WORK, _("Does the participant have paid work?"), _("Is paid work within reach in about a year?")),
    (
        WITHOUT_SUPPORT,
        _("Only if paid work: without support (no wage subsidy, job coach, top-up benefit or sheltered work)?"),
        _("Only if paid work is within reach: without support?"),
    ),
    (
        UNPAID_WORK,
        _("Volunteer work or an internship, with responsibility towards others?"),
        _("Is volunteer work or an internship with responsibility within reach in about a year?"),
    ),
    (
        ORGANISED_ACTIVITY,
        _("A weekly organised activity (a course, education, a club)?"),
        _("Is a weekly organised activity within reach in about a year?"),
    ),
    (
        SOCIAL_CONTACT,
        _("Weekly contact with people outside the household (not only functional contacts)?"),
        _("Is weekly contact outside the household within reach in about a year?"),
    ),
)
QUESTION_KEYS = tuple(key for key, _today, _year in QUESTIONS)


def _walk(answers: Mapping[str, bool | None]):
    """The flow: yields (question, rung if the answer is yes, rung if no — None: ask on)."""
    yield PAID_WORK, None, None
    if answers.get(PAID_WORK):
        yield WITHOUT_SUPPORT, 6, 5
        return
    yield UNPAID_WORK, 4, None
    yield ORGANISED_ACTIVITY, 3, None
    yield SOCIAL_CONTACT, 2, 1


def rung_from_answers(answers: Mapping[str, bool | None]) -> int | None:
    """The rung (1–6) the answers lead to, or None while a question on the way is unanswered."""
    for question, if_yes, if_no in _walk(answers):
        answer = answers.get(question)
        if answer is None:
            return None
        rung = if_yes if answer else if_no
        if rung is not None:
            return rung
    return None  # pragma: no cover - the walk always ends with a rung


def missing_questions(answers: Mapping[str, bool | None]) -> list[str]:
    """The questions on the way that still need an answer (the first one only: the flow
    cannot go on without it)."""
    for question, if_yes, if_no in _walk(answers):
        answer = answers.get(question)
        if answer is None:
            return [question]
        if (if_yes if answer else if_no) is not None:
            return []
    return []  # pragma: no cover


def asked_answers(answers: Mapping[str, bool | None]) -> dict[str, bool]:
    """Only the answers the flow used (an answer to a question the flow skipped says nothing)."""
    kept = {}
    for question, if_yes, if_no in _walk(answers):
        answer = answers.get(question)
        if answer is None:
            break
        kept[question] = bool(answer)
        if (if_yes if answer else if_no) is not None:
            break
    return kept
