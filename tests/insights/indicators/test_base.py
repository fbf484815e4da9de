"""The indicator registry, periods and the shared population facts, on hand-made data."""

import datetime as dt

import pytest

from maatpak.insights.indicators import Facts, Period, all_indicators, get_indicator
from maatpak.insights.indicators.population import benefit_spells, on_benefit
from maatpak.participants.models import BenefitEndReason, BenefitType
from tests.factories import BenefitFactory, ParticipantFactory, SolAssessmentFactory

D = dt.date


def test_period_arithmetic():
    q = Period.parse("2026-Q1")
    assert (q.start, q.end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert q.previous() == Period(2025, 4) and q.shifted(-4) == Period(2025, 1) and q.shifted(5) == Period(2027, 2)
    assert Period.last_ended(D(2026, 7, 1)) == Period(2026, 2)
    assert [p.code for p in Period(2026, 2).trend(3)] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert Period.parse("2026-Q5") is None and Period.parse("nonsense") is None


def test_every_indicator_is_defined_completely():
    items = all_indicators()
    assert items, "no indicators registered"
    for item in items:
        assert item.title and item.definition and item.numerator and item.period_rule and item.reads and item.sentence, item.code
        assert get_indicator(item.code) is item


@pytest.mark.django_db
def test_spells_join_benefits_without_a_gap_and_count_inflow_and_outflow_once(municipality):
    # Person 1: IOAW until 31 Jan, Participatiewet from 1 Feb until 15 May (work): one spell.
    one = ParticipantFactory(municipality=municipality)
    BenefitFactory(
        participant=one,
        municipality=municipality,
        type=BenefitType.IOAW,
        start_date=D(2025, 6, 1),
        end_date=D(2026, 1, 31),
        end_reason=BenefitEndReason.OTHER_BENEFIT,
    )
    BenefitFactory(
        participant=one,
        municipality=municipality,
        type=BenefitType.PARTICIPATIEWET,
        start_date=D(2026, 2, 1),
        end_date=D(2026, 5, 15),
        end_reason=BenefitEndReason.WORK,
    )
    # Person 2: starts 10 Feb 2026, still running.
    two = ParticipantFactory(municipality=municipality)
    BenefitFactory(participant=two, municipality=municipality, start_date=D(2026, 2, 10), end_date=None)
    facts = Facts(municipality_ids=[municipality.pk], today=D(2026, 9, 1))
    spells = facts.load(benefit_spells)
    assert len(spells) == 2
    q1, q2 = Period(2026, 1), Period(2026, 2)
    assert get_indicator("inflow").evaluate(facts, q1).total.count == 1  # only person 2: person 1 moved benefit
    outflow_q1 = get_indicator("outflow_by_reason").evaluate(facts, q1)
    assert outflow_q1.total.count == 0
    outflow_q2 = get_indicator("outflow_by_reason").evaluate(facts, q2)
    assert {r.key: r.count for r in outflow_q2.rows if r.count} == {"work": 1}
    assert outflow_q2.total.people == frozenset({one.pk})


@pytest.mark.django_db
def test_on_benefit_classifies_by_the_latest_assessment_in_the_period(municipality):
    person = ParticipantFactory(municipality=municipality, birth_date=D(2000, 1, 1))
    BenefitFactory(participant=person, municipality=municipality, start_date=D(2025, 1, 1), end_date=None)
    SolAssessmentFactory(participant=person, municipality=municipality, group="B1", assessed_on=D(2025, 2, 1))
    SolAssessmentFactory(participant=person, municipality=municipality, group="A2", assessed_on=D(2026, 7, 1))  # after Q2
    facts = Facts(municipality_ids=[municipality.pk], today=D(2026, 9, 1))
    frame = on_benefit(facts, Period(2026, 2))
    row = frame.iloc[0]
    assert (row["sol_group"], row["age_band"], row["months_band"], row["ladder_rung"]) == ("B1", "18–26", "12–35", "unknown")


@pytest.mark.django_db
def test_a_sex_outside_the_choices_counts_as_other_so_the_rows_add_up(municipality):
    # An old import wrote "v" (vrouw): it must land in a row, or the council report's sums break.
    person = ParticipantFactory(municipality=municipality, sex="v")
    BenefitFactory(participant=person, municipality=municipality, start_date=D(2025, 1, 1), end_date=None)
    facts = Facts(municipality_ids=[municipality.pk], today=D(2026, 9, 1))
    result = get_indicator("offers_by_sex").evaluate(facts, Period(2026, 2))
    assert {row.key: row.base for row in result.rows} == {"f": 0, "m": 0, "x": 1}
    assert result.total.base == 1
