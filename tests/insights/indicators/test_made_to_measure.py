"""The 'made to measure' indicators on hand-made data: each expected number is worked out from
the rows the test makes (period borders, facts recorded after the reference day, another
municipality, an empty period)."""

import datetime as dt

import pytest

from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.participants.models import ConsultantAssignment
from maatpak.trajectories.models import HandoverChannel, PlanHandover, PlanIdea, ReportCopy, TrajectoryStatus
from tests.factories import (
    EndReportFactory,
    ParticipantFactory,
    PlanVersionFactory,
    ProgressReportFactory,
    ReferralFactory,
    TrajectoryFactory,
    UserFactory,
)

D = dt.date
Q2 = Period(2026, 2)  # 1 April – 30 June 2026
TODAY = D(2026, 8, 15)

pytestmark = pytest.mark.django_db


def evaluate(code, municipality, period=Q2, today=TODAY):
    return get_indicator(code).evaluate(Facts(municipality_ids=[municipality.pk], today=today), period).table


def plan(municipality, *, agreed_on, idea_response=None, handed_over_on=None):
    version = PlanVersionFactory(
        trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=municipality)), agreed_on=agreed_on
    )
    if idea_response is not None:
        PlanIdea.objects.create(municipality=municipality, plan=version, idea="Werken met dieren", supported=True, response=idea_response)
    if handed_over_on is not None:
        PlanHandover.objects.create(
            municipality=municipality,
            plan=version,
            handed_over_on=handed_over_on,
            channel=HandoverChannel.PAPER,
            recorded_by=version.created_by,
        )
    return version


def test_plans_with_own_ideas_and_handed_over(municipality, other_municipality):
    first = plan(municipality, agreed_on=D(2026, 4, 1), idea_response="Stage bij de dierenweide", handed_over_on=D(2026, 4, 2))  # both
    plan(municipality, agreed_on=D(2026, 6, 30), handed_over_on=D(2026, 9, 1))  # last day; hand-over after the reference day
    plan(municipality, agreed_on=D(2026, 5, 10), idea_response="", handed_over_on=D(2026, 5, 11))  # an idea nobody answered
    plan(municipality, agreed_on=D(2026, 3, 31), idea_response="Ja", handed_over_on=D(2026, 4, 1))  # agreed the day before Q2
    plan(municipality, agreed_on=D(2026, 7, 1), idea_response="Ja")  # agreed the day after Q2
    plan(municipality, agreed_on=None, idea_response="Ja")  # a draft: not agreed at all
    plan(other_municipality, agreed_on=D(2026, 5, 1), idea_response="Ja", handed_over_on=D(2026, 5, 1))

    ideas = evaluate("plans_with_own_ideas", municipality)
    # Base: the three versions agreed 1 April, 10 May and 30 June; only the first has an answered idea.
    assert (ideas.total.count, ideas.total.base) == (1, 3)
    assert ideas.total.people == {first.trajectory.participant_id}
    handed = evaluate("plans_handed_over", municipality)
    # The first and the 10 May version were handed over by the reference day; 30 June's copy came later.
    assert (handed.total.count, handed.total.base) == (2, 3)
    # On 1 September the late hand-over is known as well.
    assert evaluate("plans_handed_over", municipality, today=D(2026, 9, 1)).total.count == 3
    # Nothing agreed in Q1 2025: an empty share, not an error.
    empty = evaluate("plans_with_own_ideas", municipality, period=Period(2025, 1))
    assert (empty.total.count, empty.total.base, empty.total.share) == (0, 0, None)


def test_reports_handed_over(municipality, other_municipality):
    referral = ReferralFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=municipality)))
    participant_id = referral.trajectory.participant_id

    def progress(submitted_on, copy_on=None, on=referral):
        report = ProgressReportFactory(referral=on, due_on=submitted_on, submitted_on=submitted_on)
        if copy_on:
            ReportCopy.objects.create(
                municipality=on.municipality,
                participant_id=on.trajectory.participant_id,
                progress_report=report,
                made_available_on=copy_on,
            )
        return report

    progress(D(2026, 4, 1), copy_on=D(2026, 4, 1))  # first day, copy at once: counts
    progress(D(2026, 6, 30))  # last day, no copy: base only
    progress(D(2026, 5, 5), copy_on=D(2026, 9, 1))  # copy only after the reference day: base only
    progress(D(2026, 7, 1), copy_on=D(2026, 7, 1))  # after the period
    end = EndReportFactory(trajectory=referral.trajectory, referral=referral, submitted_on=D(2026, 5, 1))
    ReportCopy.objects.create(municipality=municipality, participant_id=participant_id, end_report=end, made_available_on=D(2026, 5, 1))
    EndReportFactory(trajectory=referral.trajectory, submitted_on=D(2026, 5, 2))  # the consultant's closing report: no provider report
    elsewhere = ReferralFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality)))
    progress(D(2026, 5, 5), copy_on=D(2026, 5, 5), on=elsewhere)

    table = evaluate("reports_handed_over", municipality)
    rows = {row.key: (row.count, row.base) for row in table.rows}
    assert rows == {"progress": (1, 3), "end": (1, 1)}
    assert (table.total.count, table.total.base) == (2, 4) and table.additive
    assert table.total.people == {participant_id}
    assert [(row.count, row.base) for row in evaluate("reports_handed_over", municipality, period=Period(2025, 1)).rows] == [(0, 0), (0, 0)]


def test_closed_with_end_report(municipality, other_municipality):
    def trajectory(ended_on, *, report=True, where=municipality):
        t = TrajectoryFactory(participant=ParticipantFactory(municipality=where), status=TrajectoryStatus.CLOSED, ended_on=ended_on)
        if report:
            t.closing_report = EndReportFactory(trajectory=t, submitted_on=ended_on)
            t.save()
        return t

    with_report = trajectory(D(2026, 4, 1))  # first day, closed with its end report: counts
    trajectory(D(2026, 6, 30), report=False)  # last day, taken over without an end report: base only
    trajectory(D(2026, 3, 31))  # before the period
    trajectory(D(2026, 7, 1), report=False)  # after the period
    trajectory(D(2026, 5, 1), where=other_municipality)

    table = evaluate("closed_with_end_report", municipality)
    assert (table.total.count, table.total.base) == (1, 2)
    assert table.total.people == {with_report.participant_id}
    # On 15 May the trajectory closed on 30 June is not closed yet.
    early = evaluate("closed_with_end_report", municipality, today=D(2026, 5, 15)).total
    assert (early.count, early.base) == (1, 1)
    assert evaluate("closed_with_end_report", municipality, period=Period(2025, 1)).total.base == 0


def test_repeat_with_reason(municipality, other_municipality):
    earlier = TrajectoryFactory(participant=ParticipantFactory(municipality=municipality), status=TrajectoryStatus.CLOSED)

    def repeat(started_on, reason, *, previous=earlier):
        return TrajectoryFactory(participant=earlier.participant, started_on=started_on, previous=previous, repeat_reason=reason)

    repeat(D(2026, 4, 1), "Het vorige traject stopte door ziekte; nu is er een stageplek.")  # first day, with a reason: counts
    repeat(D(2026, 6, 30), "   ")  # last day, only spaces: no reason
    repeat(D(2026, 5, 1), "", previous=None)  # a first trajectory: no repeat
    repeat(D(2026, 7, 1), "")  # after the period
    repeat(None, "")  # a draft that has not started
    other = TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality))
    TrajectoryFactory(participant=other.participant, started_on=D(2026, 5, 1), previous=other)

    table = evaluate("repeat_with_reason", municipality)
    assert (table.total.count, table.total.base) == (1, 2)
    assert evaluate("repeat_with_reason", municipality, period=Period(2025, 1)).total.base == 0


def test_reports_on_time(municipality, other_municipality):
    referral = ReferralFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=municipality)))
    ProgressReportFactory(referral=referral, due_on=D(2026, 4, 1), submitted_on=D(2026, 4, 1))  # due the first day, sent that day: on time
    ProgressReportFactory(referral=referral, due_on=D(2026, 6, 30), submitted_on=D(2026, 7, 2))  # two days late
    ProgressReportFactory(referral=referral, due_on=D(2026, 3, 31), submitted_on=D(2026, 3, 30))  # due before the period
    ProgressReportFactory(referral=referral, due_on=D(2026, 6, 15), submitted_on=D(2026, 9, 1))  # sent after the reference day
    elsewhere = ReferralFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality)))
    ProgressReportFactory(referral=elsewhere, due_on=D(2026, 5, 1), submitted_on=D(2026, 5, 1))

    table = evaluate("reports_on_time", municipality)
    assert (table.total.count, table.total.base) == (1, 2)
    assert table.total.share == 0.5
    assert evaluate("reports_on_time", municipality, period=Period(2025, 1)).total.base == 0


@pytest.fixture
def assignments(municipality, other_municipality):
    """Six participants and their consultants' history around Q2 2026."""
    c1, c2, c3 = (UserFactory(municipalities=[municipality]) for _ in range(3))

    def assign(person, consultant, start, end=None):
        ConsultantAssignment.objects.create(
            municipality=person.municipality, participant=person, consultant=consultant, start_date=start, end_date=end
        )

    people = {name: ParticipantFactory(municipality=municipality) for name in "ABCDEF"}
    assign(people["A"], c1, D(2025, 1, 1), D(2026, 3, 31))
    assign(people["A"], c2, D(2026, 4, 1))  # a change on the first day of Q2
    assign(people["B"], c1, D(2025, 6, 1))  # the same consultant throughout
    assign(people["C"], c1, D(2026, 5, 1))  # a first assignment: a start, not a change
    assign(people["D"], c1, D(2025, 1, 1), D(2026, 3, 30))  # nobody's case during Q2 ...
    assign(people["D"], c2, D(2026, 7, 1))  # ... until after it
    people["E"].moved_away_on = D(2026, 2, 1)  # moved away before Q2; the assignment was never closed
    people["E"].save()
    assign(people["E"], c3, D(2025, 1, 1))
    assign(people["F"], c1, D(2025, 1, 1), D(2026, 4, 30))
    assign(people["F"], c2, D(2026, 5, 1), D(2026, 6, 29))  # two changes in Q2
    assign(people["F"], c3, D(2026, 6, 30))  # the last on the last day
    stranger, elsewhere = ParticipantFactory(municipality=other_municipality), UserFactory(municipalities=[other_municipality])
    assign(stranger, elsewhere, D(2025, 1, 1), D(2026, 4, 30))
    assign(stranger, UserFactory(municipalities=[other_municipality]), D(2026, 5, 1))
    return people, (c1, c2, c3)


def test_consultant_changes(municipality, assignments):
    people, _consultants = assignments
    table = evaluate("consultant_changes", municipality)
    # Had a consultant in Q2: A, B, C and F (D had none, E moved away). Changes: A once, F twice.
    assert (table.total.count, table.total.base) == (3, 4)
    assert table.total.amount == pytest.approx(3 / 4 * 4)
    assert table.total.people == {people["A"].pk, people["F"].pk}
    # On 15 May, F's change of 30 June has not happened yet.
    early = evaluate("consultant_changes", municipality, today=D(2026, 5, 15)).total
    assert (early.count, early.base, early.amount) == (2, 4, pytest.approx(2.0))
    empty = evaluate("consultant_changes", municipality, period=Period(2020, 1)).total
    assert (empty.count, empty.base, empty.amount) == (0, 0, None)


def test_caseload_per_consultant(municipality, assignments):
    people, _consultants = assignments
    table = evaluate("caseload_per_consultant", municipality)
    # On 30 June: A with c2, B and C with c1, F with c3 (from that very day); D between
    # consultants, E moved away. Four people, three consultants.
    assert (table.total.count, table.total.base) == (4, 3)
    assert table.total.amount == pytest.approx(4 / 3)
    assert table.total.people == {people[name].pk for name in "ABCF"}
    # On the reference day 15 May: A and F with c2, B and C with c1.
    early = evaluate("caseload_per_consultant", municipality, today=D(2026, 5, 15)).total
    assert (early.count, early.base, early.amount) == (4, 2, pytest.approx(2.0))
    empty = evaluate("caseload_per_consultant", municipality, period=Period(2020, 1)).total
    assert (empty.count, empty.base, empty.amount) == (0, 0, None)
