"""Contract monitoring: per provider and per contract, for a period (docs/guide-policy-officer.md
defines every figure). In-house teams are measured exactly like external providers."""

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from functools import partial

from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
from statsmodels.stats.proportion import proportion_confint

from maatpak.core.tenancy import scope_to_user
from maatpak.employers.models import PAID_WORK_KINDS, Placement
from maatpak.employers.selectors import placement_lasted
from maatpak.providers.models import Provider, ProviderKind
from maatpak.surveys.models import SurveyResponse
from maatpak.surveys.selectors import satisfaction_score
from maatpak.surveys.services import iso_week
from maatpak.trajectories.models import (
    RUNNING_REFERRAL_STATUSES,
    PlannedInstrument,
    PlanVersion,
    ProgressReport,
    Referral,
    ReferralStatus,
)
from maatpak.trajectories.reporting import report_dues, report_on_time

PLACEMENT_WINDOW_DAYS = 90  # a placement up to 3 months after the referral ended still counts
SMALL_N = 10
# Durability of placements (seed 000: shorter than half a year? one year? two years?).
DURABILITY_MONTHS = (6, 12, 24)


@dataclass
class Figures:
    provider: str
    kind: str
    contract: str = ""
    provider_id: int | None = None
    referrals: int = 0
    active: int = 0
    ended: int = 0
    placed: int = 0
    placement_rate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    median_days_to_placement: float | None = None
    durable_6m: str = ""
    durable_12m: str = ""
    durable_24m: str = ""
    reports_due: int = 0
    on_time_percent: float | None = None
    median_days_late: float | None = None
    reports_overdue_now: int = 0
    reports_missing_fields: int = 0
    missing_end_reports: int = 0
    repeat_share: float | None = None
    cost_cents: int = 0
    cost_per_placement_cents: int | None = None
    target_placements: int = 0
    bonus_malus_cents: int = 0
    satisfaction: float | None = None
    satisfaction_n: int = 0
    small_n: bool = False
    notes: list = field(default_factory=list)


def _durability(placements, months, today):
    """Placements known to have lasted `months`, over those whose answer is known on `today`
    ("lasted/known"), by the one rule in employers.selectors.placement_lasted: a placement that
    ended (or was found no longer working at a follow-up check) before `months` is a known
    failure; one still running counts when a check on or after that moment found the person still
    working. Placements younger than `months`, and those whose check is due but not recorded
    yet, are left out (censored)."""
    answers = [
        placement_lasted(
            start_date=p.start_date,
            end_date=p.end_date,
            checks=[(c.checked_on, c.still_working) for c in p.follow_ups.all()] if p.pk else [],
            months=months,
            today=today,
        )
        for p in placements
    ]
    known = [a for a in answers if a is not None]
    return f"{sum(known)}/{len(known)}" if known else "–"


def _counts_in_period(r, period_start, period_end) -> bool:
    """A referral counts in a period when its life overlaps it: from the proposal until its end,
    or — declined referrals have no end date — until it was declined."""
    if r.proposed_on > period_end:
        return False
    if r.status == ReferralStatus.DECLINED:
        return (r.responded_on or r.proposed_on) >= period_start
    return r.ended_on is None or r.ended_on >= period_start


def _missing_end_report(r, today) -> bool:
    """An end report is missing when its due date (trajectories.reporting, as the provider's
    overdue list and the consultant's signals reckon it) has passed without one: for an ended
    referral `end_report_due_days` after the end (also when the trajectory was closed while the
    referral ran); for a running referral `end_report_due_days` after the planned end of its
    provider's part of the plan in force."""
    return r.dues.end_report is not None and r.dues.end_report < today


def referral_cost_cents(r, instrument_cost) -> int:
    """What one ended referral cost: the contract's price per trajectory; without a contract
    price (an in-house team) the cost recorded in the current plan for the instruments with
    this provider."""
    if r.contract_id and r.contract.price_per_trajectory_cents:
        return r.contract.price_per_trajectory_cents
    return instrument_cost.get((r.plan_id, r.provider_id), 0)


def bonus_malus(contract, *, ended: int, placed: int) -> tuple[int, int]:
    """(target placements, bonus (+) or malus (−) in cents) for one contract and period.

    Target = placement_target_percent × referrals ended in the period, rounded up (a provider
    cannot meet 30 % of 3 with 0.9 people). Each placement above the target earns the bonus,
    each one short of it costs the malus; exactly on target is 0.
    """
    target = math.ceil(contract.placement_target_percent * ended / 100)
    difference = placed - target
    return target, difference * (contract.bonus_per_placement_cents if difference > 0 else contract.malus_per_placement_cents)


def _figures(
    label,
    kind,
    contract_label,
    referrals,
    placements_by_participant,
    today,
    period_start,
    period_end,
    satisfaction,
    contract=None,
    instrument_cost=None,
):
    """All figures for one group of referrals. Bonus/malus only for a single contract (`contract`);
    a provider's total is the sum over its contracts (see contract_monitoring)."""
    f = Figures(provider=label, kind=kind, contract=contract_label)
    in_period = [r for r in referrals if _counts_in_period(r, period_start, period_end)]
    f.referrals = len(in_period)
    f.active = sum(1 for r in in_period if r.status in RUNNING_REFERRAL_STATUSES)
    # A referral the provider never accepted, ended because its trajectory closed, is no result
    # of the provider's: it is left out of every figure based on ended referrals.
    ended = [
        r
        for r in referrals
        if r.status == ReferralStatus.ENDED and r.ended_on and period_start <= r.ended_on <= period_end and not r.was_never_accepted
    ]
    f.ended = len(ended)
    placed_rows = []
    for r in ended:
        start = r.started_on or r.intake_on or r.proposed_on
        hits = [
            p
            for p in placements_by_participant.get(r.trajectory.participant_id, [])
            if start <= p.start_date <= r.ended_on + dt.timedelta(days=PLACEMENT_WINDOW_DAYS)
        ]
        if hits:
            first = min(hits, key=lambda p: p.start_date)
            placed_rows.append((r, first, (first.start_date - start).days))
    f.placed = len(placed_rows)
    if f.ended:
        f.placement_rate = f.placed / f.ended
        f.ci_low, f.ci_high = proportion_confint(f.placed, f.ended, alpha=0.05, method="wilson")
    if placed_rows:
        f.median_days_to_placement = statistics.median(days for _, _, days in placed_rows)
    placements = [p for _, p, _ in placed_rows]
    f.durable_6m, f.durable_12m, f.durable_24m = (_durability(placements, months, today) for months in DURABILITY_MONTHS)
    reports = [rep for r in referrals for rep in r.progress_reports.all() if period_start <= rep.due_on <= period_end]
    f.reports_due = len(reports)
    if reports:
        on_time = [rep for rep in reports if report_on_time(due_on=rep.due_on, submitted_on=rep.submitted_on)]
        f.on_time_percent = 100 * len(on_time) / len(reports)
        late = [(rep.submitted_on - rep.due_on).days for rep in reports if rep.submitted_on > rep.due_on]
        f.median_days_late = statistics.median(late) if late else 0
        f.reports_missing_fields = sum(
            1 for rep in reports if not rep.participant_view.strip() or not rep.barriers.strip() or not rep.participant_saw_report
        )
    # Reports never sent are not in the timeliness figure (it has no submission date); they are
    # counted here: running referrals whose next report is past due on the reference day.
    f.reports_overdue_now = sum(1 for r in referrals if r.dues.progress_report is not None and r.dues.progress_report < today)
    f.missing_end_reports = sum(1 for r in ended if _missing_end_report(r, today)) + sum(
        1 for r in in_period if r.status != ReferralStatus.ENDED and _missing_end_report(r, today)
    )
    if f.referrals:
        f.repeat_share = sum(1 for r in in_period if r.trajectory.previous_id) / f.referrals
    f.cost_cents = sum(referral_cost_cents(r, instrument_cost or {}) for r in ended)
    if f.placed:
        f.cost_per_placement_cents = round(f.cost_cents / f.placed)
    if contract is not None and f.ended:
        f.target_placements, f.bonus_malus_cents = bonus_malus(contract, ended=f.ended, placed=f.placed)
    if satisfaction:
        f.satisfaction_n = len(satisfaction)
        f.satisfaction = sum(satisfaction) / len(satisfaction)
    f.small_n = f.ended < SMALL_N
    return f


def contract_monitoring(*, user, period_start: dt.date, period_end: dt.date, today: dt.date | None = None) -> dict:
    """{"providers": [Figures], "contracts": [Figures], "kinds": [Figures]} for the user's
    municipalities; "kinds" groups all providers of one kind (in-house, external, SW-bedrijf)."""
    today = today or period_end
    # The plan in force (the one the provider works to): a revision still being agreed does not
    # move the planned end or the recorded cost yet.
    current_plan = PlanVersion.objects.filter(trajectory=OuterRef("trajectory_id")).in_force_first()
    referrals = list(
        # Referrals that ended (or were declined) before the period or were proposed after it add to no figure.
        scope_to_user(Referral.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period_start), proposed_on__lte=period_end), user)
        .exclude(status=ReferralStatus.DECLINED, responded_on__lt=period_start)
        .select_related("provider", "contract", "trajectory")
        .prefetch_related(
            Prefetch(
                "progress_reports",
                queryset=ProgressReport.objects.only(
                    "id", "referral_id", "due_on", "submitted_on", "barriers", "participant_view", "participant_saw_report"
                ),
            )
        )
        .annotate(
            plan_id=Subquery(current_plan.values("pk")[:1]),
        )
    )
    # What each provider owes and by when, reckoned as of the reference day.
    dues = report_dues(referrals, as_of=today)
    for r in referrals:
        r.dues = dues[r.pk]
    # Recorded instrument cost per (plan, provider), for referrals without a contract price.
    unpriced_plans = {r.plan_id for r in referrals if r.plan_id and not (r.contract_id and r.contract.price_per_trajectory_cents)}
    instrument_cost = {
        (row["plan_id"], row["provider_id"]): row["total"]
        for row in PlannedInstrument.objects.filter(plan_id__in=unpriced_plans)
        .values("plan_id", "provider_id")
        .annotate(total=Sum("cost_cents"))
    }
    participant_ids = {r.trajectory.participant_id for r in referrals}
    placements_by_participant = {}
    for p in (
        Placement.objects.filter(participant_id__in=participant_ids, kind__in=PAID_WORK_KINDS)
        .prefetch_related("follow_ups")
        .order_by("start_date")
    ):
        placements_by_participant.setdefault(p.participant_id, []).append(p)
    scores = {}
    # Responses carry only their ISO week (anonymity); "2026-W05" strings sort like the weeks.
    weeks = [iso_week(d) for d in (period_start, period_end)]
    responses = SurveyResponse.objects.filter(
        municipality_id__in=user.municipalities.values("id"), provider__isnull=False, week__gte=weeks[0], week__lte=weeks[1]
    )
    for provider_id, answers in responses.values_list("provider_id", "answers"):
        value = satisfaction_score(answers)
        if value is not None:
            scores.setdefault(provider_id, []).append(value)
    providers = list(scope_to_user(Provider.objects.all(), user).order_by("kind", "name"))
    # The figures of one group of referrals (a provider, a contract, a kind), all for this period.
    figures_for = partial(
        _figures,
        placements_by_participant=placements_by_participant,
        today=today,
        period_start=period_start,
        period_end=period_end,
        instrument_cost=instrument_cost,
    )
    by_provider = [
        figures_for(p.name, p.get_kind_display(), "", [r for r in referrals if r.provider_id == p.pk], satisfaction=scores.get(p.pk, []))
        for p in providers
    ]
    contracts = {}
    for r in referrals:
        if r.contract_id:
            contracts.setdefault(r.contract_id, (r.contract, r.provider, []))[2].append(r)
    by_contract = [
        figures_for(
            provider.name,
            provider.get_kind_display(),
            contract.reference,
            rows,
            satisfaction=scores.get(provider.pk, []),
            contract=contract,
        )
        for contract, provider, rows in sorted(contracts.values(), key=lambda c: (c[1].name, c[0].reference))
    ]
    for figures, provider in zip(by_provider, providers, strict=False):
        figures.provider_id = provider.pk
    for figures, (_contract, provider, _rows) in zip(
        by_contract, sorted(contracts.values(), key=lambda c: (c[1].name, c[0].reference)), strict=False
    ):
        figures.provider_id = provider.pk
    for figures in by_provider:
        own = [c for c in by_contract if c.provider_id == figures.provider_id]
        figures.target_placements = sum(c.target_placements for c in own)
        figures.bonus_malus_cents = sum(c.bonus_malus_cents for c in own)
    # In-house teams against external providers (and SW-bedrijven), each kind taken as one group.
    by_kind = []
    for kind, label in ProviderKind.choices:
        members = [p for p in providers if p.kind == kind]
        if not members:
            continue
        ids = {p.pk for p in members}
        figures = figures_for(
            str(label),
            str(label),
            "",
            [r for r in referrals if r.provider_id in ids],
            satisfaction=[score for pk in ids for score in scores.get(pk, [])],
        )
        own = [c for c in by_contract if c.provider_id in ids]
        figures.target_placements, figures.bonus_malus_cents = sum(c.target_placements for c in own), sum(c.bonus_malus_cents for c in own)
        by_kind.append(figures)
    return {"providers": by_provider, "contracts": by_contract, "kinds": by_kind}


COLUMNS = [
    ("provider", "Aanbieder"),
    ("kind", "Soort"),
    ("contract", "Contract"),
    ("referrals", "Aanmeldingen"),
    ("active", "Lopend"),
    ("ended", "Beëindigd"),
    ("placed", "Geplaatst"),
    ("placement_rate", "Plaatsingspercentage"),
    ("ci_low", "95%-BI ondergrens"),
    ("ci_high", "95%-BI bovengrens"),
    ("median_days_to_placement", "Mediaan dagen tot plaatsing"),
    ("durable_6m", "Werkt na 6 mnd"),
    ("durable_12m", "Werkt na 12 mnd"),
    ("durable_24m", "Werkt na 24 mnd"),
    ("reports_due", "Rapportages verwacht"),
    ("on_time_percent", "% op tijd"),
    ("median_days_late", "Mediaan dagen te laat"),
    ("reports_overdue_now", "Rapportages nu te laat"),
    ("reports_missing_fields", "Rapportages met ontbrekende velden"),
    ("missing_end_reports", "Ontbrekende eindrapportages"),
    ("repeat_share", "Aandeel herhaaltrajecten"),
    ("cost_cents", "Kosten (centen)"),
    ("cost_per_placement_cents", "Kosten per plaatsing (centen)"),
    ("target_placements", "Doel plaatsingen"),
    ("bonus_malus_cents", "Bonus/malus (centen)"),
    ("satisfaction", "Tevredenheid"),
    ("satisfaction_n", "N tevredenheid"),
    ("small_n", "Kleine groep (N < 10)"),
]


def rows_for_export(figures: list[Figures]) -> list[list]:
    return [[getattr(f, name) for name, _ in COLUMNS] for f in figures]
