"""Indicators of the theme 'outflow and results' (uitstroom en resultaat), see base.py."""

from django.utils.translation import gettext_lazy as _

from maatpak.insights.indicators.base import TOTAL_KEY, Facts, Period, Row, Table, Theme, Unit, indicator
from maatpak.insights.indicators.population import benefit_spells
from maatpak.participants.models import BenefitEndReason


@indicator(
    code="inflow",
    theme=Theme.OUTCOMES,
    title=_("Inflow into benefit"),
    definition=_(
        "People whose benefit started in the period. A person who had no benefit on the day before counts; "
        "moving from one benefit straight to another (e.g. IOAW to Participatiewet) is no inflow."
    ),
    numerator=_("People with a benefit that started in the period"),
    denominator="",
    period_rule=_("The start date of the benefit lies in the period."),
    reads=("participants.Benefit.start_date", "participants.Benefit.end_date"),
    sentence=_("In {period} {count} people started on benefit."),
)
def inflow(facts: Facts, period: Period) -> Table:
    spells = facts.load(benefit_spells)
    people = frozenset(int(pid) for pid in spells.loc[spells["start_date"].map(period.contains), "participant_id"])
    return Table(rows=[], total=Row(TOTAL_KEY, str(_("Total")), len(people), people=people))


@indicator(
    code="outflow_by_reason",
    theme=Theme.OUTCOMES,
    title=_("Outflow from benefit by reason"),
    definition=_(
        "Benefits that ended in the period, by the reason recorded when the benefit was ended, in Divosa's benchmark categories. "
        "A benefit followed straight away by another benefit is no outflow."
    ),
    numerator=_("Benefits ended in the period, per reason"),
    denominator="",
    period_rule=_("The end date of the benefit lies in the period."),
    reads=("participants.Benefit.end_date", "participants.Benefit.end_reason"),
    sentence=_("In {period} {count} people left the benefit."),
    breakdown=_("Reason"),
    unit=Unit.PEOPLE,
)
def outflow_by_reason(facts: Facts, period: Period) -> Table:
    spells = facts.load(benefit_spells)
    by_reason: dict[str, set[int]] = {}
    for row in spells[spells["end_date"].map(period.contains)].itertuples():
        by_reason.setdefault(row.end_reason or BenefitEndReason.OTHER, set()).add(int(row.participant_id))
    rows = [
        Row(str(value), str(label), len(by_reason.get(value, ())), people=frozenset(by_reason.get(value, ())))
        for value, label in BenefitEndReason.choices
    ]
    everyone = frozenset().union(*(row.people for row in rows))
    return Table(rows=rows, total=Row(TOTAL_KEY, str(_("Total")), sum(row.count for row in rows), people=everyone))
