"""Small-cell and complementary suppression for the council report (onthullingscontrole).

INTERFACE (fixed; the implementation below is being written):

    protect(results: list[Result], *, threshold: int | None = None) -> list[ProtectedResult]

takes every result that one council page and its downloads publish (the chosen period and the
previous one, all indicators, together in ONE call so a figure that appears twice is decided
once) and returns, per result, what may be shown. `threshold` defaults to
settings.MAATPAK_COUNCIL_MIN_CELL (10).
"""

from __future__ import annotations

from dataclasses import dataclass

SHOWN, SMALL, HIDDEN, EMPTY = "shown", "small", "hidden", "empty"


@dataclass(frozen=True)
class Cell:
    """One published figure. `status`: SHOWN (value is the figure), SMALL (fewer than the
    threshold: text "< 10", value None), HIDDEN (complementary suppression: text "×", value
    None) or EMPTY (the indicator has no such figure, e.g. no base: text "", value None).
    `text` is the display text in the active language."""

    status: str
    value: float | int | None
    text: str


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


def protect(results, *, threshold: int | None = None) -> list[ProtectedResult]:
    raise NotImplementedError
