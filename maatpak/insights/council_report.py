"""The council report (rapport voor de cliëntenraad): the indicators of one municipality for one
ended quarter and the quarter before it, after small-cell and complementary suppression, with the
checklist answered from the same figures.

What the council may choose is narrow on purpose, so no two views can be subtracted:
- one whole quarter that has ended (its figures no longer grow with the days), from the last
  eight; the previous quarter is always shown beside it;
- one municipality — a council speaks for its own; a member of a shared service organisation
  chooses which, never "all together", so no sum over municipalities is ever published.
Both periods are computed from ONE `Facts` and protected in ONE `protect()` call: a figure that
appears in both (or in the checklist, or the downloads) is decided once, and the page, the PDF,
the CSV and the XLSX all publish exactly the same protected cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.models import Municipality
from maatpak.accounts.policy import AGGREGATES, require
from maatpak.core.tenancy import municipality_ids_for
from maatpak.insights.checklist import checklist_answers
from maatpak.insights.disclosure import EMPTY, Cell, ProtectedResult, ProtectedRow, protect
from maatpak.insights.indicators import Facts, Indicator, Period, Theme, all_indicators, evaluate_all

# How many ended quarters the council can choose from (two years), as on the feedback page.
PERIODS_OFFERED = 8
# The figures of a row, in the order the tables and exports show them.
COLUMNS = ("count", "base", "share", "amount")


def council_periods(*, today: dt.date) -> list[Period]:
    """The quarters the council may choose: the last eight that have ended, newest first."""
    return Period.ended(today, PERIODS_OFFERED)


def council_municipalities(*, user) -> list[Municipality]:
    """The municipalities whose report `user` may open (their own), by name."""
    return list(Municipality.objects.filter(id__in=municipality_ids_for(user)).order_by("name", "id"))


@dataclass(frozen=True)
class IndicatorTable:
    """One indicator as the council sees it: the chosen and the previous quarter side by side.
    `columns` are the figures the indicator has (count; base and share for a share; amount).
    `lines` pairs each row of the chosen quarter with the same row of the previous one."""

    indicator: Indicator
    current: ProtectedResult
    previous: ProtectedResult
    columns: tuple[str, ...]
    lines: list[tuple[str, ProtectedRow, ProtectedRow]]

    @property
    def headings(self) -> list[tuple[Period, str, str]]:
        """(period, column name, column heading) per figure column: the chosen quarter first."""
        return [
            (result.period, name, column_label(name, self.indicator)) for result in (self.current, self.previous) for name in self.columns
        ]

    @property
    def grid(self) -> list[GridLine]:
        """The table as the council sees it; the page, the PDF and the downloads all print this."""
        return [
            GridLine(
                label=label,
                cells=[getattr(row, name) for row in (now, before) for name in self.columns],
                total=index == len(self.lines) - 1,
            )
            for index, (label, now, before) in enumerate(self.lines)
        ]


@dataclass(frozen=True)
class GridLine:
    """One printed row: its label, the cells of the chosen then the previous quarter, and
    whether it is the total row."""

    label: str
    cells: list[Cell]
    total: bool


def _columns(indicator: Indicator, results: list[ProtectedResult]) -> tuple[str, ...]:
    """Count always; base and share for an indicator with a denominator; amount when it has one
    (also when the definition does not say so but a cell holds one)."""
    rows = [row for result in results for row in (*result.rows, result.total)]
    wanted = {"count"}
    if indicator.denominator:
        wanted |= {"base", "share"}
    if indicator.amount_kind:
        wanted.add("amount")
    wanted |= {name for name in COLUMNS for row in rows if getattr(row, name).status != EMPTY}
    return tuple(name for name in COLUMNS if name in wanted)


def _table(indicator: Indicator, current: ProtectedResult, previous: ProtectedResult) -> IndicatorTable:
    before = {row.key: row for row in previous.rows}
    lines = [(row.label, row, before[row.key]) for row in current.rows if row.key in before]
    lines.append((current.total.label, current.total, previous.total))
    return IndicatorTable(
        indicator=indicator, current=current, previous=previous, columns=_columns(indicator, [current, previous]), lines=lines
    )


def council_report(*, user, period_code: str = "", municipality_id=None, today: dt.date | None = None) -> dict:
    """What the council may see of one municipality and one ended quarter.

    A period that is not offered, or a municipality that is not the user's, is not an error
    page: the report of the default (latest ended quarter, first own municipality) is returned
    with `errors` saying in plain words what was refused. PermissionDenied for a role without
    the report, or a user without a municipality."""
    require(user, AGGREGATES, "view_council_report")
    today = today or timezone.localdate()
    errors = []
    periods = council_periods(today=today)
    period = periods[0]
    if period_code:
        chosen = Period.parse(period_code)
        if chosen in periods:
            period = chosen
        else:
            errors.append(_("Choose one of the quarters in the list. A quarter can be chosen once it has ended."))
    municipalities = council_municipalities(user=user)
    if not municipalities:
        raise PermissionDenied
    municipality = municipalities[0]
    if municipality_id not in (None, ""):
        chosen_id = str(municipality_id)
        match = next((item for item in municipalities if str(item.pk) == chosen_id), None)
        if match is None:
            errors.append(_("You can only see the report of your own municipality. Choose one from the list."))
        else:
            municipality = match
    previous = period.previous()
    indicators = all_indicators()
    # One Facts for both quarters (every table read once), one protect() for everything published.
    facts = Facts(municipality_ids=[municipality.pk], today=today)
    protected = protect(evaluate_all(facts, period, indicators) + evaluate_all(facts, previous, indicators))
    by_key = {(result.indicator.code, result.period): result for result in protected}
    tables = {item.code: _table(item, by_key[(item.code, period)], by_key[(item.code, previous)]) for item in indicators}
    themes = [
        {"code": value, "label": label, "tables": [tables[item.code] for item in indicators if item.theme == value]}
        for value, label in Theme.choices
    ]
    return {
        "period": period,
        "previous": previous,
        "periods": periods,
        "municipality": municipality,
        "municipalities": municipalities,
        "themes": [theme for theme in themes if theme["tables"]],
        "tables": [tables[item.code] for item in indicators],
        "checklist": checklist_answers(municipality_id=municipality.pk, protected=protected, period=period),
        "threshold": getattr(settings, "MAATPAK_COUNCIL_MIN_CELL", 10),
        "errors": errors,
        "today": today,
    }


def column_label(name: str, indicator: Indicator | None = None) -> str:
    """The heading of a figure column (the indicator's own word for its amount, if it has one)."""
    if name == "amount" and indicator is not None and indicator.amount_label:
        return str(indicator.amount_label)
    return {"count": _("Number"), "base": _("Out of"), "share": _("Share"), "amount": _("Amount")}[name]
