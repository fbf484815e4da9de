"""The 'mutual obligations' indicators on hand-made data: each expected number is worked out
from the rows the test makes (period borders, facts recorded after the reference day, another
municipality, an empty period)."""

import datetime as dt

import pytest
from django.utils import timezone

from maatpak.insights.indicators import Facts, Period, get_indicator
from maatpak.trajectories.models import (
    AgreementStatus,
    MunicipalityDefault,
    ObjectionDecision,
    Party,
    Sanction,
    SanctionInitiator,
    SanctionStatus,
    Signature,
    SignatureMethod,
    SignatureParty,
)
from tests.factories import AgreementFactory, ParticipantFactory, PlanVersionFactory, SanctionFactory, TrajectoryFactory

D = dt.date
Q2 = Period(2026, 2)  # 1 April – 30 June 2026
TODAY = D(2026, 8, 15)

pytestmark = pytest.mark.django_db


def evaluate(code, municipality, period=Q2, today=TODAY):
    return get_indicator(code).evaluate(Facts(municipality_ids=[municipality.pk], today=today), period).table


def version(trajectory, number, *, agreed_on, signed=False):
    plan = PlanVersionFactory(trajectory=trajectory, number=number, agreed_on=agreed_on)
    if signed:
        for party in SignatureParty.values:
            Signature.objects.create(
                municipality=trajectory.municipality,
                plan=plan,
                party=party,
                signer_name="Sam Jansen",
                signed_on=agreed_on,
                method=SignatureMethod.PAPER,
                recorded_by=plan.created_by,
            )
    return plan


def agreement(plan, party, deadline, status=AgreementStatus.OPEN, changed_on=None):
    return AgreementFactory(plan=plan, party=party, deadline=deadline, status=status, status_changed_on=changed_on)


def test_agreements_kept_by_party_count_each_agreement_of_the_plan_in_force_once(municipality, other_municipality):
    kept, broken, cancelled = AgreementStatus.KEPT, AgreementStatus.BROKEN, AgreementStatus.CANCELLED
    participant, municipal = Party.PARTICIPANT, Party.MUNICIPALITY
    # One: version 1, then a revision (version 2) signed by both, which copied version 1's
    # agreements. Only version 2 is in force: its copies count, the originals do not.
    one = TrajectoryFactory(participant=ParticipantFactory(municipality=municipality))
    v1 = version(one, 1, agreed_on=D(2026, 1, 10), signed=True)
    agreement(v1, participant, D(2026, 4, 1), kept)
    agreement(v1, municipal, D(2026, 6, 30))
    v2 = version(one, 2, agreed_on=D(2026, 3, 1), signed=True)
    agreement(v2, participant, D(2026, 4, 1), kept)  # the copy, first day of Q2: due and kept
    agreement(v2, municipal, D(2026, 6, 30), broken)  # the copy, last day: due, not kept
    agreement(v2, participant, D(2026, 5, 5), cancelled)  # cancelled: not due
    agreement(v2, participant, D(2026, 7, 1), kept)  # after the period
    agreement(v2, participant, D(2026, 3, 31), kept)  # before the period
    agreement(v2, participant, D(2026, 5, 20), kept, changed_on=D(2026, 9, 1))  # kept only after the reference day: due, open
    # Two: version 1 signed, a revision still being written (not agreed): version 1 is in force.
    two = TrajectoryFactory(participant=ParticipantFactory(municipality=municipality))
    agreement(version(two, 1, agreed_on=D(2026, 1, 5), signed=True), municipal, D(2026, 5, 1), kept)  # due and kept
    draft = version(two, 2, agreed_on=None)
    agreement(draft, municipal, D(2026, 5, 1), kept)
    agreement(draft, municipal, D(2026, 5, 2), kept)
    # Three: version 1 signed, version 2 agreed but not signed by both yet: version 1 is in force.
    three = TrajectoryFactory(participant=ParticipantFactory(municipality=municipality))
    agreement(version(three, 1, agreed_on=D(2026, 1, 5), signed=True), participant, D(2026, 4, 15), kept)  # due and kept
    agreement(version(three, 2, agreed_on=D(2026, 4, 10)), participant, D(2026, 4, 15), broken)
    # Four: a plan never agreed binds nobody.
    agreement(
        version(TrajectoryFactory(participant=ParticipantFactory(municipality=municipality)), 1, agreed_on=None),
        participant,
        D(2026, 5, 1),
        kept,
    )
    # Another municipality.
    elsewhere = TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality))
    agreement(version(elsewhere, 1, agreed_on=D(2026, 1, 5), signed=True), participant, D(2026, 5, 1), kept)

    table = evaluate("agreements_kept_by_party", municipality)
    rows = {row.key: (row.count, row.base) for row in table.rows}
    # Participant: one's copy of 1 April (kept), one's 20 May (open on the reference day),
    # three's 15 April of version 1 (kept). Municipality: one's 30 June (broken), two's 1 May (kept).
    assert rows == {Party.PARTICIPANT: (2, 3), Party.MUNICIPALITY: (1, 2)}
    assert (table.total.count, table.total.base) == (3, 5) and table.additive
    assert table.total.people == {one.participant_id, two.participant_id, three.participant_id}
    # From 1 September the 20 May agreement is known as kept.
    assert evaluate("agreements_kept_by_party", municipality, today=D(2026, 9, 1)).total.count == 4
    assert [(row.count, row.base) for row in evaluate("agreements_kept_by_party", municipality, period=Period(2025, 1)).rows] == [
        (0, 0),
        (0, 0),
    ]


def test_a_revision_agreed_after_the_reference_day_leaves_the_earlier_version_in_force(municipality):
    # Version 1 agreed and signed in January; version 2 agreed and signed on 1 September. On
    # 15 August (the reference day) version 2 did not exist yet: version 1 was in force and its
    # agreement of 1 May was due in Q2 (the same rule as the instruments: services.plans_in_force).
    trajectory = TrajectoryFactory(participant=ParticipantFactory(municipality=municipality))
    agreement(version(trajectory, 1, agreed_on=D(2026, 1, 10), signed=True), Party.PARTICIPANT, D(2026, 5, 1), AgreementStatus.KEPT)
    agreement(version(trajectory, 2, agreed_on=D(2026, 9, 1), signed=True), Party.PARTICIPANT, D(2026, 5, 1), AgreementStatus.KEPT)
    then = evaluate("agreements_kept_by_party", municipality).total
    assert (then.count, then.base) == (1, 1)
    # From 1 September version 2 is in force: its copy counts, still once.
    later = evaluate("agreements_kept_by_party", municipality, today=D(2026, 9, 2)).total
    assert (later.count, later.base) == (1, 1)


def test_municipality_defaults_by_where_they_stand(municipality, other_municipality):
    promise = AgreementFactory(
        plan=PlanVersionFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=municipality))),
        party=Party.MUNICIPALITY,
    )

    def default(recorded_on, answered_on=None, resolved_on=None, on=promise):
        return MunicipalityDefault.objects.create(
            municipality=on.municipality,
            participant=on.plan.trajectory.participant,
            trajectory=on.plan.trajectory,
            agreement=on,
            description="Het beloofde gesprek over kinderopvang kwam er niet.",
            recorded_on=recorded_on,
            answered_on=answered_on,
            resolved_on=resolved_on,
            recorded_by=on.plan.created_by,
        )

    default(D(2026, 4, 1), resolved_on=D(2026, 5, 1))  # first day; put right
    default(D(2026, 6, 30), answered_on=D(2026, 7, 1))  # last day; answered after the period, before the reference day
    default(D(2026, 5, 5), answered_on=D(2026, 5, 6), resolved_on=D(2026, 9, 1))  # put right only after the reference day: answered
    default(D(2026, 5, 6))  # open
    default(D(2026, 5, 10), answered_on=D(2026, 9, 10))  # answered after the reference day: open
    default(D(2026, 7, 1), resolved_on=D(2026, 7, 2))  # after the period
    default(D(2026, 3, 31))  # before the period
    elsewhere = AgreementFactory(
        plan=PlanVersionFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality))),
        party=Party.MUNICIPALITY,
    )
    default(D(2026, 5, 1), on=elsewhere)

    table = evaluate("municipality_defaults", municipality)
    assert [(row.key, row.count) for row in table.rows] == [("resolved", 1), ("answered", 2), ("open", 2)]
    assert table.total.count == 5 and table.additive
    assert table.total.people == {promise.plan.trajectory.participant_id}
    # On 15 May: the 30 June default is not recorded yet and the 5 May one is only answered.
    assert [row.count for row in evaluate("municipality_defaults", municipality, today=D(2026, 5, 15)).rows] == [1, 1, 2]
    assert evaluate("municipality_defaults", municipality, period=Period(2025, 1)).total.count == 0


@pytest.fixture
def sanctions(municipality, other_municipality):
    promise = AgreementFactory(
        plan=PlanVersionFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=municipality)))
    )
    provider, consultant = SanctionInitiator.PROVIDER, SanctionInitiator.CONSULTANT

    def sanction(hearing_on, status=SanctionStatus.PROPOSED, initiated_by=consultant, on=promise, **steps):
        return SanctionFactory(agreement=on, hearing_on=hearing_on, status=status, initiated_by=initiated_by, **steps)

    # Recorded today (the test's real date, later than every hearing below), so each is proposed
    # on its planned hearing date (trajectories.services.sanction_proposed_on).
    sanction(D(2026, 4, 1), SanctionStatus.IMPOSED, provider, decided_on=D(2026, 4, 20))  # imposed
    sanction(D(2026, 6, 30), SanctionStatus.WITHDRAWN, decided_on=D(2026, 7, 5))  # withdrawn after the hearing
    upheld = {"objection_decision": ObjectionDecision.UPHELD}
    sanction(D(2026, 5, 1), SanctionStatus.REVOKED, provider, decided_on=D(2026, 5, 10), objection_decided_on=D(2026, 6, 20), **upheld)
    rejected = {"objection_decision": ObjectionDecision.REJECTED, "objection_decided_on": D(2026, 6, 1)}
    sanction(D(2026, 5, 2), SanctionStatus.IMPOSED, decided_on=D(2026, 5, 3), **rejected)  # objection rejected: imposed
    sanction(D(2026, 5, 3), initiated_by=provider)  # hearing pending: open
    sanction(D(2026, 5, 4), SanctionStatus.IMPOSED, decided_on=D(2026, 9, 1))  # decided after the reference day: open
    sanction(D(2026, 5, 5), SanctionStatus.REVOKED, decided_on=D(2026, 5, 6), objection_decided_on=D(2026, 9, 2), **upheld)  # imposed then
    sanction(D(2026, 7, 1), initiated_by=provider)  # after the period
    sanction(D(2026, 3, 31))  # before the period
    early = sanction(D(2026, 4, 5), initiated_by=provider)  # recorded on 20 March, heard in April: proposed in Q1
    Sanction.objects.filter(pk=early.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 3, 20, 12)))
    sanction(D(2026, 8, 20))  # proposed after the reference day
    elsewhere = AgreementFactory(
        plan=PlanVersionFactory(trajectory=TrajectoryFactory(participant=ParticipantFactory(municipality=other_municipality)))
    )
    sanction(D(2026, 5, 1), SanctionStatus.IMPOSED, provider, on=elsewhere, decided_on=D(2026, 5, 2))
    return promise


def test_sanctions_by_where_they_stand(municipality, sanctions):
    table = evaluate("sanctions", municipality)
    # Imposed: 1 April, 2 May (objection rejected), 5 May (revoked only after the reference day).
    # Withdrawn: 30 June (after the hearing), 1 May (objection upheld). Open: 3 May, 4 May.
    assert [(row.key, row.count) for row in table.rows] == [("imposed", 3), ("withdrawn", 2), ("open", 2)]
    assert table.total.count == 7 and table.additive
    assert table.total.people == {sanctions.plan.trajectory.participant_id}
    # Q1: 31 March and the one recorded on 20 March; the one proposed on 20 August is not known
    # on the reference day, not even in Q3.
    assert evaluate("sanctions", municipality, period=Period(2026, 1)).total.count == 2
    assert evaluate("sanctions", municipality, period=Period(2026, 3)).total.count == 1  # only 1 July
    assert evaluate("sanctions", municipality, period=Period(2025, 1)).total.count == 0


def test_sanctions_on_provider_word(municipality, sanctions):
    table = evaluate("sanctions_on_provider_word", municipality)
    # Of the seven proposed in Q2, those of 1 April, 1 May and 3 May started on a provider's signal.
    assert (table.total.count, table.total.base) == (3, 7)
    q1 = evaluate("sanctions_on_provider_word", municipality, period=Period(2026, 1)).total
    assert (q1.count, q1.base) == (1, 2)  # the one recorded on 20 March came from a provider
    empty = evaluate("sanctions_on_provider_word", municipality, period=Period(2025, 1)).total
    assert (empty.count, empty.base, empty.share) == (0, 0, None)
