"""Indicators of the theme 'who gets offered what' (selectie aan de poort, seed 003): of the people
on benefit in a period, who was offered something, by Sol group, ladder rung, age band, sex and
months on benefit (see base.py).

All five report one population broken down in different ways, so they share `total_key`: the
suppression treats their totals as one figure.
"""

import pandas as pd
from django.utils.translation import gettext_lazy as _

from maatpak.insights.indicators.base import TOTAL_KEY, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.insights.indicators.population import breakdown_values, id_set, on_benefit
from maatpak.insights.indicators.services import dates_in_period, referrals, started_instruments

OFFERS = "offers"

DEFINITION = _(
    "Of the people on benefit at some day of the period, those who were offered something in the period: a referral to a "
    "provider proposed in the period (also when it was declined later), or an instrument that started in the period on the "
    "plan in force of their trajectory. A change of plan that is not agreed yet does not count. People are grouped by "
    "their situation on the last day of the period, or on the day their benefit ended if that came first."
)
NUMERATOR = _("People on benefit who were offered a referral or an instrument in the period")
DENOMINATOR = _("People on benefit in the period")
PERIOD_RULE = _("On benefit at some day of the period; the referral was proposed, or the instrument started, in the period.")
READS = (
    "participants.Benefit.start_date",
    "participants.Benefit.end_date",
    "trajectories.Referral.proposed_on",
    "trajectories.PlannedInstrument.start_date",
    "trajectories.PlanVersion.agreed_on",
)
SENTENCE = _("In {period} {count} of the {base} people on benefit were offered something ({share}).")


def offered_people(facts: Facts, period: Period) -> frozenset[int]:
    """Participants offered something in `period`: a referral proposed in it, or an instrument
    started in it on the plan in force (load with `facts.load(offered_people, period)`)."""
    frame = facts.load(referrals)
    proposed = frame.loc[dates_in_period(frame["proposed_on"], facts, period), "participant_id"]
    started = started_instruments(facts, period)["participant_id"]
    return id_set(pd.concat([proposed, started]).unique())


def _offers_by(column: str, facts: Facts, period: Period) -> Table:
    """People on benefit (Row.base) and of them those offered something (Row.count), per value
    of `column` of `population.on_benefit`; the rows partition the people on benefit."""
    people = facts.load(on_benefit, period)
    offered = people["participant_id"].isin(facts.load(offered_people, period)).to_numpy()
    values = people[column].to_numpy()
    ids = people["participant_id"].to_numpy()
    rows = []
    for value, label in breakdown_values(column):
        in_group = values == value
        hits = id_set(ids[in_group & offered])
        rows.append(Row(str(value), str(label), len(hits), base=int(in_group.sum()), people=hits))
    everyone = id_set(ids[offered])
    return Table(rows=rows, total=Row(TOTAL_KEY, str(_("Total")), len(everyone), base=len(people), people=everyone))


def _definition(**fields):
    return indicator(
        theme=Theme.SELECTION,
        definition=DEFINITION,
        numerator=NUMERATOR,
        denominator=DENOMINATOR,
        period_rule=PERIOD_RULE,
        sentence=SENTENCE,
        unit=Unit.PEOPLE,
        total_key=OFFERS,
        **fields,
    )


@_definition(
    code="offers_by_sol_group",
    title=_("Offers by Sol group"),
    reads=(*READS, "participants.SolAssessment.group", "participants.SolAssessment.assessed_on"),
    breakdown=_("Sol group"),
)
def offers_by_sol_group(facts: Facts, period: Period) -> Table:
    return _offers_by("sol_group", facts, period)


@_definition(
    code="offers_by_ladder_rung",
    title=_("Offers by ladder rung"),
    reads=(*READS, "participants.LadderAssessment.rung", "participants.LadderAssessment.assessed_on"),
    breakdown=_("Ladder rung"),
)
def offers_by_ladder_rung(facts: Facts, period: Period) -> Table:
    return _offers_by("ladder_rung", facts, period)


@_definition(
    code="offers_by_age_band",
    title=_("Offers by age"),
    reads=(*READS, "participants.Participant.birth_date"),
    breakdown=_("Age"),
)
def offers_by_age_band(facts: Facts, period: Period) -> Table:
    return _offers_by("age_band", facts, period)


@_definition(
    code="offers_by_sex",
    title=_("Offers by sex"),
    reads=(*READS, "participants.Participant.sex"),
    breakdown=_("Sex"),
)
def offers_by_sex(facts: Facts, period: Period) -> Table:
    return _offers_by("sex", facts, period)


@_definition(
    code="offers_by_months_on_benefit",
    title=_("Offers by time on benefit"),
    reads=READS,
    breakdown=_("Months on benefit"),
)
def offers_by_months_on_benefit(facts: Facts, period: Period) -> Table:
    return _offers_by("months_band", facts, period)
