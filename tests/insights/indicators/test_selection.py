"""'Who gets offered what' (selection at the gate), on a hand-made municipality.

Period Q1 2026 (1 January – 31 March), reference day 15 May 2026. Ages and months on benefit are
reckoned on 31 March, or on the day the benefit ended if that came first.

- S1: woman, 26 (born 1 Jan 2000), on benefit since 1 Jun 2025 (9 months), Sol B1, rung 2. A referral
  proposed on 1 Jan (first day) and declined later, and a course from 15 Feb: offered (once).
- S2: man, 45 (born 1 Jun 1980), on benefit since 2020 (74 months), Sol A2, no ladder assessment.
  An instrument from 31 Mar (last day) on the plan in force: offered.
- S3: man, 36 (born 1990), on benefit 1 Jan 2024 – 15 Feb 2026 (25 months at its end), no Sol
  assessment, rung 3. A referral proposed 31 Dec 2025 (before the period), a course on 1 Feb in a
  revision not agreed yet: not offered.
- S4: woman, 61 (born 1965), on benefit since 1 Jan 2025 (14 months), Sol B1 (a B3 assessed in
  April comes after the period), no ladder. A referral proposed 1 Apr: not offered in Q1, offered in Q2.
- S5: off benefit since 31 Dec 2025, a referral proposed in February: not among the people on benefit.
- S6: the other municipality, on benefit and offered: not counted.

People on benefit: S1–S4 (4); offered: S1 and S2 (2).
"""

import datetime as dt

import pytest

from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.participants.models import BenefitEndReason, Sex
from maatpak.trajectories.models import InstrumentCluster, PlannedInstrument, ReferralStatus, Signature, SignatureParty
from tests.factories import (
    BenefitFactory,
    InstrumentFactory,
    LadderAssessmentFactory,
    ParticipantFactory,
    PlanVersionFactory,
    ReferralFactory,
    SolAssessmentFactory,
    TrajectoryFactory,
)

D = dt.date
Q1, Q2 = Period(2026, 1), Period(2026, 2)
TODAY = D(2026, 5, 15)
CODES = ("offers_by_sol_group", "offers_by_ladder_rung", "offers_by_age_band", "offers_by_sex", "offers_by_months_on_benefit")


def _signed_plan(trajectory, number, agreed_on):
    plan = PlanVersionFactory(trajectory=trajectory, number=number, agreed_on=agreed_on)
    for party in (SignatureParty.CONSULTANT, SignatureParty.PARTICIPANT) if agreed_on else ():
        Signature.objects.create(
            municipality=plan.municipality,
            plan=plan,
            party=party,
            signer_name="X",
            signed_on=agreed_on,
            method="paper",
            recorded_by=plan.created_by,
        )
    return plan


def _use(plan, instrument, start):
    PlannedInstrument.objects.create(
        municipality=plan.municipality, plan=plan, instrument=instrument, start_date=start, end_date=start + dt.timedelta(days=60)
    )


@pytest.fixture
def world(municipality, other_municipality):
    m = municipality
    course = InstrumentFactory(municipality=m, cluster=InstrumentCluster.COURSES)

    def person(sex, born, benefit_start, benefit_end=None, municipality=m):
        participant = ParticipantFactory(municipality=municipality, sex=sex, birth_date=born)
        BenefitFactory(
            participant=participant,
            start_date=benefit_start,
            end_date=benefit_end,
            end_reason=BenefitEndReason.WORK if benefit_end else "",
        )
        return participant

    s1 = person(Sex.FEMALE, D(2000, 1, 1), D(2025, 6, 1))
    SolAssessmentFactory(participant=s1, group="B1", assessed_on=D(2025, 7, 1))
    LadderAssessmentFactory(participant=s1, rung=2, assessed_on=D(2025, 7, 1))
    t1 = TrajectoryFactory(participant=s1)
    ReferralFactory(trajectory=t1, proposed_on=D(2026, 1, 1), status=ReferralStatus.DECLINED, responded_on=D(2026, 1, 5))
    _use(_signed_plan(t1, 1, D(2025, 12, 1)), course, D(2026, 2, 15))

    s2 = person(Sex.MALE, D(1980, 6, 1), D(2020, 1, 1))
    SolAssessmentFactory(participant=s2, group="A2", assessed_on=D(2025, 7, 1))
    _use(_signed_plan(TrajectoryFactory(participant=s2), 1, D(2026, 1, 10)), course, D(2026, 3, 31))

    s3 = person(Sex.MALE, D(1990, 1, 1), D(2024, 1, 1), D(2026, 2, 15))
    LadderAssessmentFactory(participant=s3, rung=3, assessed_on=D(2025, 7, 1))
    t3 = TrajectoryFactory(participant=s3)
    ReferralFactory(trajectory=t3, proposed_on=D(2025, 12, 31))
    _signed_plan(t3, 1, D(2025, 6, 1))
    _use(_signed_plan(t3, 2, None), course, D(2026, 2, 1))  # a revision still being written

    s4 = person(Sex.FEMALE, D(1965, 1, 1), D(2025, 1, 1))
    SolAssessmentFactory(participant=s4, group="B1", assessed_on=D(2025, 7, 1))
    SolAssessmentFactory(participant=s4, group="B3", assessed_on=D(2026, 4, 10))
    ReferralFactory(trajectory=TrajectoryFactory(participant=s4), proposed_on=D(2026, 4, 1))

    s5 = person(Sex.FEMALE, D(1995, 1, 1), D(2024, 1, 1), D(2025, 12, 31))
    ReferralFactory(trajectory=TrajectoryFactory(participant=s5), proposed_on=D(2026, 2, 1))

    s6 = person(Sex.MALE, D(1980, 1, 1), D(2024, 1, 1), municipality=other_municipality)
    ReferralFactory(trajectory=TrajectoryFactory(participant=s6), proposed_on=D(2026, 2, 1))

    ids = {"S1": s1.pk, "S2": s2.pk, "S3": s3.pk, "S4": s4.pk}
    return {"ids": ids, "facts": Facts(municipality_ids=[m.pk], today=TODAY)}


def _figures(code, world, period=Q1):
    table = get_indicator(code).evaluate(world["facts"], period).table
    return table, {row.key: (row.count, row.base) for row in table.rows}


def _check_total(table, world):
    ids = world["ids"]
    assert table.additive
    assert (table.total.count, table.total.base) == (2, 4)
    assert table.total.people == frozenset({ids["S1"], ids["S2"]})
    assert sum(row.count for row in table.rows) == 2 and sum(row.base for row in table.rows) == 4


def test_offers_by_sol_group(world):
    table, rows = _figures("offers_by_sol_group", world)
    # S1 (offered) and S4 (not) are B1; S2 (offered) A2; S3 has no Sol assessment.
    assert rows == {"A1": (0, 0), "A2": (1, 1), "A3": (0, 0), "B1": (1, 2), "B2": (0, 0), "B3": (0, 0), "unknown": (0, 1)}
    assert next(row for row in table.rows if row.key == "B1").share == 0.5
    _check_total(table, world)
    # Q2: S4's referral of 1 April; her B3 of 10 April is her group then. S3 left the benefit in February.
    q2, rows_q2 = _figures("offers_by_sol_group", world, Q2)
    assert rows_q2["B3"] == (1, 1) and (q2.total.count, q2.total.base) == (1, 3)
    assert q2.total.people == frozenset({world["ids"]["S4"]})


def test_offers_by_ladder_rung(world):
    table, rows = _figures("offers_by_ladder_rung", world)
    # S1 rung 2 (offered), S3 rung 3 (not); S2 (offered) and S4 (not) have no ladder assessment.
    assert rows == {"1": (0, 0), "2": (1, 1), "3": (0, 1), "4": (0, 0), "5": (0, 0), "6": (0, 0), "unknown": (1, 2)}
    _check_total(table, world)


def test_offers_by_age_band(world):
    table, rows = _figures("offers_by_age_band", world)
    # S1 26, S3 36, S2 45, S4 61 on 31 March (S3 on 15 February).
    assert rows == {"18–26": (1, 1), "27–44": (0, 1), "45–54": (1, 1), "55+": (0, 1)}
    _check_total(table, world)


def test_offers_by_sex(world):
    table, rows = _figures("offers_by_sex", world)
    # Women S1 (offered) and S4; men S2 (offered) and S3.
    assert rows == {"f": (1, 2), "m": (1, 2), "x": (0, 0)}
    assert next(row for row in table.rows if row.key == "f").people == frozenset({world["ids"]["S1"]})
    _check_total(table, world)


def test_offers_by_months_on_benefit(world):
    table, rows = _figures("offers_by_months_on_benefit", world)
    # S1 9 months; S3 25 (at the end of the benefit) and S4 14; S2 74.
    assert rows == {"< 12": (1, 1), "12–35": (0, 2), "36+": (1, 1)}
    _check_total(table, world)


def test_the_five_breakdowns_share_one_total(world):
    totals = set()
    for code in CODES:
        item = get_indicator(code)
        assert item.total_key == "offers" and item.shared_total_key == "offers"
        total = item.evaluate(world["facts"], Q1).total
        totals.add((total.count, total.base, total.people))
    assert len(totals) == 1
