"""The indicators of the theme 'outflow and results' on hand-made data; every expected number is
worked out from the data the test makes (the comments say why each case counts or not)."""

import datetime as dt

import pytest

from maatpak.employers.models import PlacementFollowUp, PlacementKind
from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.participants.models import BenefitEndReason, BenefitType, Exemption
from maatpak.trajectories.models import Goal, GoalStatus, IntermediateGoalKind
from tests.factories import (
    BenefitFactory,
    LadderAssessmentFactory,
    ParticipantFactory,
    PlacementFactory,
    PlanVersionFactory,
    TrajectoryFactory,
    UserFactory,
)

D = dt.date
Q2 = Period(2026, 2)  # 1 April – 30 June 2026


def table(code, municipality, period, today):
    return get_indicator(code).evaluate(Facts(municipality_ids=[municipality.pk], today=today), period).table


def by_key(result, field="count"):
    return {row.key: getattr(row, field) for row in result.rows}


def spell(municipality, person, start, end=None, reason="", type=BenefitType.PARTICIPATIEWET):
    return BenefitFactory(participant=person, municipality=municipality, type=type, start_date=start, end_date=end, end_reason=reason)


@pytest.mark.django_db
def test_inflow_and_outflow_by_reason(municipality, other_municipality):
    today = D(2026, 6, 15)
    starts_on_border = ParticipantFactory(municipality=municipality)
    spell(municipality, starts_on_border, D(2026, 4, 1), D(2026, 5, 20), BenefitEndReason.WORK)  # in; out for work
    ends_on_border = ParticipantFactory(municipality=municipality)
    spell(municipality, ends_on_border, D(2025, 1, 1), D(2026, 6, 30), BenefitEndReason.MOVED)  # ends after today: still running
    before = ParticipantFactory(municipality=municipality)
    spell(municipality, before, D(2026, 1, 5), D(2026, 3, 31), BenefitEndReason.EDUCATION)  # Q1: neither in nor out in Q2
    no_reason = ParticipantFactory(municipality=municipality)
    spell(municipality, no_reason, D(2025, 1, 1), D(2026, 4, 1))  # out on the first day, no reason recorded: "other"
    elsewhere = ParticipantFactory(municipality=other_municipality)
    spell(other_municipality, elsewhere, D(2026, 4, 2), D(2026, 5, 1), BenefitEndReason.WORK)  # other municipality
    later = ParticipantFactory(municipality=municipality)
    spell(municipality, later, D(2026, 6, 20))  # starts after today: not known yet

    inflow = table("inflow", municipality, Q2, today)
    assert (inflow.total.count, inflow.total.people) == (1, frozenset({starts_on_border.pk}))

    outflow = table("outflow_by_reason", municipality, Q2, today)
    assert {key: count for key, count in by_key(outflow).items() if count} == {"work": 1, "other": 1}
    assert [row.key for row in outflow.rows] == list(BenefitEndReason.values)  # every reason, also the empty ones
    assert outflow.total.count == 2 and outflow.total.people == frozenset({starts_on_border.pk, no_reason.pk})
    # With today after 30 June, the border end is known: one more, for moving away.
    assert by_key(table("outflow_by_reason", municipality, Q2, D(2026, 7, 1)))["moved"] == 1
    assert table("outflow_by_reason", municipality, Period(2020, 1), today).total.count == 0


@pytest.mark.django_db
def test_return_to_benefit_within_12_months(municipality, other_municipality):
    # The period is 2026-Q2, so the people who left in 2025-Q2 (1 April – 30 June 2025) are followed.
    today = D(2026, 6, 15)
    people = {}

    def person(name, *spells, where=municipality):
        people[name] = ParticipantFactory(municipality=where)
        for args in spells:
            spell(where, people[name], *args)

    person("a", (D(2024, 1, 1), D(2025, 4, 10), BenefitEndReason.WORK), (D(2025, 10, 1),))  # work; back after 6 months
    person("b", (D(2024, 1, 1), D(2025, 5, 1), BenefitEndReason.SELF_EMPLOYMENT))  # work; never back
    person("c", (D(2024, 1, 1), D(2025, 4, 30), BenefitEndReason.NOT_COOPERATING), (D(2026, 5, 1),))  # other; back 12 months + 1 day
    person("d", (D(2024, 1, 1), D(2025, 6, 1), BenefitEndReason.EDUCATION), (D(2026, 6, 1),))  # other; back on exactly 12 months
    person("e", (D(2024, 1, 1), D(2025, 6, 20), BenefitEndReason.WORK), (D(2025, 8, 1),))  # 12 months not passed on today: left out
    person("f", (D(2024, 1, 1), D(2025, 3, 31), BenefitEndReason.WORK), (D(2025, 5, 1),))  # left in 2025-Q1
    person("g", (D(2024, 1, 1), D(2025, 7, 1), BenefitEndReason.WORK))  # left in 2025-Q3
    person("h", (D(2024, 1, 1), D(2025, 4, 15), BenefitEndReason.MOVED))  # moved away: a return cannot be seen here
    person("i", (D(2024, 1, 1), D(2025, 4, 15), BenefitEndReason.DECEASED))  # died
    # IOAW straight into Participatiewet: one spell that did not end.
    person("j", (D(2024, 1, 1), D(2025, 5, 31), BenefitEndReason.OTHER_BENEFIT, BenefitType.IOAW), (D(2025, 6, 1),))
    person("k", (D(2024, 1, 1), D(2025, 4, 15), BenefitEndReason.WORK), (D(2025, 6, 1),), where=other_municipality)
    # Left twice in 2025-Q2: counted once, with the first time (work, back on 1 May).
    person("n", (D(2024, 1, 1), D(2025, 4, 5), BenefitEndReason.WORK), (D(2025, 5, 1), D(2025, 6, 10), BenefitEndReason.OTHER))

    result = table("return_to_benefit_12m", municipality, Q2, today)
    assert [row.key for row in result.rows] == ["work", "other"]
    assert by_key(result, "base") == {"work": 3, "other": 2}  # work: a, b, n; other: c, d
    assert by_key(result) == {"work": 2, "other": 1}  # back: a, n; d
    assert result.additive and (result.total.count, result.total.base) == (3, 5)
    assert result.total.people == frozenset(people[name].pk for name in ("a", "n", "d"))
    # On 20 June 2026 the 12 months of e have passed: e joins the work row and is back.
    later = table("return_to_benefit_12m", municipality, Q2, D(2026, 6, 20))
    assert (by_key(later, "base")["work"], by_key(later)["work"]) == (4, 3)
    empty = table("return_to_benefit_12m", municipality, Period(2020, 1), today)
    assert [(row.count, row.base) for row in empty.rows] == [(0, 0), (0, 0)] and empty.total.share is None


@pytest.mark.django_db
def test_work_durability_at_6_12_and_24_months(municipality, other_municipality):
    today = D(2026, 9, 1)

    def placement(start, end=None, kind=PlacementKind.REGULAR, checks=(), where=municipality):
        item = PlacementFactory(participant=ParticipantFactory(municipality=where), kind=kind, start_date=start, end_date=end)
        for months, checked_on, working in checks:
            PlacementFollowUp.objects.create(
                municipality=where, placement=item, months=months, due_on=start, checked_on=checked_on, still_working=working
            )
        return item

    # 6 months (mark in Q2 2026):
    p1 = placement(D(2025, 10, 15))  # mark 15 Apr, running, no checks at all: lasted
    placement(D(2025, 12, 1), D(2026, 3, 1), PlacementKind.SUBSIDISED)  # ended before the mark of 1 Jun: did not last
    placement(D(2025, 11, 10), checks=[(6, None, None)])  # the 6-month check is due but not recorded: not known, left out
    p4 = placement(D(2025, 12, 31), checks=[(6, D(2026, 7, 2), True)])  # mark 30 Jun (border), check after it found work: lasted
    placement(D(2026, 1, 1))  # mark 1 Jul: next quarter
    placement(D(2025, 11, 1), checks=[(3, D(2026, 3, 1), False)])  # a check found no work before the mark: did not last
    placement(D(2025, 10, 15), kind=PlacementKind.VOLUNTEER)  # not paid work
    placement(D(2025, 10, 15), where=other_municipality)  # other municipality
    # 12 months:
    placement(D(2025, 4, 20), checks=[(6, D(2025, 10, 20), True), (12, D(2026, 9, 5), True)])  # 12-month check after today: not known
    p8 = placement(D(2025, 6, 1), D(2026, 8, 1))  # ended after the mark of 1 Jun: lasted
    # 24 months:
    placement(D(2024, 5, 1), D(2026, 1, 15))  # ended before the mark of 1 May 2026

    result = table("work_durability", municipality, Q2, today)
    assert [row.key for row in result.rows] == ["6", "12", "24"]
    assert by_key(result, "base") == {"6": 4, "12": 1, "24": 1}
    assert by_key(result) == {"6": 2, "12": 1, "24": 0}
    assert by_key(result, "people")["6"] == frozenset({p1.participant_id, p4.participant_id})
    # The total holds every known answer: a placement has at most one mark in a quarter.
    assert result.additive and (result.total.count, result.total.base) == (3, 6)
    assert result.total.people == frozenset({p1.participant_id, p4.participant_id, p8.participant_id})
    # On 1 July 2026 the check of p4 (2 July) is not known yet: p4 drops out (p8 ends after its mark, so it still lasted).
    earlier = table("work_durability", municipality, Q2, D(2026, 7, 1))
    assert by_key(earlier, "base") == {"6": 3, "12": 1, "24": 1} and by_key(earlier) == {"6": 1, "12": 1, "24": 0}
    assert [(row.count, row.base) for row in table("work_durability", municipality, Period(2020, 1), today).rows] == [(0, 0)] * 3


@pytest.mark.django_db
def test_ladder_movement(municipality, other_municipality):
    def person(*assessments, where=municipality):
        someone = ParticipantFactory(municipality=where)
        for day, rung in assessments:
            LadderAssessmentFactory(participant=someone, municipality=where, assessed_on=day, rung=rung)
        return someone

    up = person((D(2026, 1, 10), 2), (D(2026, 4, 5), 3))
    # Latest before the period is the one of 31 March (4); latest in it is 30 June (3), on the border: down.
    down = person((D(2025, 6, 1), 3), (D(2026, 3, 31), 4), (D(2026, 5, 1), 4), (D(2026, 6, 30), 3))
    same = person((D(2025, 12, 1), 2), (D(2026, 4, 1), 2))
    person((D(2026, 5, 1), 3))  # first assessment: nothing to compare with
    person((D(2026, 1, 1), 1), (D(2026, 7, 1), 5))  # assessed again only after the period
    person((D(2026, 1, 1), 1), (D(2026, 5, 1), 3), where=other_municipality)

    result = table("ladder_movement", municipality, Q2, D(2026, 9, 1))
    assert [row.key for row in result.rows] == ["up", "same", "down"]
    assert by_key(result, "people") == {"up": frozenset({up.pk}), "same": frozenset({same.pk}), "down": frozenset({down.pk})}
    assert result.additive and result.total.count == 3
    # On 20 June the assessment of 30 June is not known: `down` stays on rung 4, the same.
    early = table("ladder_movement", municipality, Q2, D(2026, 6, 20))
    assert by_key(early) == {"up": 1, "same": 2, "down": 0}
    assert table("ladder_movement", municipality, Period(2020, 1), D(2026, 9, 1)).total.count == 0


@pytest.mark.django_db
def test_goals_with_a_confirmed_status(municipality, other_municipality):
    consultant = UserFactory(municipalities=[municipality])
    first = PlanVersionFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=municipality)), number=1)
    revision = PlanVersionFactory(trajectory=first.trajectory, number=2)
    other_plan = PlanVersionFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=municipality)))
    foreign_plan = PlanVersionFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality)))

    def goal(plan, status=GoalStatus.OPEN, on=None, by=consultant, copy_of=None):
        return Goal.objects.create(
            municipality=plan.municipality,
            plan=plan,
            kind=IntermediateGoalKind.SOCIAL_SKILLS,
            description="Op tijd komen",
            measure="Vier weken op tijd",
            target_date=D(2026, 6, 1),
            status=status,
            reached_on=on,
            status_set_by=by if status != GoalStatus.OPEN else None,
            copied_from=copy_of,
        )

    one = goal(first, GoalStatus.REACHED, D(2026, 4, 10))
    goal(revision, GoalStatus.REACHED, D(2026, 4, 10), copy_of=one)  # the same goal copied into the revision: counts once
    two = goal(first, GoalStatus.PARTLY_REACHED, D(2026, 2, 1))  # partly reached in Q1 ...
    goal(revision, GoalStatus.REACHED, D(2026, 5, 5), copy_of=two)  # ... reached in Q2 on the revision in force
    goal(first, GoalStatus.REACHED, D(2026, 4, 10), by=None)  # a status nobody confirmed (no consultant): not counted
    goal(first)  # open
    goal(first, GoalStatus.NOT_REACHED, D(2026, 6, 30))  # border of the period
    goal(first, GoalStatus.PARTLY_REACHED, D(2026, 7, 1))  # next quarter
    goal(other_plan, GoalStatus.PARTLY_REACHED, D(2026, 4, 15))
    goal(foreign_plan, GoalStatus.REACHED, D(2026, 4, 10), by=UserFactory())  # other municipality

    result = table("goals_reached", municipality, Q2, D(2026, 9, 1))
    assert [row.key for row in result.rows] == ["reached", "partly", "not_reached"]
    assert by_key(result) == {"reached": 2, "partly": 1, "not_reached": 1}
    assert result.additive and result.total.count == 4
    assert by_key(result, "people")["partly"] == frozenset({other_plan.trajectory.participant_id})
    assert result.total.people == frozenset({first.trajectory.participant_id, other_plan.trajectory.participant_id})
    # Q1 sees goal two as it stood then: partly reached, on the first version.
    assert by_key(table("goals_reached", municipality, Period(2026, 1), D(2026, 9, 1))) == {"reached": 0, "partly": 1, "not_reached": 0}
    # On 20 June the status dated 30 June is not known yet.
    assert by_key(table("goals_reached", municipality, Q2, D(2026, 6, 20)))["not_reached"] == 0
    assert table("goals_reached", municipality, Period(2020, 1), D(2026, 9, 1)).total.count == 0


@pytest.mark.django_db
def test_exemptions(municipality, other_municipality):
    decider = UserFactory(municipalities=[municipality])

    def person(*periods, where=municipality):
        someone = ParticipantFactory(municipality=where)
        for start, end in periods:
            Exemption.objects.create(
                municipality=where, participant=someone, reason="Mantelzorg", start_date=start, end_date=end, decided_by=decider
            )
        return someone

    continued = person((D(2026, 1, 1), D(2026, 12, 31)))  # started before, runs through the period
    new_border = person((D(2026, 4, 1), D(2026, 4, 30)))  # starts on the first day
    person((D(2025, 10, 1), D(2026, 3, 31)))  # ended the day before the period
    both = person((D(2025, 12, 1), D(2026, 4, 15)), (D(2026, 5, 1), D(2026, 10, 1)))  # an old and a new one: new, once
    person((D(2026, 7, 1), D(2026, 9, 1)))  # after the period
    late = person((D(2026, 6, 30), D(2026, 7, 31)))  # starts on the last day
    person((D(2026, 1, 1), D(2026, 12, 31)), where=other_municipality)

    result = table("exemptions", municipality, Q2, D(2026, 9, 1))
    assert [row.key for row in result.rows] == ["new", "continued"]
    assert by_key(result, "people") == {"new": frozenset({new_border.pk, both.pk, late.pk}), "continued": frozenset({continued.pk})}
    assert result.additive and result.total.count == 4
    # On 20 June the exemption from 30 June is not known yet.
    assert by_key(table("exemptions", municipality, Q2, D(2026, 6, 20))) == {"new": 2, "continued": 1}
    assert table("exemptions", municipality, Period(2020, 1), D(2026, 9, 1)).total.count == 0


@pytest.mark.django_db
def test_a_municipality_without_data_gets_every_row_with_zero(municipality):
    expected = {
        "inflow": [],
        "outflow_by_reason": list(BenefitEndReason.values),
        "return_to_benefit_12m": ["work", "other"],
        "work_durability": ["6", "12", "24"],
        "ladder_movement": ["up", "same", "down"],
        "goals_reached": ["reached", "partly", "not_reached"],
        "exemptions": ["new", "continued"],
    }
    for code, keys in expected.items():
        result = table(code, municipality, Q2, D(2026, 9, 1))
        assert [row.key for row in result.rows] == keys, code
        assert result.total.count == 0 and all(row.count == 0 for row in result.rows), code
