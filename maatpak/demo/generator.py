"""The synthetic municipality "Demodorp" (GM9999): deterministic, realistic, fast.

Distributions follow shared/DOMAIN.md §3 and §7: about two thirds far from work (Sol B1–B3),
about 70 % with physical or mental health complaints (about 10 % both), debts common; providers
of every kind; trajectories with plans, agreements of both sides, referrals and reports — some
late or missing, some closed without end report, some repeats without a reason, as the seeds
describe; placements whose chances depend on distance to work, health and (mildly) the
instrument, with confounding, so the effectiveness analyses have something to find.

Everything is drawn from one `random.Random(seed)` and dated relative to the fixed `DEMO_TODAY`,
so the same seed gives the same data. Rows are written with bulk_create in batches; audit
events are not written for generated data (nobody read or changed a real dossier).
"""

import base64
import datetime as dt
import random
import time
import uuid
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatpak.accounts.models import Municipality, Team, User
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditEvent
from maatpak.core import crypto
from maatpak.demo import catalogue as cat
from maatpak.demo.models import DemoDataset
from maatpak.employers.models import FOLLOW_UP_MONTHS, Employer, Placement, PlacementEndReason, PlacementFollowUp, PlacementKind, Vacancy
from maatpak.participants.ladder import standard_ladder
from maatpak.participants.models import (
    Benefit,
    Competence,
    ConsultantAssignment,
    Contact,
    Domain,
    DomainAssessment,
    Education,
    Exemption,
    LadderAssessment,
    Participant,
    ParticipantCompetence,
    SolAssessment,
    Wish,
    WorkExperience,
)
from maatpak.providers.models import Contract, Provider
from maatpak.surveys.models import AnonymousFeedback
from maatpak.surveys.services import iso_week
from maatpak.trajectories.models import (
    Agreement,
    EndReport,
    Goal,
    GoalProgress,
    GoalStatus,
    HandoverChannel,
    Instrument,
    MunicipalityDefault,
    ObjectionDecision,
    PlanHandover,
    PlanIdea,
    PlannedInstrument,
    PlanVersion,
    ProgressReport,
    Referral,
    ReportCopy,
    Sanction,
    SanctionStatus,
    Signature,
    Trajectory,
)

DEMO_MUNICIPALITY_CODE = "GM9999"
DEMO_MUNICIPALITY_NAME = "Demodorp"
DEMO_PASSWORD = "Maatpak-demo-2026"
# Every demo staff account has an authenticator app with this secret (base32, 20 bytes), so one
# entry in a tester's app gives the code for all of them, and these recovery codes (each works
# once per account). Printed by `manage.py demo`; a real installation never shares a secret.
DEMO_TOTP_SECRET = "MAATPAKDEMODORPINLOGGENMETDECODE"
DEMO_RECOVERY_CODES = [f"demoherstel{n:02d}" for n in range(1, 11)]
DEMO_TODAY = dt.date(2026, 11, 1)
# Reports sent before this day stand for the time before Maatpak: not all reached the participant.
DEMO_COPIES_SINCE = dt.date(2025, 1, 1)

DEMO_ACCOUNTS = [
    ("klantmanager", Role.CONSULTANT, "Kim de Vries, klantmanager (Team Noord)"),
    ("klantmanager2", Role.CONSULTANT, "Bas Mulder, klantmanager (Team Noord)"),
    ("teamleider", Role.TEAM_LEAD, "Tineke Bos, teamleider Team Noord"),
    ("beleidsmedewerker", Role.POLICY_OFFICER, "Priya Ramdin, beleidsmedewerker"),
    ("aanbieder", Role.PROVIDER_STAFF, "Rik Smit, coach bij Werkfit Re-integratie"),
    ("jobcoach", Role.JOB_COACH, "Jolien Kok, werkgeversdienstverlening"),
    ("clientenraad", Role.COUNCIL_MEMBER, "Henk Postma, lid cliëntenraad"),
    ("analist", Role.ANALYST, "Anouk Visser, analist"),
    ("privacy", Role.PRIVACY_OFFICER, "Peter de Groot, functionaris gegevensbescherming"),
    ("beheerder", Role.ADMIN, "Beheerder Maatpak"),
    ("deelnemer", Role.PARTICIPANT, "Sanne Jansen, deelnemer (klantmanager: Kim de Vries)"),
]

BATCH = 2000

SOL_WEIGHTS = [("A1", 10), ("A2", 10), ("A3", 13), ("B1", 27), ("B2", 22), ("B3", 18)]
RUNG_BY_SOL = {"A1": (4, 6), "A2": (3, 5), "A3": (3, 5), "B1": (2, 4), "B2": (2, 3), "B3": (1, 2)}
GOAL_BY_SOL = {
    "A1": "regular_work",
    "A2": "regular_work",
    "A3": "regular_work",
    "B1": "regular_work",
    "B2": "subsidised_work",
    "B3": "social_participation",
}
# Base chance of paid work after a trajectory, by Sol group (gross 30–50 % near work, low far off).
# Yearly hazard of leaving the benefit for another reason than work, and those reasons.
OTHER_OUTFLOW_PER_YEAR = 0.26
OTHER_OUTFLOW_REASONS = [
    ("partner_income", 30),
    ("other_benefit", 25),
    ("education", 12),
    ("not_cooperating", 10),
    ("self_employment", 5),
    ("detention", 3),
    ("deceased", 3),
    ("other", 12),
]
WORK_CHANCE = {"A1": 0.55, "A2": 0.45, "A3": 0.40, "B1": 0.22, "B2": 0.14, "B3": 0.03}


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for value, weight in pairs:
        x -= weight
        if x <= 0:
            return value
    return pairs[-1][0]


def _valid_bsn(n: int) -> str:
    candidate = 200_000_000 + n * 100
    while True:
        digits = f"{candidate:09d}"
        if sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=False)) % 11 == 0:
            return digits
        candidate += 1


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class DemoAlreadyPresent(Exception):
    pass


def generate_demo(*, participants: int = 1500, seed: int = 2026, reset: bool = False, log=print) -> dict:
    """Create Demodorp with `participants` people. Re-running with the same arguments changes
    nothing; other arguments (or reset=True) replace the demo data in one transaction."""
    if participants < 1:
        raise ValueError("participants must be at least 1")
    started = time.monotonic()
    municipality, _ = Municipality.objects.get_or_create(code=DEMO_MUNICIPALITY_CODE, defaults={"name": DEMO_MUNICIPALITY_NAME})
    existing = DemoDataset.objects.filter(municipality=municipality).first()
    if existing and (existing.participants, existing.seed) == (participants, seed) and not reset:
        summary = demo_counts(municipality)
        summary.update(already_present=True, seconds=round(time.monotonic() - started, 1))
        log(f"Demodorp is already present ({participants} participants, seed {seed}); nothing changed.")
        return summary
    with transaction.atomic():
        if existing or Participant.objects.filter(municipality=municipality).exists():
            log("Removing the previous demo data of Demodorp …")
            demo_delete(municipality)
        _DemoBuilder(municipality, participants=participants, seed=seed, log=log).build()
        DemoDataset.objects.create(
            municipality=municipality, participants=participants, seed=seed, seconds=round(time.monotonic() - started, 1)
        )
    summary = demo_counts(municipality)
    summary.update(already_present=False, seconds=round(time.monotonic() - started, 1))
    return summary


def demo_counts(municipality) -> dict:
    return {
        "participants": Participant.objects.filter(municipality=municipality).count(),
        "trajectories": Trajectory.objects.filter(municipality=municipality).count(),
        "referrals": Referral.objects.filter(municipality=municipality).count(),
        "progress_reports": ProgressReport.objects.filter(municipality=municipality).count(),
        "end_reports": EndReport.objects.filter(municipality=municipality).count(),
        "placements": Placement.objects.filter(municipality=municipality).count(),
        "sanctions": Sanction.objects.filter(municipality=municipality).count(),
    }


def demo_delete(municipality) -> None:
    """Delete every tenant row of the municipality, children first (most FKs are PROTECT).

    Generic on purpose: models added later by any app are found through their `municipality`
    field and removed in as many passes as their dependencies need. The audit log is kept: it is
    append-only, and demo accounts that acted are retired (renamed, deactivated), never deleted.
    """
    from django.apps import apps
    from django.db.models import ProtectedError

    DemoDataset.objects.filter(municipality=municipality).delete()
    Trajectory.objects.filter(municipality=municipality).update(previous=None, closing_report=None)
    models = [
        m
        for m in apps.get_models()
        if m._meta.label not in ("audit.AuditEvent", "accounts.Team", "demo.DemoDataset")
        and any(f.name == "municipality" for f in m._meta.concrete_fields)
    ]
    users = User.objects.filter(municipalities=municipality).exclude(municipalities__in=Municipality.objects.exclude(pk=municipality.pk))
    # Accounts that acted are named by audit events and are never deleted (append-only log):
    # retired instead, so the new demo can take their user names; their events keep the old name.
    for user in users.filter(pk__in=AuditEvent.objects.values("actor_id")):
        user.username, user.is_active, user.team, user.provider = f"{user.username}.retired.{user.pk}", False, None, None
        user.save(update_fields=["username", "is_active", "team", "provider"])
        user.municipalities.clear()
    remaining = list(models)
    for _ in range(len(models) + 2):
        progressed = False
        for model in list(remaining):
            try:
                with transaction.atomic():
                    model._default_manager.filter(municipality=municipality).delete()
                remaining.remove(model)
                progressed = True
            except ProtectedError:
                continue
        if not remaining:
            break
        if not progressed:
            # Provider staff accounts protect their provider; consultants protect participants' rows.
            users.filter(role__in=[Role.PROVIDER_STAFF]).delete()
    users.delete()
    for model in remaining:
        model._default_manager.filter(municipality=municipality).delete()
    Team.objects.filter(municipality=municipality).delete()


class _DemoBuilder:
    def __init__(self, municipality, *, participants: int, seed: int, log):
        self.m = municipality
        self.n = participants
        self.rng = random.Random(seed)
        self.outflow_rng = random.Random(f"benefit-outflow-{seed}")
        # Its own stream for what issue 13 added (confirmed goal statuses, end reasons, follow-up
        # checks), so the rest of the demo stays as it was for the same seed.
        self.follow_rng = random.Random(f"follow-ups-{seed}")
        self.copy_rng = random.Random(f"report-copies-{seed}")
        self.log = log
        self.today = DEMO_TODAY
        self.password = make_password(DEMO_PASSWORD)

    # -- helpers -------------------------------------------------------------------------------
    def _bulk(self, model, rows):
        model.objects.bulk_create(rows, batch_size=BATCH)
        return rows

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + _days(self.rng.randint(0, (end - start).days))

    def _goal_status(self, status, reached, reached_on, start, ended):
        """A goal's confirmed status (seed 003: about half improve on at least one goal): of a
        closed trajectory reached, partly or not reached; of a running one mostly still open. The
        main stream's draw (`reached`, `reached_on`) is kept so the rest of the demo stays the same;
        the status itself comes from this helper's own stream."""
        rng = self.follow_rng
        last = min(self.today, ended or self.today)
        first = min(start + _days(30), last)
        if status == "closed":
            draw = rng.random()
            if draw < 0.22:
                return GoalStatus.REACHED, min(reached_on or self._date_between_with(rng, first, last), last)
            return (GoalStatus.PARTLY_REACHED if draw < 0.36 else GoalStatus.NOT_REACHED), last
        if status == "active" and start + _days(60) <= self.today and rng.random() < 0.2:
            on = self._date_between_with(rng, start + _days(60), self.today)
            return (GoalStatus.REACHED if rng.random() < 0.4 else GoalStatus.PARTLY_REACHED), on
        return GoalStatus.OPEN, None

    @staticmethod
    def _date_between_with(rng, start: dt.date, end: dt.date) -> dt.date:
        return start if end <= start else start + _days(rng.randint(0, (end - start).days))

    def _end_reason(self, kind) -> str:
        if kind == PlacementKind.EDUCATION:
            return PlacementEndReason.EDUCATION_COMPLETED
        if kind == PlacementKind.SELF_EMPLOYMENT:
            return PlacementEndReason.BUSINESS_STOPPED
        return _weighted(
            self.follow_rng,
            [
                (PlacementEndReason.CONTRACT_ENDED, 40),
                (PlacementEndReason.DISMISSED, 15),
                (PlacementEndReason.RESIGNED, 15),
                (PlacementEndReason.OTHER_JOB, 15),
                (PlacementEndReason.HEALTH, 15),
            ],
        )

    def _follow_ups(self, placements, consultant_of):
        """The checks at 1, 3, 6, 12 and 24 months, as employers.services writes them. A running
        placement's due checks are recorded (some of the last two months still wait, for the work list);
        an ended one has its end reason, its checks up to the end recorded, and the first check
        after the end recorded as "no longer working" (a check that finds that ends a placement)."""
        rng, today, rows = self.follow_rng, self.today, []
        for placement in placements:
            end = placement.end_date
            if end is not None:
                placement.end_reason = self._end_reason(placement.kind)
            for months in FOLLOW_UP_MONTHS:
                due = placement.start_date + relativedelta(months=months)
                if end is not None and due > today:
                    break
                row = PlacementFollowUp(municipality=self.m, placement=placement, months=months, due_on=due)
                # Checks due more than two months ago were all done (a work list full of checks
                # from years back is not what a municipality that uses Maatpak looks like).
                if end is not None or (due <= today and (due < today - _days(60) or rng.random() < 0.85)):
                    working = end is None or end >= due
                    row.checked_on = min(today, due + _days(rng.randint(0, 20)), end if working and end else today)
                    row.still_working = working
                    row.hours_per_week = placement.hours_per_week if working else None
                    row.support_needed = rng.random() < 0.25 if working else None
                    row.checked_by = consultant_of[placement.participant_id]
                rows.append(row)
                if end is not None and end < due:
                    break
        return rows

    # -- build ---------------------------------------------------------------------------------
    def build(self):
        t0 = time.monotonic()
        self.ladder, _ = standard_ladder()
        self._staff()
        self._catalogues()
        self._employers()
        self._participants()
        self._trajectories()
        self._link_demo_participant()
        self._anonymous_feedback()
        self._second_factor()
        self.log(f"Generated {self.n} participants in {time.monotonic() - t0:.1f} s.")

    def _user(self, username, role, first, last, team=None, provider=None, **extra):
        user = User(
            username=username, first_name=first, last_name=last, role=role, team=team, provider=provider, password=self.password, **extra
        )
        user.save()
        user.municipalities.add(self.m)
        return user

    def _staff(self):
        self.team_north = Team.objects.create(municipality=self.m, name="Team Noord")
        self.team_south = Team.objects.create(municipality=self.m, name="Team Zuid")
        self.kim = self._user("klantmanager", Role.CONSULTANT, "Kim", "de Vries", team=self.team_north)
        self.bas = self._user("klantmanager2", Role.CONSULTANT, "Bas", "Mulder", team=self.team_north)
        self.lead = self._user("teamleider", Role.TEAM_LEAD, "Tineke", "Bos", team=self.team_north)
        self._user("beleidsmedewerker", Role.POLICY_OFFICER, "Priya", "Ramdin")
        self._user("jobcoach", Role.JOB_COACH, "Jolien", "Kok")
        self._user("clientenraad", Role.COUNCIL_MEMBER, "Henk", "Postma")
        self._user("analist", Role.ANALYST, "Anouk", "Visser")
        self._user("privacy", Role.PRIVACY_OFFICER, "Peter", "de Groot")
        # A municipality administrator, not a superuser: the admin is scoped to Smallingerland.
        self._user("beheerder", Role.ADMIN, "Beheerder", "Maatpak", is_staff=True)
        # Further consultants so caseloads are realistic (about 120 participants each).
        extra = max(0, self.n // 120 - 2)
        self.consultants = [self.kim, self.bas]
        for i in range(extra):
            team = self.team_north if i % 2 else self.team_south
            first = self.rng.choice(cat.FIRST_NAMES_F + cat.FIRST_NAMES_M)
            prefix, last = self.rng.choice(cat.LAST_NAMES)
            self.consultants.append(self._user(f"km{i + 3:02d}", Role.CONSULTANT, first, f"{prefix} {last}".strip(), team=team))
        if self.n > 300:
            self._user("teamleider2", Role.TEAM_LEAD, "Ruben", "Kaya", team=self.team_south)

    def _second_factor(self):
        """An authenticator app (DEMO_TOTP_SECRET) and the recovery codes for every staff account."""
        staff = list(User.objects.filter(municipalities=self.m).exclude(role=Role.PARTICIPANT))
        key = base64.b32decode(DEMO_TOTP_SECRET).hex()
        TOTPDevice.objects.bulk_create(TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True) for user in staff)
        devices = StaticDevice.objects.bulk_create(StaticDevice(user=user, name="Recovery codes", confirmed=True) for user in staff)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for device in devices for code in DEMO_RECOVERY_CODES)

    def _catalogues(self):
        self.instruments = self._bulk(
            Instrument,
            [
                Instrument(
                    municipality=self.m,
                    code=code,
                    name=name,
                    cluster=cluster,
                    srg_type=srg,
                    default_cost_cents=euros * 100,
                    evidence_based=ebp,
                )
                for code, name, cluster, srg, euros, _job, _prov, ebp in cat.INSTRUMENTS
            ],
        )
        self.instrument_meta = {i.code: spec for i, spec in zip(self.instruments, cat.INSTRUMENTS, strict=False)}
        self.by_code = {i.code: i for i in self.instruments}
        self.providers = self._bulk(
            Provider,
            [
                Provider(
                    municipality=self.m,
                    name=name,
                    kind=kind,
                    method_description=f"{name}: werkt vanuit de wensen van de deelnemer, met vaste coach.",
                )
                for name, kind, *_ in cat.PROVIDERS
            ],
        )
        self.contracts = self._bulk(
            Contract,
            [
                Contract(
                    municipality=self.m,
                    provider=p,
                    reference=f"DD-{2024}-{i + 1:02d}",
                    procurement=spec[2],
                    start_date=dt.date(2023, 1, 1),
                    end_date=dt.date(2027, 12, 31),
                    price_per_trajectory_cents=spec[3] * 100,
                    reporting_interval_days=spec[4],
                    placement_target_percent=spec[5],
                    bonus_per_placement_cents=spec[6] * 100,
                    malus_per_placement_cents=spec[7] * 100,
                )
                for i, (p, spec) in enumerate(zip(self.providers, cat.PROVIDERS, strict=False))
            ],
        )
        self.contract_of = {c.provider_id: c for c in self.contracts}
        self.werkfit = next(p for p in self.providers if p.name == "Werkfit Re-integratie")
        self.provider_user = self._user("aanbieder", Role.PROVIDER_STAFF, "Rik", "Smit", provider=self.werkfit)
        self.staff_of = {self.werkfit.pk: self.provider_user}
        for k, provider in enumerate(p for p in self.providers if p.pk != self.werkfit.pk):
            self.staff_of[provider.pk] = self._user(f"coach{k + 1}", Role.PROVIDER_STAFF, "Coach", provider.name, provider=provider)
        self.competences = self._bulk(Competence, [Competence(municipality=self.m, name=name) for name in cat.COMPETENCES])

    def _employers(self):
        rng = self.rng
        count = max(8, min(60, self.n // 25))
        self.employers = self._bulk(
            Employer,
            [
                Employer(
                    municipality=self.m,
                    name=f"{rng.choice(cat.EMPLOYER_WORDS)} {rng.choice(cat.LAST_NAMES)[1]} {i + 1}",
                    sector=rng.choice(cat.SECTORS),
                    city=DEMO_MUNICIPALITY_NAME,
                    contact_person=f"{rng.choice(cat.FIRST_NAMES_F + cat.FIRST_NAMES_M)} {rng.choice(cat.LAST_NAMES)[1]}",
                )
                for i in range(count)
            ],
        )
        vacancies = self._bulk(
            Vacancy,
            [
                Vacancy(
                    municipality=self.m,
                    employer=rng.choice(self.employers),
                    title=rng.choice(cat.VACANCY_TITLES),
                    hours_per_week=rng.choice([16, 24, 32, 36, 38]),
                    hidden=rng.random() < 0.3,
                    opened_on=self.today - _days(rng.randint(5, 200)),
                    closed_on=None if rng.random() < 0.6 else self.today - _days(rng.randint(0, 4)),
                )
                for _ in range(count * 2)
            ],
        )
        through = Vacancy.competences.through
        self._bulk(
            through,
            [through(vacancy_id=v.pk, competence_id=c.pk) for v in vacancies for c in rng.sample(self.competences, rng.randint(1, 3))],
        )

    # -- participants --------------------------------------------------------------------------
    def _participants(self):
        rng, today = self.rng, self.today
        self.people = []  # per participant: dict with the facts trajectories need
        rows = []
        for i in range(self.n):
            sex = "f" if rng.random() < 0.5 else "m"
            first = rng.choice(cat.FIRST_NAMES_F if sex == "f" else cat.FIRST_NAMES_M)
            prefix, last = rng.choice(cat.LAST_NAMES)
            age = rng.randint(18, 66)
            birth = dt.date(today.year - age, 1, 1) + _days(rng.randint(0, 364))
            registered = today - _days(rng.randint(60, 3650))
            if i == 0:
                registered = today - _days(400)
            # Participant 0 is the demo participant of Kim de Vries; the first 120 are Kim's caseload.
            consultant = self.kim if i < 120 else self.consultants[i % len(self.consultants)]
            if i == 0:
                first, prefix, last, sex = "Sanne", "", "Jansen", "f"
            bsn = _valid_bsn(i)
            p = Participant(
                municipality=self.m,
                reference=f"DD-{i + 1:06d}",
                bsn_encrypted=crypto.encrypt(bsn),
                bsn_hash=crypto.keyed_hash(bsn),
                first_name=first,
                name_prefix=prefix,
                last_name=last,
                birth_date=birth,
                sex=sex,
                email=f"{first.lower()}.{last.lower().replace(' ', '')}{i}@example.nl",
                phone=f"06-{10000000 + i:08d}",
                street=f"{rng.choice(cat.STREETS)} {rng.randint(1, 180)}",
                postal_code=f"{9900 + rng.randint(0, 99)} {rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}",
                city=DEMO_MUNICIPALITY_NAME,
                education_level=_weighted(rng, [("none", 22), ("vmbo", 33), ("mbo", 32), ("hbo", 8), ("unknown", 5)]),
                consultant=consultant,
                registered_on=registered,
                moved_away_on=self._date_between(registered + _days(200), today)
                if rng.random() < 0.03 and (today - registered).days > 400
                else None,
            )
            rows.append(p)
            sol = "A1" if i == 0 else _weighted(rng, SOL_WEIGHTS)
            far = sol.startswith("B")
            # ~70 % health complaints, ~10 % both physical and mental; more often far from work.
            x = rng.random()
            both_p, phys_p, ment_p = (0.13, 0.36, 0.31) if far else (0.05, 0.20, 0.17)
            phys = x < both_p + phys_p
            ment = x < both_p or both_p + phys_p <= x < both_p + phys_p + ment_p
            self.people.append(
                {
                    "sol": sol,
                    "far": far,
                    "phys": phys,
                    "ment": ment,
                    "debts": rng.random() < (0.55 if far else 0.3),
                    "registered": registered,
                    "consultant": consultant,
                    "age": age,
                }
            )
        self._bulk(Participant, rows)
        self.participants = rows
        self._assessments()
        self._dossier_details()

    def _assessments(self):
        rng, today = self.rng, self.today
        domain_rows, ladder_rows, sol_rows, assignment_rows, contact_rows, benefit_rows = [], [], [], [], [], []
        for p, facts in zip(self.participants, self.people, strict=False):
            consultant = facts["consultant"]
            first_date = facts["registered"] + _days(rng.randint(3, 30))
            # Some files are up to date, many are not (seeds 004: client files notoriously outdated).
            latest = today - _days(rng.randint(10, 330)) if rng.random() < 0.65 else today - _days(rng.randint(370, 900))
            latest = max(latest, first_date)
            dates = [first_date] if latest == first_date else [first_date, latest]
            facts["assessed_on"] = dates
            for when in dates:
                for domain in Domain.values:
                    if domain == "health_physical":
                        score = rng.randint(1, 3) if facts["phys"] else rng.randint(4, 5)
                    elif domain == "health_mental":
                        score = rng.randint(1, 3) if facts["ment"] else rng.randint(4, 5)
                    elif domain == "income_debts":
                        score = rng.randint(1, 3) if facts["debts"] else rng.randint(3, 5)
                    elif domain in ("work", "motivation"):
                        score = rng.randint(1, 3) if facts["far"] else rng.randint(3, 5)
                    else:
                        score = _weighted(rng, [(2, 10), (3, 25), (4, 40), (5, 25)])
                    domain_rows.append(
                        DomainAssessment(
                            municipality=self.m,
                            participant=p,
                            domain=domain,
                            score=score,
                            assessed_on=when,
                            author=consultant,
                            note="Besproken met deelnemer." if score <= 2 else "",
                        )
                    )
            low, high = RUNG_BY_SOL[facts["sol"]]
            rung = rng.randint(low, high)
            facts["rung"] = rung
            for k, when in enumerate(dates):
                r = max(1, min(6, rung - (len(dates) - 1 - k) * rng.randint(0, 1)))
                ladder_rows.append(
                    LadderAssessment(
                        municipality=self.m,
                        participant=p,
                        definition=self.ladder,
                        rung=r,
                        potential_rung=min(6, r + rng.randint(0, 2)),
                        assessed_on=when,
                        author=consultant,
                    )
                )
            sol_rows.append(
                SolAssessment(municipality=self.m, participant=p, group=facts["sol"], assessed_on=first_date, author=consultant)
            )
            # Consultant history: half never changed; some changed every few months (seeds 002).
            changes = _weighted(rng, [(0, 50), (1, 25), (2, 15), (3, 7), (4, 3)])
            start = facts["registered"]
            span = max(1, (today - start).days)
            history = sorted(rng.sample(range(1, span), min(changes, span - 1))) if changes else []
            previous = [c for c in self.consultants if c.pk != consultant.pk] or [consultant]
            bounds = [start] + [start + _days(d) for d in history]
            for k, begin in enumerate(bounds):
                who = consultant if k == len(bounds) - 1 else rng.choice(previous)
                end = bounds[k + 1] - _days(1) if k + 1 < len(bounds) else None
                assignment_rows.append(
                    ConsultantAssignment(
                        municipality=self.m,
                        participant=p,
                        consultant=who,
                        start_date=begin,
                        end_date=end,
                        reason="" if k == 0 else rng.choice(["Vertrek klantmanager", "Herverdeling caseload", "Op verzoek van deelnemer"]),
                    )
                )
            # Contacts: most recent within 90 days for most; a fifth lost sight of.
            last_contact = today - _days(rng.randint(1, 85)) if rng.random() < 0.8 else today - _days(rng.randint(95, 400))
            last_contact = max(last_contact, start)
            for _ in range(rng.randint(0, 2)):
                contact_rows.append(
                    Contact(
                        municipality=self.m,
                        participant=p,
                        occurred_on=self._date_between(start, last_contact),
                        channel=rng.choice(["phone", "in_person", "email"]),
                        summary="Voortgang besproken.",
                        staff=consultant,
                    )
                )
            contact_rows.append(
                Contact(
                    municipality=self.m,
                    participant=p,
                    occurred_on=last_contact,
                    channel=rng.choice(["phone", "in_person", "video"]),
                    summary="Gesprek over het plan.",
                    staff=consultant,
                )
            )
            benefit_type = _weighted(rng, [("pw", 85), ("ioaw", 5), ("anw", 3), ("none", 7)])
            benefit = Benefit(
                municipality=self.m,
                participant=p,
                type=benefit_type,
                start_date=start - _days(rng.randint(0, 30)),
                monthly_amount_cents=0 if benefit_type == "none" else rng.randint(1100, 1900) * 100,
            )
            facts["benefit"] = benefit
            benefit_rows.append(benefit)
        self._bulk(DomainAssessment, domain_rows)
        self._bulk(LadderAssessment, ladder_rows)
        self._bulk(SolAssessment, sol_rows)
        self._bulk(ConsultantAssignment, assignment_rows)
        self._bulk(Contact, contact_rows)
        self.benefits = benefit_rows  # saved after trajectories decide who left the benefit

    def _dossier_details(self):
        rng = self.rng
        wishes, comps, educations, work, exemptions = [], [], [], [], []
        for p, facts in zip(self.participants, self.people, strict=False):
            consultant = facts["consultant"]
            facts["wishes"] = []
            for text in rng.sample(cat.WISHES, rng.randint(1, 2)):
                wish = Wish(
                    municipality=self.m,
                    participant=p,
                    kind=rng.choice(["wish", "ambition", "interest", "idea"]),
                    text=text,
                    source="participant" if rng.random() < 0.3 else "consultant",
                    recorded_by=consultant,
                )
                wishes.append(wish)
                facts["wishes"].append(wish)
            for competence in rng.sample(self.competences, rng.randint(0, 3)):
                comps.append(
                    ParticipantCompetence(
                        municipality=self.m,
                        participant=p,
                        competence=competence,
                        level=rng.randint(1, 3),
                        recorded_on=facts["assessed_on"][-1],
                        recorded_by=consultant,
                    )
                )
            if p.education_level not in ("none", "unknown"):
                educations.append(
                    Education(
                        municipality=self.m,
                        participant=p,
                        name={"vmbo": "Vmbo basis", "mbo": "Mbo Logistiek niveau 2", "hbo": "Hbo Bedrijfskunde"}[p.education_level],
                        level=p.education_level,
                        completed=rng.random() < 0.7,
                        year=facts["registered"].year - rng.randint(2, 25),
                    )
                )
            if rng.random() < 0.7:
                end = facts["registered"] - _days(rng.randint(30, 2000))
                work.append(
                    WorkExperience(
                        municipality=self.m,
                        participant=p,
                        job_title=rng.choice(cat.VACANCY_TITLES),
                        employer_name=rng.choice(self.employers).name,
                        start_date=end - _days(rng.randint(90, 1500)),
                        end_date=end,
                    )
                )
            if rng.random() < 0.03:
                start = self.today - _days(rng.randint(0, 200))
                exemptions.append(
                    Exemption(
                        municipality=self.m,
                        participant=p,
                        reason="Mantelzorg voor een ernstig ziek gezinslid.",
                        start_date=start,
                        end_date=start + _days(180),
                        decided_by=consultant,
                    )
                )
        exemptions += self._exemptions_ending_soon({e.participant_id for e in exemptions})
        self._bulk(Wish, wishes)
        self._bulk(ParticipantCompetence, comps)
        self._bulk(Education, educations)
        self._bulk(WorkExperience, work)
        self._bulk(Exemption, exemptions)

    def _exemptions_ending_soon(self, exempted: set) -> list:
        """Two of Kim de Vries's participants whose exemption ends in two weeks, so the caseload
        shows the signal "exemption ends soon": one on the demo's date, and — the screens use the
        real date — one from the real today, when that is later."""
        ends = sorted({self.today + _days(14), max(self.today, timezone.localdate()) + _days(14)})
        people = [p for p, facts in zip(self.participants[1:], self.people[1:], strict=False) if facts["consultant"] is self.kim]
        people = [p for p in people if p.pk not in exempted][: len(ends)]
        return [
            Exemption(
                municipality=self.m,
                participant=p,
                reason="Mantelzorg voor een ernstig ziek gezinslid.",
                start_date=end - _days(180),
                end_date=end,
                decided_by=self.kim,
            )
            for p, end in zip(people, ends, strict=False)
        ]

    # -- trajectories --------------------------------------------------------------------------
    def _trajectories(self):
        rng, today = self.rng, self.today
        job_codes = [code for code, *_rest in cat.INSTRUMENTS if self.instrument_meta[code][5]]
        care_codes = [code for code, *_rest in cat.INSTRUMENTS if not self.instrument_meta[code][5]]
        T = defaultdict(list)  # model -> rows
        for index, (p, facts) in enumerate(zip(self.participants, self.people, strict=False)):
            count = 1 if index == 0 else _weighted(rng, [(0, 15), (1, 45), (2, 25), (3, 10), (4, 3), (5, 2)])
            cursor = facts["registered"] + _days(rng.randint(14, 120))
            previous = None
            for k in range(count):
                if cursor > today - _days(20):
                    break
                last = k == count - 1
                length = rng.randint(180, 540)
                planned_end = cursor + _days(length)
                if index == 0:
                    status = "active"
                elif not last or planned_end + _days(120) < today:
                    status = "closed"
                else:
                    status = _weighted(rng, [("active", 60), ("closed", 20), ("agreed", 12), ("draft", 8)])
                ended = None
                if status == "closed":
                    ended = min(today - _days(1), planned_end + _days(rng.randint(-60, 60)))
                    ended = max(ended, cursor + _days(60))
                trajectory = Trajectory(
                    municipality=self.m,
                    participant=p,
                    consultant=facts["consultant"],
                    status=status,
                    started_on=cursor if status in ("active", "closed") else None,
                    ended_on=ended,
                    previous=previous,
                )
                if previous is not None and (rng.random() < 0.8 or index == 0):
                    trajectory.repeat_reason = "Vorig traject eindigde zonder werk; de eindrapportage adviseerde eerst schulden en gezondheid aan te pakken. Nu gericht op een werkervaringsplaats."
                # Confounding on purpose: people closer to work and healthier get job-oriented instruments.
                job_oriented = rng.random() < (0.75 if not facts["far"] else 0.35) * (0.7 if facts["phys"] or facts["ment"] else 1.0)
                codes = rng.sample(job_codes if job_oriented else care_codes, rng.randint(1, 2))
                if index == 0:
                    codes = ["SOLL", "BEMID"]
                facts.setdefault("trajectories", []).append(
                    {
                        "obj": trajectory,
                        "status": status,
                        "start": cursor,
                        "planned_end": planned_end,
                        "ended": ended,
                        "codes": codes,
                        "job": job_oriented,
                        "previous": previous,
                    }
                )
                T[Trajectory].append(trajectory)
                previous = trajectory
                cursor = (ended or planned_end) + _days(rng.randint(30, 300))
        # Trajectories must exist (with ids) before their children; `previous` points backwards only.
        for t in T[Trajectory]:
            if t.previous is not None:
                t._previous_tmp, t.previous = t.previous, None
        self._bulk(Trajectory, T[Trajectory])
        relinked = [t for t in T[Trajectory] if getattr(t, "_previous_tmp", None) is not None]
        for t in relinked:
            t.previous = t._previous_tmp
        Trajectory.objects.bulk_update(relinked, ["previous"], batch_size=BATCH)

        plan_rows, goal_rows, idea_rows, instrument_rows, agreement_rows, signature_rows, handover_rows, referral_rows = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        kim_has_held_intake = False
        for facts in self.people:
            for info in facts.get("trajectories", []):
                t, status, start = info["obj"], info["status"], info["start"]
                versions = 2 if status in ("active", "closed") and rng.random() < 0.15 else 1
                info["plans"] = []
                for number in range(1, versions + 1):
                    created = start if number == 1 else start + _days(rng.randint(40, 120))
                    plan = PlanVersion(
                        municipality=self.m,
                        trajectory=t,
                        number=number,
                        change_reason=""
                        if number == 1
                        else rng.choice(
                            ["Tempo verlaagd vanwege gezondheid.", "Ander instrument: eerst taalcursus.", "Planning aangepast na ziekte."]
                        ),
                        end_goal_kind=GOAL_BY_SOL[facts["sol"]],
                        end_goal="Duurzaam aan het werk" if facts["sol"] < "B3" else "Structureel meedoen via vrijwilligerswerk",
                        situation="Deelnemer zit langer dan een jaar zonder werk.",
                        planned_start=start,
                        planned_end=info["planned_end"] + _days(60 * (number - 1)),
                        fallback_if_no_job="Doorstromen naar vrijwilligerswerk met begeleiding; na zes maanden opnieuw bekijken.",
                        mentor="" if rng.random() < 0.8 else "Maatje van Stichting Samen",
                        agreed_on=created if status != "draft" else None,
                        created_by=facts["consultant"],
                    )
                    plan_rows.append(plan)
                    info["plans"].append(plan)
        self._bulk(PlanVersion, plan_rows)

        for p, facts in zip(self.participants, self.people, strict=False):
            for info in facts.get("trajectories", []):
                t, status, start = info["obj"], info["status"], info["start"]
                info["goals"] = []
                for plan in info["plans"]:
                    for kind, description, measure in rng.sample(cat.GOALS, rng.randint(1, 3)):
                        reached = status == "closed" and rng.random() < 0.5
                        reached_on = start + _days(rng.randint(30, 200)) if reached else None
                        goal_status, status_on = self._goal_status(status, reached, reached_on, start, info["ended"])
                        goal = Goal(
                            municipality=self.m,
                            plan=plan,
                            kind=kind,
                            description=description,
                            measure=measure,
                            target_date=start + _days(rng.randint(60, 300)),
                            status=goal_status,
                            reached_on=status_on,
                            # The consultant confirms a goal's status (trajectories.goals).
                            status_set_by=facts["consultant"] if goal_status != GoalStatus.OPEN else None,
                        )
                        goal_rows.append(goal)
                        info["goals"].append(goal)
                    for wish in facts["wishes"][: rng.randint(0, 2)]:
                        supported = rng.random() < 0.75
                        idea_rows.append(
                            PlanIdea(
                                municipality=self.m,
                                plan=plan,
                                wish=wish,
                                idea=wish.text,
                                supported=supported,
                                response="We zoeken hier samen een werkplek of cursus bij."
                                if supported
                                else "Nu nog niet haalbaar door de reistijd; we bekijken het over zes maanden opnieuw.",
                            )
                        )
                    for code in info["codes"]:
                        instrument = self.by_code[code]
                        provider = None
                        if self.instrument_meta[code][6]:
                            provider = self.werkfit if p is self.participants[0] else rng.choice(self.providers)
                        instrument_rows.append(
                            PlannedInstrument(
                                municipality=self.m,
                                plan=plan,
                                instrument=instrument,
                                provider=provider,
                                start_date=start,
                                end_date=plan.planned_end,
                                cost_cents=instrument.default_cost_cents,
                            )
                        )
                        if provider is not None and plan.number == 1:
                            info["provider"] = provider
                    info.setdefault("agreements", [])
                    for party, texts, n in (
                        ("participant", cat.PARTICIPANT_PROMISES, 2),
                        ("municipality", cat.MUNICIPALITY_PROMISES, rng.randint(1, 2)),
                    ):
                        for text in rng.sample(texts, n):
                            deadline = start + _days(rng.randint(30, 240))
                            if deadline < self.today:
                                agreement_status = _weighted(
                                    rng, [("kept", 72), ("broken", 12 if party == "participant" else 8), ("open", 16)]
                                )
                            else:
                                agreement_status = "open"
                            if status == "draft":
                                agreement_status = "open"
                            agreement = Agreement(
                                municipality=self.m,
                                plan=plan,
                                party=party,
                                description=text,
                                deadline=deadline,
                                status=agreement_status,
                                status_changed_on=deadline if agreement_status in ("kept", "broken") else None,
                            )
                            agreement_rows.append(agreement)
                            if plan is info["plans"][-1]:
                                info["agreements"].append(agreement)
                    if status in ("active", "closed", "agreed"):
                        signed = start + _days(rng.randint(0, 7))
                        signature_rows.append(
                            Signature(
                                municipality=self.m,
                                plan=plan,
                                party="consultant",
                                signer_name=facts["consultant"].get_full_name(),
                                signed_on=signed,
                                method="in_person",
                                recorded_by=facts["consultant"],
                            )
                        )
                        if status != "agreed":
                            signature_rows.append(
                                Signature(
                                    municipality=self.m,
                                    plan=plan,
                                    party="participant",
                                    signer_name=p.full_name,
                                    signed_on=signed,
                                    method=rng.choice(["paper", "in_person"]),
                                    recorded_by=facts["consultant"],
                                )
                            )
                            # The seeds: participants often got no copy. Here 80 % did.
                            if rng.random() < 0.8 and p is not self.participants[0]:
                                handover_rows.append(
                                    PlanHandover(
                                        municipality=self.m,
                                        plan=plan,
                                        handed_over_on=signed,
                                        channel=rng.choice(["paper", "mail", "portal"]),
                                        recorded_by=facts["consultant"],
                                    )
                                )
                provider = info.get("provider")
                if provider is not None and status in ("active", "closed"):
                    intake = start + _days(rng.randint(5, 25))
                    referral = Referral(
                        municipality=self.m,
                        trajectory=t,
                        provider=provider,
                        contract=self.contract_of[provider.pk],
                        proposed_on=start,
                        responded_on=start + _days(rng.randint(1, 5)),
                        intake_on=intake,
                        started_on=intake + _days(rng.randint(0, 10)),
                        shared_information="Wens van de deelnemer: " + facts["wishes"][0].text,
                        status="ended" if status == "closed" else "active",
                        ended_on=info["ended"],
                    )
                    # Seeds: nothing happens after intake — a few active referrals never started
                    # (always at least one in Kim de Vries's caseload, so the demo shows the signal).
                    held = rng.random() < 0.07
                    if (
                        status == "active"
                        and p is not self.participants[0]
                        and facts["consultant"] is self.kim
                        and start < self.today - _days(120)
                        and not kim_has_held_intake
                    ):
                        held, kim_has_held_intake = True, True
                    if status == "active" and held and p is not self.participants[0]:
                        referral.status, referral.started_on = "intake", None
                    referral_rows.append(referral)
                    info["referral"] = referral
        self._bulk(Goal, goal_rows)
        self._bulk(PlanIdea, idea_rows)
        self._bulk(PlannedInstrument, instrument_rows)
        self._bulk(Agreement, agreement_rows)
        self._bulk(Signature, signature_rows)
        self._bulk(PlanHandover, handover_rows)
        self._bulk(Referral, referral_rows)
        self._reports_and_outcomes()

    def _reports_and_outcomes(self):
        rng, today = self.rng, self.today
        reports, progress_rows, end_reports, placements, sanctions, defaults = [], [], [], [], [], []
        closing = []
        for p, facts in zip(self.participants, self.people, strict=False):
            worked_until = None
            for info in facts.get("trajectories", []):
                t, status, start = info["obj"], info["status"], info["start"]
                referral = info.get("referral")
                until = info["ended"] or today
                if referral is not None and referral.started_on:
                    interval = self.contract_of[referral.provider_id].reporting_interval_days
                    due = referral.started_on + _days(interval)
                    late_provider = rng.random() < 0.25  # some providers are chronically late
                    while due <= until:
                        if rng.random() < 0.08 and p is not self.participants[0]:
                            due += _days(interval)  # a report that never came
                            continue
                        late = rng.randint(3, 30) if (late_provider and rng.random() < 0.5) or rng.random() < 0.08 else rng.randint(-5, 0)
                        submitted = min(due + _days(late), today)
                        report = ProgressReport(
                            municipality=self.m,
                            referral=referral,
                            due_on=due,
                            submitted_on=submitted,
                            activities="Sollicitatietraining en werkervaringsplaats bezocht.",
                            attendance=_weighted(rng, [("good", 60), ("reasonable", 28), ("poor", 12)]),
                            proposed_rung=min(6, facts["rung"] + rng.randint(0, 1)),
                            barriers="Reistijd en kinderopvang." if rng.random() < 0.6 else "",
                            next_steps="Gesprekken met twee werkgevers plannen.",
                            participant_view="Ik merk dat ik meer zelfvertrouwen krijg." if rng.random() < 0.6 else "",
                            participant_saw_report=rng.random() < 0.7,
                            author=self.staff_of[referral.provider_id],
                        )
                        progress_rows.append(report)
                        reports.append((report, info["goals"]))
                        due = submitted + _days(interval)
                # Outcome: paid work chance by distance to work, health, and a mild instrument effect.
                chance = WORK_CHANCE[facts["sol"]] * (0.7 if facts["phys"] or facts["ment"] else 1.0) * (1.15 if info["job"] else 0.9)
                outcome = "none"
                if status == "closed":
                    if rng.random() < chance:
                        outcome = "subsidised_work" if facts["sol"] == "B2" or rng.random() < 0.15 else "regular_work"
                        # A small share of those close to work start their own business (often
                        # with a Bbz start-up arrangement): about 1 in 12 of their work outcomes.
                        if outcome == "regular_work" and facts["sol"].startswith("A") and rng.random() < 0.08:
                            outcome = "self_employment"
                        kind = {"subsidised_work": "subsidised", "self_employment": "self_employment"}.get(outcome, "regular")
                        begin = self._date_between(start + _days(60), min(today, info["ended"] + _days(60)))
                        duration = _weighted(rng, [(rng.randint(30, 170), 30), (rng.randint(185, 700), 40), (None, 30)])
                        end = begin + _days(duration) if duration and begin + _days(duration) < today else None
                        employer = None if kind == "self_employment" else rng.choice(self.employers)
                        placements.append(
                            Placement(
                                municipality=self.m,
                                participant=p,
                                trajectory=t,
                                kind=kind,
                                employer=employer,
                                start_date=begin,
                                end_date=end,
                                hours_per_week=rng.choice([20, 24, 32, 36]),
                            )
                        )
                        if kind == "regular" and (end is None or (end - begin).days > 180):
                            worked_until = begin
                    elif facts["sol"] in ("B2", "B3") and rng.random() < 0.3:
                        outcome = "social_participation"
                        placements.append(
                            Placement(
                                municipality=self.m,
                                participant=p,
                                trajectory=t,
                                kind="volunteer",
                                start_date=info["ended"] - _days(30),
                                hours_per_week=8,
                            )
                        )
                    elif rng.random() < (0.12 if facts["age"] < 27 else 0.03):
                        # Regular education: mostly young people (under 27 the Participatiewet
                        # expects school before benefit), starting within two months.
                        outcome = "education"
                        begin = min(today, info["ended"] + _days(rng.randint(0, 60)))
                        placements.append(
                            Placement(
                                municipality=self.m,
                                participant=p,
                                trajectory=t,
                                kind="education",
                                start_date=begin,
                                hours_per_week=rng.choice([16, 20, 24, 32]),
                            )
                        )
                    # Seeds: trajectories that end without an end report (legacy data).
                    if rng.random() < 0.9:
                        report = EndReport(
                            municipality=self.m,
                            trajectory=t,
                            referral=referral,
                            submitted_on=min(today, info["ended"] + _days(rng.randint(0, 25))),
                            due_on=info["ended"] + _days(14),
                            conclusion=cat.CONCLUSIONS[outcome],
                            outcome=outcome,
                            recommendation="Nazorg door jobcoach gedurende zes maanden."
                            if outcome.endswith("work")
                            else "Eerst schulden en gezondheid aanpakken.",
                            author=self.staff_of[referral.provider_id] if referral else facts["consultant"],
                        )
                        end_reports.append(report)
                        closing.append((t, report))
                # Sanctions: a few, each on a broken participant agreement, after a hearing.
                broken = [a for a in info.get("agreements", []) if a.party == "participant" and a.status == "broken"]
                if broken and rng.random() < 0.25:
                    agreement = broken[0]
                    hearing = agreement.deadline + _days(rng.randint(7, 21))
                    if hearing < today:
                        objection = rng.random() < 0.2
                        sanction = Sanction(
                            municipality=self.m,
                            participant=p,
                            trajectory=t,
                            agreement=agreement,
                            reason="Niet verschenen op afspraken zonder bericht.",
                            initiated_by=rng.choice(["consultant", "provider"]),
                            percentage=100,
                            months=rng.choice([1, 1, 2, 3]),
                            hearing_on=hearing,
                            hearing_held_on=hearing,
                            hearing_notes="De deelnemer vertelde dat de oproep te laat kwam en dat afbellen niet lukte.",
                            decided_on=min(hearing + _days(7), today),
                            decision_reason="De deelnemer had zich kunnen afmelden; de maatregel volgt de verordening.",
                            status=SanctionStatus.IMPOSED,
                            objection_filed_on=min(hearing + _days(20), today) if objection else None,
                            recorded_by=facts["consultant"],
                        )
                        # The life cycle as the services write it: an objection is decided about six
                        # weeks after it was filed; upheld revokes the sanction, rejected keeps it.
                        upheld = objection and rng.random() < 0.4
                        decided = hearing + _days(62)
                        if objection and decided <= today:
                            sanction.objection_decided_on = decided
                            sanction.objection_decision = ObjectionDecision.UPHELD if upheld else ObjectionDecision.REJECTED
                            sanction.objection_outcome = (
                                "Bezwaar gegrond: de oproep is niet op tijd verstuurd."
                                if upheld
                                else "Bezwaar ongegrond: de oproep is op tijd verstuurd."
                            )
                            if upheld:
                                sanction.status = SanctionStatus.REVOKED
                        sanctions.append(sanction)
                broken_municipal = [a for a in info.get("agreements", []) if a.party == "municipality" and a.status == "broken"]
                if broken_municipal:
                    agreement = broken_municipal[0]
                    defaults.append(
                        MunicipalityDefault(
                            municipality=self.m,
                            participant=p,
                            trajectory=t,
                            agreement=agreement,
                            description="Afspraak niet op tijd nagekomen door de gemeente.",
                            remedy="Excuses aangeboden en alsnog binnen twee weken geregeld.",
                            recorded_on=agreement.deadline + _days(10),
                            recorded_by=facts["consultant"],
                        )
                    )
            benefit = facts["benefit"]
            if worked_until is not None and benefit.type != "none" and worked_until > benefit.start_date:
                benefit.end_date, benefit.end_reason = worked_until + _days(rng.randint(0, 30)), "work"
            elif p.moved_away_on and benefit.type != "none":
                benefit.end_date, benefit.end_reason = p.moved_away_on, "moved"
            elif benefit.type != "none":
                self._other_outflow(benefit, facts)
            if benefit.end_date and benefit.end_date > today:
                benefit.end_date = today
        self._bulk(Benefit, self.benefits)
        self._bulk(ProgressReport, progress_rows)
        goal_progress = []
        for report, goals in reports:
            for goal in goals[:3]:
                goal_progress.append(
                    GoalProgress(
                        municipality=self.m, report=report, goal=goal, level=_weighted(rng, [("none", 30), ("some", 50), ("reached", 20)])
                    )
                )
        self._bulk(GoalProgress, goal_progress)
        self._bulk(EndReport, end_reports)
        self._bulk(ReportCopy, self._report_copies(progress_rows, end_reports))
        for t, report in closing:
            t.closing_report = report
        Trajectory.objects.bulk_update([t for t, _ in closing], ["closing_report"], batch_size=BATCH)
        follow_ups = self._follow_ups(
            placements, {p.pk: facts["consultant"] for p, facts in zip(self.participants, self.people, strict=False)}
        )
        self._bulk(Placement, placements)
        self._bulk(PlacementFollowUp, follow_ups)
        self._bulk(Sanction, sanctions)
        self._bulk(MunicipalityDefault, defaults)

    def _report_copies(self, progress_reports, end_reports):
        """Copies of the providers' reports for the participant (afschriften). A report sent
        through Maatpak always gets one (trajectories.referrals); the demo's older history stands
        for the years before, when (seed 000) participants often never saw the reports about
        them: before DEMO_COPIES_SINCE only some were handed over."""
        copies = []
        for field, reports in (("progress_report", progress_reports), ("end_report", end_reports)):
            for report in reports:
                if report.referral is None:
                    continue  # the consultant's own closing report: read in the portal, no copy row
                if report.submitted_on >= DEMO_COPIES_SINCE or self.copy_rng.random() < 0.4:
                    copies.append(
                        ReportCopy(
                            municipality=self.m,
                            participant_id=report.referral.trajectory.participant_id,
                            made_available_on=report.submitted_on,
                            channel=HandoverChannel.PORTAL,
                            **{field: report},
                        )
                    )
        return copies

    def _other_outflow(self, benefit, facts):
        """Benefit exits that are not to work (partner's income, other benefit, education …).

        Together with the work exits this gives the Divosa-like outflow of about a quarter of the
        stock per year (DOMAIN §7). A constant yearly hazard on the benefit duration, but never
        while a trajectory is still open and never before the last one closed. Drawn from its own
        random stream so this rule can be tuned without changing the rest of the demo.
        """
        rng, today = self.outflow_rng, self.today
        trajectories = facts.get("trajectories", [])
        if facts is self.people[0] or any(info["status"] != "closed" for info in trajectories):
            rng.random(), rng.random()  # keep the stream aligned per participant
            return
        end = benefit.start_date + _days(int(rng.expovariate(OTHER_OUTFLOW_PER_YEAR) * 365.25))
        reason = _weighted(rng, OTHER_OUTFLOW_REASONS)
        end = max([end] + [info["ended"] + _days(30) for info in trajectories])
        if end < today:
            benefit.end_date, benefit.end_reason = end, reason

    def _link_demo_participant(self):
        sanne = self.participants[0]
        user = self._user("deelnemer", Role.PARTICIPANT, sanne.first_name, sanne.last_name)
        Participant.objects.filter(pk=sanne.pk).update(user=user)

    def _anonymous_feedback(self):
        """About one reaction a year per ten participants (at least 80), over the twelve months before the
        demo date, so the client council's page has whole quarters to show. Drawn from a stream
        of its own: adding it left every other demo figure unchanged. Like real reactions, they
        carry only the week, the topic, an optional rating and an optional text."""
        rng = random.Random(f"anonymous-feedback-{self.rng.random()}")
        rows = []
        for _ in range(max(80, self.n // 10)):
            topic, ratings, texts = _weighted(rng, [((t, r, x), w) for t, w, r, x in cat.FEEDBACK])
            day = self.today - _days(rng.randint(0, 364))
            rows.append(
                AnonymousFeedback(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    municipality=self.m,
                    week=iso_week(day),
                    topic=topic,
                    rating=_weighted(rng, ratings) if rng.random() < 0.85 else None,
                    text=rng.choice(texts) if rng.random() < 0.65 else "",
                )
            )
        self._bulk(AnonymousFeedback, rows)
