"""Requirement (issue 14.7): what the attack on the running app did — two simultaneous "ask for
another consultant" posts, two simultaneous answers to one request, reactions sent at the same
moment — cannot break the rules. Two real threads, each with its own database connection, meet
at a barrier and write at the same time; the database (a unique index, a compare-and-set on the
version, a row lock on the count) decides. Only PostgreSQL runs writers in parallel; on SQLite
the same rules are tested one after the other in test_change_requests.py and test_feedback.py."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from maatpak.accounts.roles import Role
from maatpak.portal.models import ConsultantChangeRequest, FeedbackWeekCount
from maatpak.portal.services import FEEDBACK_LIMIT_PER_WEEK, anonymous_feedback_send, consultant_change_answer, consultant_change_request
from maatpak.surveys.models import AnonymousFeedback
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL runs two writers in parallel"),
    pytest.mark.django_db(transaction=True),
]


def _at_once(*calls):
    """Run each call in its own thread, released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the outcome, whatever it is, is what the test looks at
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_simultaneous_requests_store_one_and_refuse_the_other_in_dutch(me):
    outcomes = _at_once(*[lambda: consultant_change_request(actor=me.user, participant=me, reason="Het klikt niet.")] * 2)
    stored = [o for o in outcomes if isinstance(o, ConsultantChangeRequest)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(stored) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "already_open" and "al gevraagd om een andere klantmanager" in refused[0].messages[0]
    assert ConsultantChangeRequest.objects.filter(participant=me, status="open").count() == 1


def test_two_simultaneous_answers_keep_one_and_refuse_the_other(me, team_lead, municipality, team):
    request = consultant_change_request(actor=me.user, participant=me)
    colleague = UserFactory(role=Role.TEAM_LEAD, municipalities=[municipality], team=team)
    other = UserFactory(role=Role.CONSULTANT, municipalities=[municipality], team=team)
    consultant_before = me.consultant
    # Each team lead has their own copy of the open request, version 1, as their screen had.
    grant_copy, refuse_copy = (ConsultantChangeRequest.objects.get(pk=request.pk) for _ in range(2))
    outcomes = _at_once(
        lambda: consultant_change_answer(
            actor=team_lead, request=grant_copy, status="granted", answer="U krijgt een ander.", new_consultant=other, expected_version=1
        ),
        lambda: consultant_change_answer(actor=colleague, request=refuse_copy, status="refused", answer="Nee.", expected_version=1),
    )
    winners = [o for o in outcomes if isinstance(o, ConsultantChangeRequest)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(winners) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "answered" and "Uw antwoord is niet opgeslagen." in refused[0].messages[0]
    request.refresh_from_db()
    me.refresh_from_db()
    assert (request.status, request.answer, request.version) == (winners[0].status, winners[0].answer, 2)
    # Granting and the new consultant go together, or neither happened.
    assert me.consultant == (other if request.status == "granted" else consultant_before)


def test_reactions_sent_at_the_same_moment_do_not_pass_the_weekly_limit(me):
    for _ in range(FEEDBACK_LIMIT_PER_WEEK - 1):
        anonymous_feedback_send(actor=me.user, participant=me, topic="plan", rating=3, text="")
    outcomes = _at_once(*[lambda: anonymous_feedback_send(actor=me.user, participant=me, topic="plan", rating=4, text="")] * 3)
    assert sum(1 for o in outcomes if o is None) == 1, outcomes
    assert all(isinstance(o, ValidationError) and o.code == "feedback_limit" for o in outcomes if o is not None)
    assert AnonymousFeedback.objects.count() == FEEDBACK_LIMIT_PER_WEEK
    assert FeedbackWeekCount.objects.get(participant=me).count == FEEDBACK_LIMIT_PER_WEEK
