"""One set of indicators (indicatoren), each defined once.

An indicator is a registered function with its definition beside it: what it counts (the
numerator), out of what (the denominator, for a share), how the period applies and which
recorded data it reads. The municipal dashboard, the council report (after small-cell
suppression, `insights.disclosure`), the checklist answers, the statistics deliveries and
`docs/indicators.md` all read this registry; no screen computes a figure of its own.

An indicator computes a `Table` for one `Period` from a `Facts` object: the recorded data of one
or more municipalities, each kind loaded once (one query) and shared by every indicator and
period of a request. A table has breakdown rows (e.g. one per outflow reason) and a total row.
Each row holds a `count` (people or events), optionally a `base` (the denominator of a share)
and an `amount` (money in cents, or an average), and the ids of the participants behind the
count — for the list a team lead may open, never for the council.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class Theme(models.TextChoices):
    """The chapters of the dashboard and the council report, in this order."""

    SERVICES = "services", _("Services offered")
    SELECTION = "selection", _("Who gets offered what")
    OUTCOMES = "outcomes", _("Outflow and results")
    MADE_TO_MEASURE = "made_to_measure", _("Made to measure")
    OBLIGATIONS = "obligations", _("Mutual obligations")
    VOICES = "voices", _("What participants say")


class Unit(models.TextChoices):
    """What `Row.count` counts; suppression protects people, and events about people."""

    PEOPLE = "people", _("people")
    EVENTS = "events", _("times")


class AmountKind(models.TextChoices):
    """What `Row.amount` holds, if anything."""

    NONE = "", _("nothing")
    CENTS = "cents", _("an amount in euros")
    AVERAGE = "average", _("an average")


# --- periods ----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter (kwartaal): 1 January–31 March, and so on. Indicators read dates
    (the day a benefit ended, an instrument started), so a quarter runs from day to day."""

    year: int
    number: int

    @classmethod
    def containing(cls, day: dt.date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_ended(cls, today: dt.date) -> Period:
        """The latest quarter that has ended on `today`: its figures no longer change."""
        return cls.containing(today).previous()

    @classmethod
    def ended(cls, today: dt.date, count: int = 8) -> list[Period]:
        """The quarters the dashboard and the council report offer: the last `count` (two years)
        that have ended on `today`, newest first."""
        latest = cls.last_ended(today)
        return [latest.shifted(-offset) for offset in range(count)]

    @classmethod
    def parse(cls, code: str) -> Period | None:
        """'2026-Q3' → Period(2026, 3); None for anything else (the caller says what to choose)."""
        try:
            year, number = str(code).split("-Q")
            period = cls(int(year), int(number))
        except ValueError:
            return None
        return period if 1 <= period.number <= 4 and 2000 <= period.year <= 9999 else None

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """'3e kwartaal 2026' / 'Q3 2026'."""
        return pgettext("period", "Q%(number)s %(year)s") % {"number": self.number, "year": self.year}

    def previous(self) -> Period:
        return Period(self.year, self.number - 1) if self.number > 1 else Period(self.year - 1, 4)

    def next(self) -> Period:
        return Period(self.year, self.number + 1) if self.number < 4 else Period(self.year + 1, 1)

    def shifted(self, quarters: int) -> Period:
        """The quarter `quarters` later (negative: earlier); -4 is the same quarter a year before."""
        index = self.year * 4 + self.number - 1 + quarters
        return Period(index // 4, index % 4 + 1)

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def trend(self, length: int = 8) -> list[Period]:
        """The last `length` quarters up to and including this one, oldest first."""
        return [self.shifted(-offset) for offset in range(length - 1, -1, -1)]


# --- the data ---------------------------------------------------------------------------------


class Facts:
    """The recorded data the indicators read, for a set of municipalities.

    Each kind of data is a *loader*: a module-level function `loader(facts) -> value` (mostly a
    pandas DataFrame from one `.values()` query filtered on `facts.municipality_ids`).
    `facts.load(loader)` runs it once and keeps the result, so twenty indicators over ten
    quarters still read every table once. `today` is the reference day: facts recorded later
    (in tests, or when a period is recomputed) are not known yet on it.
    """

    def __init__(self, *, municipality_ids, today: dt.date):
        self.municipality_ids = sorted(municipality_ids)
        self.today = today
        self._loaded: dict[tuple, object] = {}

    def load(self, loader: Callable[..., object], *args):
        """`loader(self, *args)`, computed once per arguments (e.g. per period)."""
        key = (loader, *args)
        if key not in self._loaded:
            self._loaded[key] = loader(self, *args)
        return self._loaded[key]


# --- results ----------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a table. `key` is stable (a choice value, an id); `label` is for people.

    `count` is the numerator (people or events), `base` the denominator of a share (None when
    the figure is a count), `amount` money in cents or an average (None when the indicator has
    none). `people` are the participant ids behind `count`: for the list behind a figure."""

    key: str
    label: str
    count: int
    base: int | None = None
    amount: float | int | None = None
    people: frozenset[int] = field(default_factory=frozenset, repr=False)

    @property
    def share(self) -> float | None:
        return self.count / self.base if self.base else None


TOTAL_KEY = "total"


@dataclass
class Table:
    """What an indicator's function returns. With `additive`, the rows split the total: the
    total's count (and base, if any) is the sum of the rows'. Without it the rows are separate
    measures or may overlap (one person reached by two clusters), and the total is its own
    figure (e.g. distinct people)."""

    rows: list[Row]
    total: Row
    additive: bool = True


@dataclass
class Result:
    indicator: Indicator
    period: Period
    table: Table

    @property
    def rows(self) -> list[Row]:
        return self.table.rows

    @property
    def total(self) -> Row:
        return self.table.total


# --- definitions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """The definition of one indicator; the texts are what the dashboard, the council report
    and docs/indicators.md show beside the figure.

    `sentence` is the plain-Dutch answer the checklist gives with it; it may use {count},
    {base}, {share}, {amount} and {period} (the total row's figures, as the council may see
    them). `total_key`: indicators that report one population broken down in different ways
    (offers by Sol group, by age band, ...) share it, so their totals are the same figure for
    suppression. `drill_down`: whether the list of people behind a figure makes sense (not for
    reactions, which hold no identity)."""

    code: str
    theme: str
    title: Promise | str
    definition: Promise | str
    numerator: Promise | str
    denominator: Promise | str
    period_rule: Promise | str
    reads: tuple[str, ...]
    sentence: Promise | str
    compute: Callable[[Facts, Period], Table]
    unit: str = Unit.PEOPLE
    breakdown: Promise | str = ""
    amount_kind: str = AmountKind.NONE
    amount_label: Promise | str = ""
    total_key: str = ""
    drill_down: bool = True

    def get_unit_display(self) -> str:
        return str(Unit(self.unit).label)

    @property
    def shared_total_key(self) -> str:
        return self.total_key or self.code

    def evaluate(self, facts: Facts, period: Period) -> Result:
        return Result(indicator=self, period=period, table=self.compute(facts, period))


REGISTRY: dict[str, Indicator] = {}


def indicator(**definition) -> Callable[[Callable[[Facts, Period], Table]], Callable[[Facts, Period], Table]]:
    """Register the decorated function as an indicator; the keyword arguments are the
    `Indicator` fields besides `compute`. Codes are unique."""

    def register(compute):
        item = Indicator(compute=compute, **definition)
        if item.code in REGISTRY:
            raise ValueError(f"Indicator {item.code} is defined twice")
        REGISTRY[item.code] = item
        return compute

    return register


def all_indicators() -> list[Indicator]:
    """Every indicator, by theme in the order of `Theme`, then in the order defined."""
    _load_definitions()
    order = {value: index for index, value in enumerate(Theme.values)}
    return sorted(REGISTRY.values(), key=lambda item: order[item.theme])


def get_indicator(code: str) -> Indicator | None:
    _load_definitions()
    return REGISTRY.get(code)


def evaluate_all(facts: Facts, period: Period, indicators: list[Indicator] | None = None) -> list[Result]:
    return [item.evaluate(facts, period) for item in (indicators or all_indicators())]


def _load_definitions():
    # The definitions register themselves on import; importing here keeps callers from
    # depending on which module holds which indicator.
    from maatpak.insights.indicators import made_to_measure, obligations, outcomes, selection, services, voices  # noqa: F401
