"""A municipality whose history was entered only through the services a person uses (issue 13,
must-show 2): intake, plan, signatures, referral, reports, goal confirmations, placements and
their follow-up checks, benefit ends, ladder assessments, sanctions, closing — no demo generator,
no factory and no ORM `.create()` for any of these rows.

Reference data comes from where a new municipality gets it: `municipality_setup` (ladder and
instrument catalogue) and, standing in for the admin screens, factories for accounts, providers,
a contract and an employer.

The services check "today" (a date cannot be in the future, a referral is proposed today, a check
is recorded on or after its due day), so the history is played as it happened: every step is an
event on its own day, the events of everybody run in date order, and `django.utils.timezone.now`
(which `timezone.localdate()` and every `auto_now` read) shows that day while the step runs.

Every trajectory is described by a `Spec` first; the tests derive the figures they expect from the
specs, independently of the analysis code.
"""

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from dateutil.relativedelta import relativedelta
from django.test import override_settings
from django.utils import timezone

from maatpak.accounts.roles import Role
from maatpak.employers.models import FOLLOW_UP_MONTHS, PlacementEndReason, PlacementFollowUp, PlacementKind
from maatpak.employers.services import follow_up_record, placement_end, placement_record
from maatpak.participants import ladder_flow
from maatpak.participants.intake import participant_register
from maatpak.participants.models import BenefitEndReason, BenefitType, Domain, EducationLevel, Participant, Sex, SolGroup
from maatpak.participants.services import benefit_end, ladder_assessment_add
from maatpak.providers.models import ProviderKind
from maatpak.trajectories import referrals, services
from maatpak.trajectories.goals import goal_status_confirm
from maatpak.trajectories.models import (
    Agreement,
    Attendance,
    GoalKind,
    GoalProgressLevel,
    GoalStatus,
    HandoverChannel,
    Instrument,
    IntermediateGoalKind,
    ObjectionDecision,
    Outcome,
    Party,
    Referral,
    Sanction,
    SanctionInitiator,
    SignatureMethod,
    SignatureParty,
    Trajectory,
)
from maatpak.trajectories.policies import HIDDEN_GOAL_KINDS
from maatpak.trajectories.reference_setup import municipality_setup
from tests.factories import ContractFactory, EmployerFactory, ProviderFactory, TeamFactory, UserFactory, valid_bsn

PEOPLE = 48
GOAL_KINDS = list(IntermediateGoalKind)
# Instruments from the standard catalogue: job-application training (the treatment compared),
# debt support (with it: the integral approach) and the in-house team's diagnosis.
TREATMENT, DEBT_SUPPORT, DIAGNOSIS = "SOLL", "SHV", "DIAG"
EXTERNAL, IN_HOUSE = "Werkfit Extern BV", "Team Werk (eigen dienst)"
CONTRACT_PRICE_CENTS = 2_500_00
STILL_RUNNING = frozenset({45, 46, 47})  # never closed: their referrals still run today
REPEATER = 3  # closes, then starts a second trajectory (a repeat, with its reason)
# The life of each sanction: every step the consultant records, in order.
SANCTIONS = {
    2: ("hearing", "impose"),
    6: ("hearing", "withdraw"),
    10: ("hearing", "impose", "objection", "upheld"),
    14: (),  # proposed only: the hearing is still to come
    18: ("hearing", "impose", "objection", "rejected"),
    22: ("hearing", "impose"),
    27: ("hearing", "impose"),
    31: ("hearing", "impose"),
}
# What becomes of a job, in turn: still there at every check; ended at 2 months (found at the
# 3-month check); ended at 9 months after a good 6-month check; 6-month check due but not recorded.
JOB_FATES = ("lasting", "short", "ended_after_6", "pending")
# A proposed level per intended status (an OPEN goal got a proposal nobody confirmed).
PROPOSAL = {
    GoalStatus.REACHED: GoalProgressLevel.REACHED,
    GoalStatus.PARTLY_REACHED: GoalProgressLevel.SOME,
    GoalStatus.NOT_REACHED: GoalProgressLevel.NONE,
    GoalStatus.OPEN: GoalProgressLevel.SOME,
}


@dataclass
class Spec:
    """One trajectory as it is meant to happen; the builder makes it happen through services."""

    index: int
    person: int  # the participant (a repeat trajectory shares its person with the first)
    start: dt.date  # both signed on this day: the trajectory's start
    instruments: tuple = ()  # catalogue codes in the plan
    provider: str | None = None  # referred to
    goals: tuple = ()  # ((kind, confirmed status), ...)
    work_after_months: int | None = None  # paid work starting this many months after the start
    work_kind: str = PlacementKind.REGULAR
    job_fate: str = ""  # lasting | short | ended_after_6 | pending
    benefit_end: tuple | None = None  # (months after the start, Divosa reason)
    ladder_up: bool | None = None  # a later assessment at 6 months: higher (True), the same (False), none (None)
    sanction: tuple | None = None  # steps after the proposal (SANCTIONS)
    closes_after_months: int | None = 12
    end_report: bool = True  # the provider sends its end report when the referral ends
    late_report: bool = False  # the progress report arrives after its due day
    complete_report: bool = True  # participant's view, barriers and "saw the report" filled in
    repeat: bool = False

    @property
    def work_start(self) -> dt.date | None:
        return None if self.work_after_months is None else self.start + relativedelta(months=self.work_after_months)

    @property
    def referral_start(self) -> dt.date:
        return self.start + dt.timedelta(days=14)

    @property
    def referral_end(self) -> dt.date | None:
        """The day the referral ended: with the provider's end report at 6 months, else with the closing."""
        if self.provider is None or self.index in STILL_RUNNING:
            return None
        if self.end_report:
            return self.start + relativedelta(months=6)
        return self.start + relativedelta(months=self.closes_after_months)


def _statuses(i: int) -> tuple:
    first = {0: GoalStatus.REACHED, 1: GoalStatus.REACHED, 2: GoalStatus.REACHED, 3: GoalStatus.PARTLY_REACHED}.get(
        i % 6, GoalStatus.NOT_REACHED if i % 6 == 4 else GoalStatus.OPEN
    )
    second = {0: GoalStatus.PARTLY_REACHED, 4: GoalStatus.NOT_REACHED}.get(i % 6, GoalStatus.OPEN)
    return first, second


def specs(today: dt.date) -> list[Spec]:
    """48 people and one repeat trajectory, all started 34–39 months ago (the repeat 21 months
    ago). Half get job-application training with the external provider (the treated group; every
    eighth also debt support: the integral approach), a quarter the in-house team's diagnosis, a
    quarter no instrument and no referral. Work, goals, benefits, ladder and sanctions vary apart
    from the group, so treatment and comparison groups both hold every outcome."""
    rows = []
    workers = 0
    for i in range(PEOPLE):
        group = i % 4
        treated = group in (0, 1)
        instruments = ((TREATMENT, DEBT_SUPPORT) if i % 8 == 0 else (TREATMENT,)) if treated else ((DIAGNOSIS,) if group == 2 else ())
        worker = (treated and i % 3 != 2) or (not treated and i % 5 == 0)
        first, second = _statuses(i)
        spec = Spec(
            index=i,
            person=i,
            start=today - relativedelta(months=34) - dt.timedelta(days=3 * i),
            instruments=instruments,
            provider=EXTERNAL if treated else (IN_HOUSE if group == 2 else None),
            goals=((GOAL_KINDS[i % 8], first), (GOAL_KINDS[(i + 3) % 8], second)),
            work_after_months=(2, 5, 8, 14)[(i // 4) % 4] if worker else None,
            work_kind=PlacementKind.SELF_EMPLOYMENT if i == 15 else (PlacementKind.SUBSIDISED if i % 7 == 0 else PlacementKind.REGULAR),
            job_fate=JOB_FATES[workers % len(JOB_FATES)] if worker else "",
            ladder_up={0: True, 1: False}.get(i % 3),
            sanction=SANCTIONS.get(i),
            closes_after_months=None if i in STILL_RUNNING else 12,
            end_report=i % 8 != 5,
            late_report=i % 3 == 0,
            complete_report=i % 5 != 1,
        )
        workers += worker
        if has_benefit(spec):
            if worker:
                reason = BenefitEndReason.SELF_EMPLOYMENT if spec.work_kind == PlacementKind.SELF_EMPLOYMENT else BenefitEndReason.WORK
                spec.benefit_end = (spec.work_after_months + 1, reason)
            elif i % 7 == 3:
                spec.benefit_end = (5, BenefitEndReason.PARTNER_INCOME)
            elif i % 9 == 5:
                spec.benefit_end = (20, BenefitEndReason.EDUCATION)
        rows.append(spec)
    first = rows[REPEATER]
    rows.append(
        Spec(
            index=PEOPLE,
            person=REPEATER,
            start=first.start + relativedelta(months=13) + dt.timedelta(days=7),
            instruments=(DIAGNOSIS,),
            provider=IN_HOUSE,
            goals=((IntermediateGoalKind.OTHER, GoalStatus.REACHED), (IntermediateGoalKind.FINANCES, GoalStatus.OPEN)),
            closes_after_months=8,
            repeat=True,
        )
    )
    return rows


def has_benefit(spec: Spec) -> bool:
    """Everybody had a benefit at intake but four people."""
    return spec.person % 12 != 11


def benefit_started_on(spec: Spec) -> dt.date:
    """The benefit registered at intake began this long before the (first) trajectory's start."""
    return spec.start - relativedelta(months=3 + (spec.person * 7) % 37)


def rung_at_intake(person: int) -> int:
    return 2 if person % 2 == 0 else 3


# Ladder answers that lead to a rung (participants.ladder_flow), today and within a year.
LADDER_TODAY = {
    2: {
        ladder_flow.PAID_WORK: False,
        ladder_flow.UNPAID_WORK: False,
        ladder_flow.ORGANISED_ACTIVITY: False,
        ladder_flow.SOCIAL_CONTACT: True,
    },
    3: {ladder_flow.PAID_WORK: False, ladder_flow.UNPAID_WORK: False, ladder_flow.ORGANISED_ACTIVITY: True},
}
LADDER_WITHIN_REACH = {ladder_flow.PAID_WORK: True, ladder_flow.WITHOUT_SUPPORT: False}  # rung 5


def domain_scores(person: int) -> dict:
    """Barriers (score 3 or lower) spread over the people, unrelated to the groups."""
    return {
        Domain.HEALTH_MENTAL: 2 if person % 3 == 0 else 4,
        Domain.INCOME_DEBTS: 2 if person % 5 == 0 else 4,
        Domain.HOUSING: 3 if person % 7 == 0 else 5,
        Domain.LANGUAGE: 2 if person % 6 == 1 else 5,
        Domain.HEALTH_PHYSICAL: 3 if person % 5 == 2 else 4,
        Domain.CARING_DUTIES: 2 if person % 9 == 4 else 4,
        Domain.WORK: 3,
    }


SOL_GROUPS = (SolGroup.A2, SolGroup.B1, SolGroup.A3, SolGroup.B2, SolGroup.A1)


@contextmanager
def clock():
    """Yield `set_day(day)`: from then on `timezone.now()` (so `localdate()`, `auto_now`, the
    audit log) is noon on that day, until the context ends."""
    state = {"day": timezone.localdate()}

    def now():
        return dt.datetime.combine(state["day"], dt.time(11), tzinfo=dt.UTC)

    def set_day(day: dt.date) -> None:
        state["day"] = day

    with mock.patch("django.utils.timezone.now", new=now):
        yield set_day


@dataclass
class World:
    municipality: object
    policy_officer: object
    specs: list
    trajectories: dict = field(default_factory=dict)  # spec index -> Trajectory pk


class _Builder:
    """Turns the specs into events (day, step) and runs them in date order under the clock."""

    def __init__(self, today: dt.date):
        self.today = today
        setup = municipality_setup(code="GM9913", name="Dienstdorp")
        self.municipality = setup.municipality
        self.catalogue = {i.code: i for i in Instrument.objects.filter(municipality=self.municipality)}
        team = TeamFactory(municipality=self.municipality, name="Team Zuid")
        self.consultants = [
            UserFactory(role=Role.CONSULTANT, municipalities=[self.municipality], team=team, username=f"sw-consultant-{n}") for n in (1, 2)
        ]
        self.policy_officer = UserFactory(role=Role.POLICY_OFFICER, municipalities=[self.municipality], username="sw-policy")
        external = ProviderFactory(municipality=self.municipality, name=EXTERNAL, kind=ProviderKind.EXTERNAL)
        in_house = ProviderFactory(municipality=self.municipality, name=IN_HOUSE, kind=ProviderKind.IN_HOUSE)
        self.providers = {EXTERNAL: external, IN_HOUSE: in_house}
        self.contract = ContractFactory(
            provider=external,
            reference="SW-2023-01",
            start_date=today - relativedelta(years=5),
            end_date=today + relativedelta(years=1),
            price_per_trajectory_cents=CONTRACT_PRICE_CENTS,
            placement_target_percent=30,
            bonus_per_placement_cents=500_00,
            malus_per_placement_cents=250_00,
        )
        self.staff = {
            name: UserFactory(role=Role.PROVIDER_STAFF, municipalities=[self.municipality], provider=p, username=f"sw-staff-{p.kind}")
            for name, p in self.providers.items()
        }
        self.employer = EmployerFactory(municipality=self.municipality, name="Groen en Zo BV")
        self.events: list[tuple[dt.date, int, Callable]] = []
        self.state: dict = {}  # per spec index: what earlier steps made (participant, trajectory, goals, referral, ...)

    def at(self, day: dt.date, step: Callable) -> None:
        assert day <= self.today, f"{step.__name__} planned in the future ({day})"
        self.events.append((day, len(self.events), step))

    def run(self) -> None:
        with clock() as set_day:
            for day, _seq, step in sorted(self.events, key=lambda e: (e[0], e[1])):
                set_day(day)
                step()

    # --- the steps of one trajectory, in the order a consultant and a provider take them ---

    def consultant_of(self, spec: Spec):
        return self.consultants[spec.person % 2]

    def plan(self, spec: Spec) -> None:
        intake_day = spec.start - dt.timedelta(days=21)
        s = self.state.setdefault(spec.index, {})
        km = self.consultant_of(spec)
        if not spec.repeat:
            self.at(intake_day, lambda: self._register(spec, s, km))
        else:
            self.at(intake_day, lambda: s.update(participant=self.state[spec.person]["participant"]))
        self.at(intake_day, lambda: self._draft(spec, s, km))
        self.at(spec.start, lambda: self._sign(spec, s, km))

    def _register(self, spec, s, km):
        p = spec.person
        s["participant"] = participant_register(
            actor=km,
            bsn=valid_bsn(9_000 + p),
            reference=f"SW-{p:04d}",
            first_name="Deelnemer",
            last_name=f"Nummer {p}",
            birth_date=dt.date(1965 + (p * 7) % 35, 1 + p % 12, 1 + p % 28),
            sex=Sex.FEMALE if p % 2 == 0 else Sex.MALE,
            education_level=EducationLevel.NONE if p % 3 == 0 else EducationLevel.UPPER_SECONDARY,
            postal_code="9201 AB",
            city="Dienstdorp",
            benefit_type=BenefitType.PARTICIPATIEWET if has_benefit(spec) else "",
            benefit_start=benefit_started_on(spec) if has_benefit(spec) else None,
            benefit_amount_cents=1_200_00 + p * 1_000 if has_benefit(spec) else None,
            domain_scores=domain_scores(p),
            ladder_answers={ladder_flow.CURRENT: LADDER_TODAY[rung_at_intake(p)], ladder_flow.POTENTIAL: LADDER_WITHIN_REACH},
            sol_group=SOL_GROUPS[p % len(SOL_GROUPS)],
        )

    def _draft(self, spec, s, km):
        participant = s["participant"]
        if spec.repeat:
            trajectory = services.trajectory_create(
                actor=km,
                participant=participant,
                repeat_reason="Na het vorige traject is er nu kinderopvang geregeld; daarom opnieuw, met diagnose.",
                read_previous_conclusion=True,
            )
        else:
            trajectory = services.trajectory_create(actor=km, participant=participant)
        services.plan_save_draft(
            actor=km,
            trajectory=trajectory,
            expected_version=trajectory.version,
            end_goal_kind=GoalKind.REGULAR_WORK,
            end_goal="Betaald werk in de regio",
            situation="",
            planned_start=spec.start,
            planned_end=spec.start + relativedelta(months=12),
            fallback_if_no_job="Vrijwilligerswerk met begeleiding",
            education_plan="",
            mentor="",
        )
        goals = [
            services.goal_add(
                actor=km,
                trajectory=trajectory,
                kind=kind,
                description=f"Tussendoel {kind}",
                measure="Besproken in het voortgangsgesprek",
                target_date=spec.start + relativedelta(months=6),
            )
            for kind, _status in spec.goals
        ]
        services.idea_add(actor=km, trajectory=trajectory, idea="Ik wil buiten werken", supported=True, response="Dat nemen we mee.")
        provider = self.providers.get(spec.provider)
        for n, code in enumerate(spec.instruments):
            services.instrument_add(
                actor=km,
                trajectory=trajectory,
                instrument=self.catalogue[code],
                start_date=spec.referral_start,
                end_date=spec.start + relativedelta(months=6),
                provider=provider,
                # The first instrument serves the first goal; debt support serves the debts barrier.
                serves_goal=goals[0] if n == 0 else None,
                serves_barrier=Domain.INCOME_DEBTS if n > 0 else "",
            )
        for party, text in ((Party.PARTICIPANT, "Ik kom naar elke afspraak"), (Party.MUNICIPALITY, "De gemeente betaalt de reiskosten")):
            services.agreement_add(
                actor=km, trajectory=trajectory, party=party, description=text, deadline=spec.start + relativedelta(months=6)
            )
        trajectory.refresh_from_db()
        services.plan_agree(actor=km, trajectory=trajectory, expected_version=trajectory.version)
        s.update(trajectory_id=trajectory.pk, goals=[g.pk for g in goals])

    def trajectory(self, s) -> Trajectory:
        return Trajectory.objects.get(pk=s["trajectory_id"])

    def _sign(self, spec, s, km):
        plan = self.trajectory(s).latest_plan()
        services.plan_sign(
            actor=km, plan=plan, party=SignatureParty.CONSULTANT, method=SignatureMethod.IN_PERSON, signed_on=spec.start, signer_name="KM"
        )
        services.plan_sign(
            actor=km,
            plan=plan,
            party=SignatureParty.PARTICIPANT,
            method=SignatureMethod.PAPER,
            signed_on=spec.start,
            signer_name="Deelnemer",
        )
        services.plan_handover_record(actor=km, plan=plan, channel=HandoverChannel.PAPER, handed_over_on=spec.start)

    def referral(self, spec: Spec) -> None:
        if spec.provider is None:
            return
        s, km, staff = self.state[spec.index], self.consultant_of(spec), self.staff[spec.provider]

        def ref():
            return Referral.objects.get(pk=s["referral_id"])

        def propose():
            contract = self.contract if spec.provider == EXTERNAL else None
            r = referrals.referral_propose(
                actor=km,
                trajectory=self.trajectory(s),
                provider=self.providers[spec.provider],
                contract=contract,
                shared_information="Plan",
            )
            s["referral_id"] = r.pk

        self.at(spec.start, propose)
        self.at(
            spec.start + dt.timedelta(days=3),
            lambda: referrals.referral_accept(actor=staff, referral=ref(), expected_version=ref().version),
        )
        intake_on, started_on = spec.start + dt.timedelta(days=10), spec.referral_start
        self.at(
            intake_on,
            lambda: referrals.referral_record_intake(actor=staff, referral=ref(), intake_on=intake_on, expected_version=ref().version),
        )
        self.at(
            started_on, lambda: referrals.referral_start(actor=staff, referral=ref(), started_on=started_on, expected_version=ref().version)
        )
        # Due 42 days after the start (the contract's rhythm): on time at day 50, late at day 63.
        report_day = spec.start + dt.timedelta(days=63 if spec.late_report else 50)
        self.at(report_day, lambda: self._progress_report(spec, s, staff, ref()))
        if spec.end_report and spec.index not in STILL_RUNNING:
            ended_on = spec.referral_end
            self.at(
                ended_on,
                lambda: referrals.end_report_submit(
                    actor=staff,
                    referral=ref(),
                    conclusion="Het traject bij ons is afgerond.",
                    outcome=Outcome.NONE,
                    recommendation="Blijven begeleiden",
                    ended_on=ended_on,
                    expected_version=ref().version,
                ),
            )

    def _progress_report(self, spec, s, staff, referral):
        intended = dict(zip(s["goals"], (status for _kind, status in spec.goals), strict=True))
        kinds = dict(zip(s["goals"], (kind for kind, _status in spec.goals), strict=True))
        report = referrals.progress_report_submit(
            actor=staff,
            referral=referral,
            activities="Trainingen gevolgd",
            attendance=Attendance.GOOD,
            next_steps="Verder solliciteren",
            goal_progress={pk: PROPOSAL[intended[pk]] for pk in s["goals"] if kinds[pk] not in HIDDEN_GOAL_KINDS},
            barriers="Geen" if spec.complete_report else "",
            participant_view="Het gaat goed" if spec.complete_report else "",
            participant_saw_report=spec.complete_report,
        )
        s["proposals"] = {gp.goal_id: gp for gp in report.goal_progress.all()}

    def goals(self, spec: Spec) -> None:
        """The consultant confirms (or corrects) each goal's status, from the provider's proposal
        where there is one; a goal meant to stay open is left as the proposal found it."""
        s, km = self.state[spec.index], self.consultant_of(spec)
        on = spec.start + dt.timedelta(days=70)

        def confirm():
            trajectory = self.trajectory(s)
            goals = {g.pk: g for g in trajectory.plan_in_force().goals.all()}
            for pk, (_kind, status) in zip(s["goals"], spec.goals, strict=True):
                if status == GoalStatus.OPEN:
                    continue
                proposal = s.get("proposals", {}).get(pk)
                goal_status_confirm(actor=km, goal=goals[pk], status=status, status_on=on - dt.timedelta(days=5), from_progress=proposal)

        self.at(on, confirm)

    def work(self, spec: Spec) -> None:
        if spec.work_start is None:
            return
        s, km, begin = self.state[spec.index], self.consultant_of(spec), spec.work_start

        def record():
            placement = placement_record(
                actor=km,
                participant=s["participant"],
                kind=spec.work_kind,
                start_date=begin,
                employer=None if spec.work_kind == PlacementKind.SELF_EMPLOYMENT else self.employer,
                trajectory=self.trajectory(s),
                hours_per_week=24,
            )
            s["placement"] = placement

        self.at(begin, record)
        checked = {"lasting": FOLLOW_UP_MONTHS, "short": (1, 3), "ended_after_6": (1, 3, 6), "pending": (1, 3)}[spec.job_fate]
        for months in checked:
            due = begin + relativedelta(months=months)
            if due > self.today:
                continue  # not due yet: stays open
            still = not (spec.job_fate == "short" and months == 3)
            self.at(due, lambda months=months, still=still, due=due: self._check(s, km, months, still, due, begin))
        if spec.job_fate == "ended_after_6":
            end = begin + relativedelta(months=9)
            self.at(
                end,
                lambda: placement_end(actor=km, placement=s["placement"], end_date=end, end_reason=PlacementEndReason.CONTRACT_ENDED),
            )

    def _check(self, s, km, months, still, due, begin):
        s["placement"].refresh_from_db()
        follow_up = PlacementFollowUp.objects.get(placement=s["placement"], months=months)
        follow_up_record(
            actor=km,
            follow_up=follow_up,
            checked_on=due,
            still_working=still,
            hours_per_week=24 if still else None,
            support_needed=False,
            note="Telefonisch nagevraagd",
            end_reason="" if still else PlacementEndReason.DISMISSED,
            ended_on=None if still else begin + relativedelta(months=2),
        )

    def dossier(self, spec: Spec) -> None:
        """Benefit end with its Divosa reason; a ladder assessment half a year in."""
        s, km = self.state[spec.index], self.consultant_of(spec)
        if spec.benefit_end is not None:
            months, reason = spec.benefit_end
            end = spec.start + relativedelta(months=months)

            def end_benefit():
                participant = Participant.objects.get(pk=s["participant"].pk)
                running = participant.benefits.get(end_date__isnull=True)
                benefit_end(actor=km, participant=participant, benefit_id=running.pk, end_date=end, end_reason=reason)

            self.at(end, end_benefit)
        if spec.ladder_up is not None:
            rung = rung_at_intake(spec.person) + (1 if spec.ladder_up else 0)
            on = spec.start + relativedelta(months=6)
            self.at(
                on,
                lambda: ladder_assessment_add(
                    actor=km, participant=s["participant"], rung=rung, potential_rung=5, note="Herbeoordeeld", assessed_on=on
                ),
            )

    def sanction(self, spec: Spec) -> None:
        if spec.sanction is None:
            return
        s, km = self.state[spec.index], self.consultant_of(spec)
        day = spec.start + relativedelta(months=3)

        def propose():
            trajectory = self.trajectory(s)
            agreement = Agreement.objects.get(plan=trajectory.plan_in_force(), party=Party.PARTICIPANT)
            sanction = services.sanction_record(
                actor=km,
                trajectory=trajectory,
                agreement=agreement,
                reason="Drie keer niet verschenen",
                initiated_by=SanctionInitiator.CONSULTANT,
                percentage=20,
                months=1,
                hearing_on=day + dt.timedelta(days=10),
            )
            s["sanction_id"] = sanction.pk

        def sanction():
            return Sanction.objects.get(pk=s["sanction_id"])

        steps = {
            "hearing": lambda on: services.sanction_hearing_record(actor=km, sanction=sanction(), held_on=on, notes="Gehoord"),
            "impose": lambda on: services.sanction_impose(actor=km, sanction=sanction(), decided_on=on, reason="Verwijtbaar"),
            "withdraw": lambda on: services.sanction_withdraw(actor=km, sanction=sanction(), decided_on=on, reason="Ziek geweest"),
            "objection": lambda on: services.sanction_objection_file(actor=km, sanction=sanction(), filed_on=on),
            "upheld": lambda on: services.sanction_objection_decide(
                actor=km, sanction=sanction(), decision=ObjectionDecision.UPHELD, decided_on=on, outcome="Bezwaar gegrond"
            ),
            "rejected": lambda on: services.sanction_objection_decide(
                actor=km, sanction=sanction(), decision=ObjectionDecision.REJECTED, decided_on=on, outcome="Bezwaar ongegrond"
            ),
        }
        self.at(day, propose)
        for n, step in enumerate(spec.sanction, start=1):
            on = day + dt.timedelta(days=10 * n)
            self.at(on, lambda step=step, on=on: steps[step](on))

    def close(self, spec: Spec) -> None:
        if spec.closes_after_months is None:
            return
        s, km = self.state[spec.index], self.consultant_of(spec)
        on = spec.start + relativedelta(months=spec.closes_after_months)
        worked = spec.work_start is not None and spec.work_start <= on

        def close():
            trajectory = self.trajectory(s)
            services.trajectory_close(
                actor=km,
                trajectory=trajectory,
                conclusion="Afgerond; zie eindrapportage.",
                outcome=Outcome.REGULAR_WORK if worked else Outcome.NONE,
                submitted_on=on,
                expected_version=trajectory.version,
            )

        self.at(on, close)


def build_world(*, today: dt.date | None = None) -> World:
    """Play the specs' history through the services (in the caller's transaction)."""
    today = today or timezone.localdate()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        builder = _Builder(today)
    rows = specs(today)
    for spec in rows:
        builder.plan(spec)
        builder.referral(spec)
        builder.goals(spec)
        builder.work(spec)
        builder.dossier(spec)
        builder.sanction(spec)
        builder.close(spec)
    builder.run()
    world = World(municipality=builder.municipality, policy_officer=builder.policy_officer, specs=rows)
    world.trajectories = {index: s["trajectory_id"] for index, s in builder.state.items()}
    return world
