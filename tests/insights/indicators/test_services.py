"""The indicators of the theme 'services offered', on a hand-made municipality.

The world (`world` fixture), period Q1 2026 (1 January – 31 March), reference day 15 May 2026:

- A: plan v1 agreed and signed, revised into v2 (agreed and signed by both, so v2 is in force).
  v2 copies v1's three instruments — courses from 1 Jan (first day: counts), support from 31 Mar
  (last day: counts, through the in-house team), mediation from 31 Dec 2025 (before: no) — and
  adds an employer-side wage-cost subsidy (15 Feb) and a second course (1 Mar). Counting every
  version would count the copies twice.
- B: plan v1 agreed and signed: diagnosis (1 Feb), wage-cost subsidy (15 Jan), job coach from
  1 Apr (after the period). A draft revision v2 (not agreed) adds social activation on 2 Feb: not
  counted, it is not in force.
- C: a draft trajectory (v1 never agreed) with a course on 1 Feb: nothing in force, not counted.
- E: v1 signed with mediation on 1 Mar; v2 agreed but signed by the consultant only (so v1 stays
  in force) adds a course on 10 Feb: not counted.
- F: v1 signed with support on 1 Feb; v2 agreed and signed only after the reference day (1 Jun)
  adds a course on 20 Feb: on 15 May v2 was still being agreed, so not counted.
- D: the other municipality, a course and a wage-cost subsidy in February: never counted.

Referrals: A to Alfa (contract € 2,500, started 10 Jan) and to the in-house team Beta (no
contract: the cost of Beta's instruments on A's plan in force, € 200, started 1 Feb); B to Alfa
(started 31 Mar, last day); G (no Sol assessment, no plan) to Gamma without a contract (started
20 Feb, € 0); E to Alfa (started 31 Dec 2025, before) and declined by Beta; F to Alfa started 20
May (after the reference day); D in the other municipality.
"""

import datetime as dt

import pytest

from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.providers.models import ProviderKind
from maatpak.trajectories.models import InstrumentCluster, PlannedInstrument, ReferralStatus, Signature, SignatureParty
from tests.factories import (
    ContractFactory,
    InstrumentFactory,
    ParticipantFactory,
    PlanVersionFactory,
    ProviderFactory,
    ReferralFactory,
    SolAssessmentFactory,
    TrajectoryFactory,
    UserFactory,
)

D = dt.date
Q1 = Period(2026, 1)
TODAY = D(2026, 5, 15)


def _plan(trajectory, number, *, agreed_on, signed_by=(SignatureParty.CONSULTANT, SignatureParty.PARTICIPANT), signed_on=None):
    plan = PlanVersionFactory(trajectory=trajectory, number=number, agreed_on=agreed_on)
    for party in signed_by if agreed_on else ():
        Signature.objects.create(
            municipality=plan.municipality,
            plan=plan,
            party=party,
            signer_name="X",
            signed_on=signed_on or agreed_on,
            method="paper",
            recorded_by=plan.created_by,
        )
    return plan


def _use(plan, instrument, start, cost, provider=None):
    PlannedInstrument.objects.create(
        municipality=plan.municipality,
        plan=plan,
        instrument=instrument,
        provider=provider,
        start_date=start,
        end_date=start + dt.timedelta(days=90),
        cost_cents=cost,
    )


def _copy(old, new):
    """What plan_revise does with the instruments: copy every row into the new version."""
    for row in old.instruments.all():
        _use(new, row.instrument, row.start_date, row.cost_cents, row.provider)


@pytest.fixture
def world(municipality, other_municipality):
    m = municipality
    consultant = UserFactory(municipalities=[m])
    catalogue = {
        cluster: InstrumentFactory(municipality=m, cluster=cluster)
        for cluster in InstrumentCluster.values
        if cluster != InstrumentCluster.EMPLOYER
    }
    job_coach = InstrumentFactory(municipality=m, code="JC", name="Job coach", cluster=InstrumentCluster.EMPLOYER)
    subsidy = InstrumentFactory(municipality=m, code="LKS", name="Wage-cost subsidy", cluster=InstrumentCluster.EMPLOYER)
    alfa = ProviderFactory(municipality=m, name="Alfa", kind=ProviderKind.EXTERNAL)
    beta = ProviderFactory(municipality=m, name="Beta team", kind=ProviderKind.IN_HOUSE)
    gamma = ProviderFactory(municipality=m, name="Gamma", kind=ProviderKind.EXTERNAL)
    contract = ContractFactory(provider=alfa, price_per_trajectory_cents=2_500_00)
    people = {name: ParticipantFactory(municipality=m) for name in "ABCEFG"}
    trajectories = {name: TrajectoryFactory(participant=person, consultant=consultant) for name, person in people.items()}

    # A: v1 → v2 in force, v2 copies v1's instruments and adds two.
    a1 = _plan(trajectories["A"], 1, agreed_on=D(2025, 12, 1))
    _use(a1, catalogue[InstrumentCluster.COURSES], D(2026, 1, 1), 100_00)
    _use(a1, catalogue[InstrumentCluster.SUPPORT], D(2026, 3, 31), 200_00, provider=beta)
    _use(a1, catalogue[InstrumentCluster.MEDIATION], D(2025, 12, 31), 50_00)
    a2 = _plan(trajectories["A"], 2, agreed_on=D(2026, 2, 1))
    _copy(a1, a2)
    _use(a2, subsidy, D(2026, 2, 15), 300_00)
    _use(a2, catalogue[InstrumentCluster.COURSES], D(2026, 3, 1), 40_00)
    # B: v1 in force, a draft revision adds social activation.
    b1 = _plan(trajectories["B"], 1, agreed_on=D(2025, 12, 1))
    _use(b1, catalogue[InstrumentCluster.DIAGNOSIS], D(2026, 2, 1), 10_00)
    _use(b1, subsidy, D(2026, 1, 15), 500_00)
    _use(b1, job_coach, D(2026, 4, 1), 900_00)
    b2 = _plan(trajectories["B"], 2, agreed_on=None)
    _copy(b1, b2)
    _use(b2, catalogue[InstrumentCluster.SOCIAL_ACTIVATION], D(2026, 2, 2), 20_00)
    # C: a draft trajectory.
    _use(_plan(trajectories["C"], 1, agreed_on=None), catalogue[InstrumentCluster.COURSES], D(2026, 2, 1), 30_00)
    # E: the revision is agreed but signed by one side only.
    e1 = _plan(trajectories["E"], 1, agreed_on=D(2025, 11, 1))
    _use(e1, catalogue[InstrumentCluster.MEDIATION], D(2026, 3, 1), 70_00)
    e2 = _plan(trajectories["E"], 2, agreed_on=D(2026, 1, 20), signed_by=(SignatureParty.CONSULTANT,))
    _copy(e1, e2)
    _use(e2, catalogue[InstrumentCluster.COURSES], D(2026, 2, 10), 60_00)
    # F: the revision was agreed and signed after the reference day.
    f1 = _plan(trajectories["F"], 1, agreed_on=D(2025, 11, 1))
    _use(f1, catalogue[InstrumentCluster.SUPPORT], D(2026, 2, 1), 15_00)
    f2 = _plan(trajectories["F"], 2, agreed_on=D(2026, 6, 1))
    _copy(f1, f2)
    _use(f2, catalogue[InstrumentCluster.COURSES], D(2026, 2, 20), 80_00)
    # D: the other municipality.
    other_course = InstrumentFactory(municipality=other_municipality, cluster=InstrumentCluster.COURSES)
    other_subsidy = InstrumentFactory(municipality=other_municipality, code="LKS", cluster=InstrumentCluster.EMPLOYER)
    d = TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality))
    d1 = _plan(d, 1, agreed_on=D(2025, 12, 1))
    _use(d1, other_course, D(2026, 2, 1), 1_00)
    _use(d1, other_subsidy, D(2026, 2, 1), 1_00)

    # Referrals.
    ReferralFactory(trajectory=trajectories["A"], provider=alfa, contract=contract, status="active", started_on=D(2026, 1, 10))
    ReferralFactory(trajectory=trajectories["A"], provider=beta, status="active", started_on=D(2026, 2, 1))
    ReferralFactory(trajectory=trajectories["B"], provider=alfa, contract=contract, status="active", started_on=D(2026, 3, 31))
    ReferralFactory(trajectory=trajectories["G"], provider=gamma, status="active", started_on=D(2026, 2, 20))
    ReferralFactory(trajectory=trajectories["E"], provider=alfa, contract=contract, status="ended", started_on=D(2025, 12, 31))
    ReferralFactory(trajectory=trajectories["E"], provider=beta, status=ReferralStatus.DECLINED, responded_on=D(2026, 2, 1))
    ReferralFactory(trajectory=trajectories["F"], provider=alfa, contract=contract, status="active", started_on=D(2026, 5, 20))
    ReferralFactory(trajectory=d, provider=ProviderFactory(municipality=other_municipality), status="active", started_on=D(2026, 2, 1))

    # Sol groups: A was B1 when the first referral started (10 Jan); the A2 of 20 Jan came later.
    # B was assessed A1 on the day the referral started (on or before: counts). G has none.
    SolAssessmentFactory(participant=people["A"], group="B1", assessed_on=D(2025, 6, 1))
    SolAssessmentFactory(participant=people["A"], group="A2", assessed_on=D(2026, 1, 20))
    SolAssessmentFactory(participant=people["B"], group="A1", assessed_on=D(2026, 3, 31))
    ids = {name: person.pk for name, person in people.items()}
    return {
        "ids": ids,
        "providers": {"alfa": alfa.pk, "beta": beta.pk, "gamma": gamma.pk},
        "facts": Facts(municipality_ids=[m.pk], today=TODAY),
    }


def _evaluate(code, world, period=Q1):
    return get_indicator(code).evaluate(world["facts"], period).table


def test_instruments_started_by_cluster_counts_the_plan_in_force_once(world):
    table = _evaluate("instruments_started_by_cluster", world)
    ids = world["ids"]
    # A (v2): two courses (1 Jan, 1 Mar), support (31 Mar), wage-cost subsidy; not the mediation of 31 Dec.
    # B (v1): diagnosis, wage-cost subsidy; the job coach starts 1 Apr; the draft revision's social activation does not count.
    # E (v1): mediation; the one-side-signed revision's course does not count. F (v1): support; the revision agreed later does not.
    expected = {
        InstrumentCluster.DIAGNOSIS: (1, 10_00),
        InstrumentCluster.SOCIAL_ACTIVATION: (0, 0),
        InstrumentCluster.COURSES: (2, 100_00 + 40_00),
        InstrumentCluster.SUPPORT: (2, 200_00 + 15_00),
        InstrumentCluster.MEDIATION: (1, 70_00),
        InstrumentCluster.EMPLOYER: (2, 300_00 + 500_00),
    }
    assert [row.key for row in table.rows] == list(InstrumentCluster.values)
    assert {row.key: (row.count, row.amount) for row in table.rows} == expected
    assert table.additive
    assert (table.total.count, table.total.amount) == (8, 1235_00)
    assert table.total.people == frozenset({ids["A"], ids["B"], ids["E"], ids["F"]})
    assert next(row for row in table.rows if row.key == InstrumentCluster.COURSES).people == frozenset({ids["A"]})
    # Q2: only B's job coach (1 Apr) started; F's revision, agreed after the reference day, still does not count.
    q2 = _evaluate("instruments_started_by_cluster", world, Period(2026, 2))
    assert (q2.total.count, q2.total.amount) == (1, 900_00)


def test_people_reached_by_cluster_counts_each_person_once(world):
    table = _evaluate("people_reached_by_cluster", world)
    ids = world["ids"]
    counts = {row.key: row.count for row in table.rows}
    # A had two courses: one person. Support reached A and F; employer-side A and B.
    assert counts == {"diagnosis": 1, "social_activation": 0, "courses": 1, "support": 2, "mediation": 1, "employer": 2}
    assert next(row for row in table.rows if row.key == "support").people == frozenset({ids["A"], ids["F"]})
    # A, B, E and F: four people, although the rows add up to seven.
    assert not table.additive
    assert table.total.count == 4 and table.total.people == frozenset({ids["A"], ids["B"], ids["E"], ids["F"]})


def test_employer_instruments_started_per_catalogue_instrument(world):
    table = _evaluate("employer_instruments_started", world)
    ids = world["ids"]
    # The catalogue's two employer-side instruments, by code; the other municipality's LKS is not counted.
    assert [(row.key, row.label) for row in table.rows] == [("JC", "Job coach"), ("LKS", "Wage-cost subsidy")]
    jc, lks = table.rows
    assert (jc.count, jc.amount) == (0, 0)  # B's job coach starts 1 April
    assert (lks.count, lks.amount, lks.people) == (2, 300_00 + 500_00, frozenset({ids["A"], ids["B"]}))
    assert table.additive and (table.total.count, table.total.amount) == (2, 800_00)


def test_bought_from_providers_with_the_contract_price_or_the_instrument_cost(world):
    table = _evaluate("bought_from_providers", world)
    ids, providers = world["ids"], world["providers"]
    # By kind, then name: the external Alfa and Gamma, then the in-house Beta team.
    assert [row.key for row in table.rows] == [str(providers["alfa"]), str(providers["gamma"]), str(providers["beta"])]
    alfa, gamma, beta = table.rows
    # Alfa: A (10 Jan) and B (31 Mar) at the contract price; E started before the period, F after the reference day.
    assert (alfa.count, alfa.amount, alfa.people) == (2, 2 * 2_500_00, frozenset({ids["A"], ids["B"]}))
    # Gamma: G, no contract and no plan: nothing recorded.
    assert (gamma.count, gamma.amount) == (1, 0)
    # Beta: A, no contract: Beta's support instrument on A's plan in force (v2), once (not v1's copy too); E's was declined.
    assert (beta.count, beta.amount) == (1, 200_00)
    assert not table.additive
    assert (table.total.count, table.total.amount) == (3, 5_200_00)
    assert table.total.people == frozenset({ids["A"], ids["B"], ids["G"]})


def test_bought_for_groups_by_the_sol_group_at_the_start(world):
    table = _evaluate("bought_for_groups", world)
    ids = world["ids"]
    rows = {row.key: row for row in table.rows}
    assert list(rows) == ["A1", "A2", "A3", "B1", "B2", "B3", "unknown"]
    # A: B1 at the first start (10 Jan), both referrals' spend; B: A1 assessed that very day; G: no assessment.
    assert (rows["B1"].count, rows["B1"].amount, rows["B1"].people) == (1, 2_500_00 + 200_00, frozenset({ids["A"]}))
    assert (rows["A1"].count, rows["A1"].amount) == (1, 2_500_00)
    assert (rows["unknown"].count, rows["unknown"].amount) == (1, 0)
    assert rows["A2"].count == 0
    assert table.additive and (table.total.count, table.total.amount) == (3, 5_200_00)
    # Q4 2025: only E's referral to Alfa (31 Dec, last day), E has no Sol assessment.
    q4 = _evaluate("bought_for_groups", world, Period(2025, 4))
    assert (q4.total.count, q4.total.amount, q4.total.people) == (1, 2_500_00, frozenset({ids["E"]}))
