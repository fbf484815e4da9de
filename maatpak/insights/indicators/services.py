"""Indicators of the theme 'services offered' (dienstverlening): which instruments were started,
whom they reached, what was bought from which provider and for whom (see base.py).

Instruments are counted on the plan in force of each trajectory
(`PlanVersion.objects.in_force_first()`): a revision copies the instruments of the version
before, so counting every version would count one instrument twice.
"""

from types import SimpleNamespace

import pandas as pd
from django.utils.translation import gettext_lazy as _

from maatpak.insights.indicators.base import TOTAL_KEY, AmountKind, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.insights.indicators.population import UNKNOWN, assessments_by_day, breakdown_values, id_set, in_period, sol_assessments, stamp
from maatpak.insights.indicators.population import _frame as population_frame
from maatpak.insights.monitoring import referral_cost_cents
from maatpak.providers.models import Provider
from maatpak.trajectories.models import Instrument, InstrumentCluster, PlannedInstrument, PlanVersion, Referral, ReferralStatus

# --- loaders ----------------------------------------------------------------------------------


def _frame(queryset, columns: dict[str, str], dates=()) -> pd.DataFrame:
    """One `.values_list()` query as a frame (`population._frame`); `columns` maps frame column
    → query field. Date columns become datetime64 (NaT for none), so a period is one vectorised
    comparison."""
    frame = population_frame(queryset, list(columns.values()), dates=[columns[column] for column in dates])
    return frame.set_axis(list(columns), axis=1)


def plans_in_force(facts: Facts) -> pd.DataFrame:
    """The plan in force (geldende plan) of each trajectory on `facts.today`: trajectory_id,
    plan_id, participant_id. Only agreed versions are candidates: a revision agreed after
    `today` was still being agreed on it, and a trajectory whose first version was never agreed
    (a draft) has no plan anything could start on."""
    versions = PlanVersion.objects.filter(municipality_id__in=facts.municipality_ids, agreed_on__lte=facts.today).in_force_first()
    frame = _frame(versions, {"trajectory_id": "trajectory_id", "plan_id": "id", "participant_id": "trajectory__participant_id"})
    # in_force_first() orders every trajectory's candidates the same way: its first row is in force.
    return frame.drop_duplicates("trajectory_id", keep="first")


def instruments_in_force(facts: Facts) -> pd.DataFrame:
    """Planned instruments (inzet van instrumenten) on the plans in force: id, plan_id,
    participant_id, instrument_id, code, cluster, provider_id (NaN without), start_date,
    cost_cents."""
    planned = PlannedInstrument.objects.filter(municipality_id__in=facts.municipality_ids)
    frame = _frame(
        planned,
        {
            "id": "id",
            "plan_id": "plan_id",
            "instrument_id": "instrument_id",
            "provider_id": "provider_id",
            "start_date": "start_date",
            "cost_cents": "cost_cents",
        },
        dates=("start_date",),
    )
    # Participant and catalogue entry are looked up per plan and per instrument, not joined
    # onto every planned instrument.
    plans = facts.load(plans_in_force).set_index("plan_id")["participant_id"]
    catalogue = _frame(
        Instrument.objects.filter(pk__in=planned.values("instrument_id")), {"id": "id", "code": "code", "cluster": "cluster"}
    ).set_index("id")
    frame = frame[frame["plan_id"].isin(plans.index)]
    instrument = frame["instrument_id"]
    return pd.DataFrame(
        {
            "id": frame["id"],
            "plan_id": frame["plan_id"],
            "participant_id": frame["plan_id"].map(plans),
            "instrument_id": instrument,
            "code": instrument.map(catalogue["code"]),
            "cluster": instrument.map(catalogue["cluster"]),
            "provider_id": frame["provider_id"],
            "start_date": frame["start_date"],
            "cost_cents": frame["cost_cents"],
        }
    )


def referrals(facts: Facts) -> pd.DataFrame:
    """Referrals (aanmeldingen) proposed on or before `today`: id, participant_id,
    trajectory_id, provider_id, status, contract_id, price_cents (the contract's price per
    trajectory), proposed_on, started_on (NaT when not started on `today`)."""
    frame = _frame(
        Referral.objects.filter(municipality_id__in=facts.municipality_ids, proposed_on__lte=facts.today),
        {
            "id": "id",
            "participant_id": "trajectory__participant_id",
            "trajectory_id": "trajectory_id",
            "provider_id": "provider_id",
            "status": "status",
            "contract_id": "contract_id",
            "price_cents": "contract__price_per_trajectory_cents",
            "proposed_on": "proposed_on",
            "started_on": "started_on",
        },
        dates=("proposed_on", "started_on"),
    )
    frame.loc[frame["started_on"] > stamp(facts.today), "started_on"] = pd.NaT
    return frame


def started_referrals(facts: Facts) -> pd.DataFrame:
    """Referrals the provider accepted and started (gestart) on or before `today`, with `spend`:
    what the referral cost by the rule of contract monitoring (`insights.monitoring.referral_cost_cents`):
    the contract's price per trajectory, else the recorded cost of that provider's instruments
    on the plan in force."""
    frame = facts.load(referrals)
    started = frame[frame["started_on"].notna() & (frame["status"] != ReferralStatus.DECLINED)].copy()
    plan_of = facts.load(plans_in_force).set_index("trajectory_id")["plan_id"]
    instruments = facts.load(instruments_in_force)
    with_provider = instruments[instruments["provider_id"].notna()]
    instrument_cost = {
        (int(plan), int(provider)): int(total)
        for (plan, provider), total in with_provider.groupby(["plan_id", "provider_id"])["cost_cents"].sum().items()
    }
    started["plan_id"] = started["trajectory_id"].map(plan_of)
    # The rule is called per referral; plain lists rather than itertuples keep that cheap.
    values = zip(
        started["contract_id"].tolist(),
        started["price_cents"].tolist(),
        started["plan_id"].tolist(),
        started["provider_id"].tolist(),
        strict=True,
    )
    started["spend"] = [
        referral_cost_cents(
            SimpleNamespace(
                contract_id=_whole(contract_id),
                contract=SimpleNamespace(price_per_trajectory_cents=_whole(price_cents)),
                plan_id=_whole(plan_id),
                provider_id=int(provider_id),
            ),
            instrument_cost,
        )
        for contract_id, price_cents, plan_id, provider_id in values
    ]
    return started


def _whole(value) -> int | None:
    """A value of an integer column that may be missing (None or NaN) as an int, or None."""
    return None if value is None or value != value else int(value)


def providers(facts: Facts) -> pd.DataFrame:
    """The municipalities' providers (aanbieders), by kind then name: id, name."""
    return _frame(
        Provider.objects.filter(municipality_id__in=facts.municipality_ids).order_by("kind", "name", "id"), {"id": "id", "name": "name"}
    )


def employer_instruments(facts: Facts) -> pd.DataFrame:
    """The employer-side instruments (werkgeversinstrumenten) in the catalogue, one per code:
    code, name. Municipalities of one service organisation share codes, so a code is one row."""
    catalogue = Instrument.objects.filter(municipality_id__in=facts.municipality_ids, cluster=InstrumentCluster.EMPLOYER)
    return _frame(catalogue.order_by("code", "municipality_id"), {"code": "code", "name": "name"}).drop_duplicates("code")


def dates_in_period(dates: pd.Series, facts: Facts, period: Period) -> pd.Series:
    """Which `dates` lie in `period` and are not after `today` (a later date has not come yet)."""
    return in_period(dates, period.start, min(period.end, facts.today))


def started_instruments(facts: Facts, period: Period) -> pd.DataFrame:
    """The instruments on the plans in force that started in `period`."""
    frame = facts.load(instruments_in_force)
    return frame[dates_in_period(frame["start_date"], facts, period)]


def _total(frame: pd.DataFrame, count: int | None = None, amount=None) -> Row:
    """The total row over `frame`'s participants; `count` defaults to them, counted once."""
    people = id_set(frame["participant_id"].unique())
    return Row(TOTAL_KEY, str(_("Total")), len(people) if count is None else count, amount=amount, people=people)


# --- indicators -------------------------------------------------------------------------------


def _instruments_by(started, column: str, categories) -> Table:
    """Instruments started, their spend and their people, per (value, label) of `column`."""
    rows = []
    for value, label in categories:
        part = started[started[column] == value]
        rows.append(
            Row(str(value), str(label), len(part), amount=int(part["cost_cents"].sum()), people=id_set(part["participant_id"].unique()))
        )
    return Table(rows=rows, total=_total(started, len(started), int(started["cost_cents"].sum())))


@indicator(
    code="instruments_started_by_cluster",
    theme=Theme.SERVICES,
    title=_("Instruments started per cluster"),
    definition=_(
        "Instruments that started in the period, per IWI cluster (the five clusters and the employer-side instruments), "
        "on the plan in force of each trajectory. A new version of a plan copies its instruments; they are counted once. "
        "A change of plan that is not agreed yet, and a plan that was never agreed, do not count. "
        "The spend is the cost recorded for these instruments in the plan."
    ),
    numerator=_("Instruments with a start date in the period"),
    denominator="",
    period_rule=_("The start date of the instrument in the plan lies in the period."),
    reads=(
        "trajectories.PlannedInstrument.start_date",
        "trajectories.PlannedInstrument.cost_cents",
        "trajectories.Instrument.cluster",
        "trajectories.PlanVersion.agreed_on",
        "trajectories.Signature.party",
    ),
    sentence=_("In {period} {count} instruments were started, for {amount} in total."),
    unit=Unit.EVENTS,
    breakdown=_("Cluster"),
    amount_kind=AmountKind.CENTS,
    amount_label=_("Spend"),
)
def instruments_started_by_cluster(facts: Facts, period: Period) -> Table:
    return _instruments_by(started_instruments(facts, period), "cluster", InstrumentCluster.choices)


@indicator(
    code="people_reached_by_cluster",
    theme=Theme.SERVICES,
    title=_("People reached per cluster"),
    definition=_(
        "People with at least one instrument that started in the period, per IWI cluster, on the plan in force of their "
        "trajectory. A person with instruments in two clusters counts in both; the total counts every person once."
    ),
    numerator=_("People with an instrument that started in the period"),
    denominator="",
    period_rule=_("The start date of the instrument in the plan lies in the period."),
    reads=(
        "trajectories.PlannedInstrument.start_date",
        "trajectories.Instrument.cluster",
        "trajectories.PlanVersion.agreed_on",
        "trajectories.Signature.party",
    ),
    sentence=_("In {period} {count} people started with an instrument."),
    unit=Unit.PEOPLE,
    breakdown=_("Cluster"),
)
def people_reached_by_cluster(facts: Facts, period: Period) -> Table:
    started = started_instruments(facts, period)
    rows = []
    for value, label in InstrumentCluster.choices:
        people = id_set(started.loc[started["cluster"] == value, "participant_id"].unique())
        rows.append(Row(str(value), str(label), len(people), people=people))
    return Table(rows=rows, total=_total(started), additive=False)


@indicator(
    code="employer_instruments_started",
    theme=Theme.SERVICES,
    title=_("Employer-side instruments started"),
    definition=_(
        "Employer-side instruments (such as wage-cost subsidy or a job coach) that started in the period, per instrument "
        "in the municipality's catalogue, on the plan in force of each trajectory; a copy in a new version of the plan "
        "counts once. The spend is the cost recorded for these instruments in the plan."
    ),
    numerator=_("Employer-side instruments with a start date in the period"),
    denominator="",
    period_rule=_("The start date of the instrument in the plan lies in the period."),
    reads=(
        "trajectories.PlannedInstrument.start_date",
        "trajectories.PlannedInstrument.cost_cents",
        "trajectories.Instrument.cluster",
        "trajectories.Instrument.code",
        "trajectories.PlanVersion.agreed_on",
        "trajectories.Signature.party",
    ),
    sentence=_("In {period} {count} employer-side instruments were started, for {amount} in total."),
    unit=Unit.EVENTS,
    breakdown=_("Instrument"),
    amount_kind=AmountKind.CENTS,
    amount_label=_("Spend"),
)
def employer_instruments_started(facts: Facts, period: Period) -> Table:
    started = started_instruments(facts, period)
    started = started[started["cluster"] == InstrumentCluster.EMPLOYER]
    return _instruments_by(started, "code", list(facts.load(employer_instruments).itertuples(index=False)))


@indicator(
    code="bought_from_providers",
    theme=Theme.SERVICES,
    title=_("Bought from providers"),
    definition=_(
        "People whose referral to a provider started in the period, per provider, with what it cost: the contract's price "
        "per trajectory, or without a price (an in-house team) the cost recorded in the plan for that provider's "
        "instruments. Declined referrals do not count. A person referred to two providers counts with both; the total "
        "counts every person once and adds up the spend."
    ),
    numerator=_("People whose referral started in the period"),
    denominator="",
    period_rule=_("The start date of the referral lies in the period."),
    reads=(
        "trajectories.Referral.started_on",
        "trajectories.Referral.provider",
        "providers.Contract.price_per_trajectory_cents",
        "trajectories.PlannedInstrument.cost_cents",
        "providers.Provider.kind",
    ),
    sentence=_("In {period} {count} people started with a provider, for {amount} in total."),
    unit=Unit.PEOPLE,
    breakdown=_("Provider"),
    amount_kind=AmountKind.CENTS,
    amount_label=_("Spend"),
)
def bought_from_providers(facts: Facts, period: Period) -> Table:
    frame = facts.load(started_referrals)
    started = frame[dates_in_period(frame["started_on"], facts, period)]
    rows = []
    for provider_id, name in facts.load(providers).itertuples(index=False):
        part = started[started["provider_id"] == provider_id]
        people = id_set(part["participant_id"].unique())
        rows.append(Row(str(provider_id), str(name), len(people), amount=int(part["spend"].sum()), people=people))
    return Table(rows=rows, total=_total(started, amount=int(started["spend"].sum())), additive=False)


@indicator(
    code="bought_for_groups",
    theme=Theme.SERVICES,
    title=_("Bought for which groups"),
    definition=_(
        "People whose referral to a provider started in the period, by their Sol group when it started (the latest Sol "
        "assessment on or before that day; 'no Sol assessment' without one), with what their referrals started in the "
        "period cost. A person with two referrals counts once, in the group of their first start in the period."
    ),
    numerator=_("People whose referral started in the period"),
    denominator="",
    period_rule=_("The start date of the referral lies in the period; the Sol group is the one on that day."),
    reads=(
        "trajectories.Referral.started_on",
        "participants.SolAssessment.group",
        "participants.SolAssessment.assessed_on",
        "providers.Contract.price_per_trajectory_cents",
        "trajectories.PlannedInstrument.cost_cents",
    ),
    sentence=_("In {period} {count} people started with a provider, for {amount} in total."),
    unit=Unit.PEOPLE,
    breakdown=_("Sol group"),
    amount_kind=AmountKind.CENTS,
    amount_label=_("Spend"),
)
def bought_for_groups(facts: Facts, period: Period) -> Table:
    frame = facts.load(started_referrals)
    started = frame[dates_in_period(frame["started_on"], facts, period)]
    spend = started.groupby("participant_id")["spend"].sum()
    first = started.sort_values(["started_on", "id"]).drop_duplicates("participant_id")[["participant_id", "started_on"]]
    group_of = _sol_group_on(facts, first)
    rows = []
    for value, label in breakdown_values("sol_group"):
        people = id_set(first.loc[group_of == value, "participant_id"])
        rows.append(Row(str(value), str(label), len(people), amount=int(spend.reindex(list(people)).sum()), people=people))
    return Table(rows=rows, total=_total(first, len(first), int(spend.sum())))


def _sol_group_on(facts: Facts, people: pd.DataFrame) -> pd.Series:
    """Per row of `people` (participant_id, started_on) the group of the latest Sol assessment on
    or before that day, UNKNOWN without one; indexed like `people`."""
    if not len(people):
        return pd.Series([], index=people.index, dtype=object)
    # Sorted once for all periods by (assessed_on, id), as merge_asof needs and ties want.
    assessments = facts.load(assessments_by_day, sol_assessments)
    left = people.reset_index().astype({"participant_id": "int64"}).sort_values("started_on")
    right = assessments.astype({"participant_id": "int64"})[["participant_id", "assessed_on", "group"]]
    # Backward as-of join: per person the last assessment with assessed_on <= started_on.
    merged = pd.merge_asof(left, right, left_on="started_on", right_on="assessed_on", by="participant_id")
    return merged.set_index("index")["group"].reindex(people.index).fillna(UNKNOWN)
