"""The indicators (see base.py): definitions per theme, computed from recorded data."""

from maatpak.insights.indicators.base import (
    REGISTRY,
    TOTAL_KEY,
    AmountKind,
    Facts,
    Indicator,
    Period,
    Result,
    Row,
    Table,
    Theme,
    Unit,
    all_indicators,
    evaluate_all,
    get_indicator,
    indicator,
)

__all__ = [
    "REGISTRY",
    "TOTAL_KEY",
    "AmountKind",
    "Facts",
    "Indicator",
    "Period",
    "Result",
    "Row",
    "Table",
    "Theme",
    "Unit",
    "all_indicators",
    "evaluate_all",
    "get_indicator",
    "indicator",
]
