"""Small-cell and complementary suppression for the council report (onthullingscontrole).

    protect(results: list[Result], *, threshold: int | None = None) -> list[ProtectedResult]

takes every result that one council page and its downloads publish (the chosen period and the
previous one, all indicators, together in ONE call so a figure that appears twice is decided
once) and returns, per result, what may be shown. `threshold` defaults to
settings.MAATPAK_COUNCIL_MIN_CELL (10).

The figures become `core.disclosure` quantities (see there for the attacker model):
- per row its count; with a base also the base and the unpublished rest (base − count: "95 of
  100 kept their job" tells that 5 did not), with base = count + rest;
- for an additive table: total count = the sum of the row counts (and the same for the bases).
Keys are (indicator code, period, row key, field); a total row is keyed by the indicator's
`shared_total_key`, so indicators breaking down one population share one total figure.
An amount (money, an average) is shown only when its row's count is, and a share only when its
count and base both are: so a hidden number of people is never shown in another form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from maatpak.core.disclosure import HIDDEN, SHOWN, SMALL, Quantity, Sum, suppress
from maatpak.insights.indicators.base import TOTAL_KEY, AmountKind

EMPTY = "empty"

__all__ = ["EMPTY", "HIDDEN", "SHOWN", "SMALL", "Cell", "ProtectedResult", "ProtectedRow", "legend", "protect"]

HIDDEN_TEXT = "×"


@dataclass(frozen=True)
class Cell:
    """One published figure. `status`: SHOWN (value is the figure), SMALL (fewer than the
    threshold: text "< 10", value None), HIDDEN (complementary suppression: text "×", value
    None) or EMPTY (the indicator has no such figure, e.g. no base: text "", value None).
    `text` is the display text in the active language. A share's value is a fraction (0.25),
    its text a percentage ("25,0%"); an amount in cents has the text in euros ("€ 12,50")."""

    status: str
    value: float | int | None
    text: str

    @property
    def shown(self) -> bool:
        return self.status == SHOWN


@dataclass(frozen=True)
class ProtectedRow:
    key: str
    label: str
    count: Cell
    base: Cell
    share: Cell
    amount: Cell


@dataclass(frozen=True)
class ProtectedResult:
    indicator: object  # insights.indicators.Indicator
    period: object  # insights.indicators.Period
    rows: list[ProtectedRow]
    total: ProtectedRow
    threshold: int = 10

    @property
    def statuses(self) -> set[str]:
        """The statuses of all cells of this result (to decide which legend lines it needs)."""
        return {cell.status for row in [*self.rows, self.total] for cell in (row.count, row.base, row.share, row.amount)}

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(symbol, explanation) for each kind of protected cell in this result."""
        return legend([self])


def legend(results: list[ProtectedResult]) -> list[tuple[str, str]]:
    """(symbol, explanation) for the kinds of protected cells that occur in `results`, for the
    legend under a table or a page."""
    statuses = set().union(*(result.statuses for result in results)) if results else set()
    threshold = results[0].threshold if results else settings.MAATPAK_COUNCIL_MIN_CELL
    lines = []
    if SMALL in statuses:
        lines.append(
            (
                _small_text(threshold),
                _("Fewer than %(threshold)s. The exact number is not shown, so that nobody can be recognised.") % {"threshold": threshold},
            )
        )
    if HIDDEN in statuses:
        lines.append((HIDDEN_TEXT, _("Not shown, so that a small number cannot be worked out from the other numbers.")))
    return lines


def _small_text(threshold: int) -> str:
    return f"< {number_format(threshold)}"


def _key(result, row, field: str) -> tuple[str, str, str, str]:
    owner = result.indicator.shared_total_key if row is result.total else result.indicator.code
    return (owner, result.period.code, row.key if row is not result.total else TOTAL_KEY, field)


def _quantities(results) -> tuple[list[Quantity], list[Sum]]:
    quantities: list[Quantity] = []
    sums: list[Sum] = []
    for result in results:
        for row in [*result.rows, result.total]:
            count = _key(result, row, "count")
            quantities.append(Quantity(count, int(row.count)))
            if row.base is None:
                continue
            base = _key(result, row, "base")
            quantities.append(Quantity(base, int(row.base)))
            if row.count <= row.base:  # a count above its base is no share; nothing to complement
                rest = _key(result, row, "rest")
                quantities.append(Quantity(rest, int(row.base) - int(row.count), published=False))
                sums.append(Sum(base, (count, rest)))
        if result.table.additive and result.rows:
            sums.append(Sum(_key(result, result.total, "count"), tuple(_key(result, row, "count") for row in result.rows)))
            if result.total.base is not None and all(row.base is not None for row in result.rows):
                sums.append(Sum(_key(result, result.total, "base"), tuple(_key(result, row, "base") for row in result.rows)))
    return quantities, sums


def _number(value) -> str:
    return number_format(value, force_grouping=True)


def _protected_cell(status: str, value, text: str, threshold: int) -> Cell:
    if status == SHOWN:
        return Cell(SHOWN, value, text)
    return Cell(status, None, _small_text(threshold) if status == SMALL else HIDDEN_TEXT)


def _amount_text(indicator, amount) -> str:
    if indicator.amount_kind == AmountKind.CENTS:
        return f"€ {number_format(amount / 100, 2, force_grouping=True)}"
    return number_format(amount, 1, force_grouping=True)


def _protected_row(result, row, statuses, threshold: int) -> ProtectedRow:
    empty = Cell(EMPTY, None, "")
    count_status = statuses[_key(result, row, "count")]
    count = _protected_cell(count_status, row.count, _number(row.count), threshold)
    base = share = empty
    if row.base is not None:
        base = _protected_cell(statuses[_key(result, row, "base")], row.base, _number(row.base), threshold)
        # Whether a share exists (base 0) would tell something about a hidden base or count.
        if not (count.shown and base.shown):
            share = Cell(HIDDEN, None, HIDDEN_TEXT)
        elif row.base:
            share = Cell(SHOWN, row.share, f"{number_format(100 * row.share, 1)}%")
    amount = empty
    if result.indicator.amount_kind != AmountKind.NONE and (row.amount is not None or not count.shown):
        text = _amount_text(result.indicator, row.amount) if row.amount is not None else ""
        # "< 10" in a euro or average column would read as "less than 10 euros": an amount
        # behind a suppressed count is simply not shown.
        amount = _protected_cell(SHOWN if count_status == SHOWN else HIDDEN, row.amount, text, threshold)
    return ProtectedRow(key=row.key, label=row.label, count=count, base=base, share=share, amount=amount)


def protect(results, *, threshold: int | None = None) -> list[ProtectedResult]:
    """What the council may see of `results` (all published together), in the same order."""
    threshold = settings.MAATPAK_COUNCIL_MIN_CELL if threshold is None else int(threshold)
    results = list(results)
    quantities, sums = _quantities(results)
    statuses = suppress(quantities, sums, threshold=threshold)
    return [
        ProtectedResult(
            indicator=result.indicator,
            period=result.period,
            rows=[_protected_row(result, row, statuses, threshold) for row in result.rows],
            total=_protected_row(result, result.total, statuses, threshold),
            threshold=threshold,
        )
        for result in results
    ]
