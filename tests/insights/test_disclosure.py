"""The council's view of indicator results (insights.disclosure.protect) on hand-made results."""

import pytest
from django.utils import translation

from maatpak.core.disclosure import Quantity, Sum
from maatpak.insights.disclosure import EMPTY, HIDDEN, SHOWN, SMALL, legend, protect
from maatpak.insights.indicators import TOTAL_KEY, AmountKind, Indicator, Period, Result, Row, Table, Theme
from tests.core.test_disclosure import brute_force

Q1, Q2 = Period(2026, 1), Period(2026, 2)


def make_indicator(code, **extra):
    return Indicator(
        code=code,
        theme=Theme.SERVICES,
        title=code,
        definition="-",
        numerator="-",
        denominator="",
        period_rule="-",
        reads=("-",),
        sentence="-",
        compute=lambda facts, period: None,
        **extra,
    )


def result(indicator, period, rows, *, total=None, additive=True):
    rows = [Row(key, key, *values) for key, *values in rows]
    if total is None:
        bases = [row.base for row in rows]
        amounts = [row.amount for row in rows]
        total = Row(
            TOTAL_KEY,
            "Total",
            sum(row.count for row in rows),
            None if None in bases else sum(bases),
            None if None in amounts else sum(amounts),
        )
    return Result(indicator=indicator, period=period, table=Table(rows=rows, total=total, additive=additive))


def cells(protected):
    return {row.key: row for row in [*protected.rows, protected.total]}


def test_texts_in_dutch_small_hidden_and_empty():
    spend = make_indicator("spend", amount_kind=AmountKind.CENTS)
    data = result(spend, Q1, [("a", 7, None, 1_050), ("b", 1234, None, 123_456_78), ("c", 12, None, 9_999)])
    with translation.override("nl"):
        [protected] = protect([data], threshold=10)
        rows = cells(protected)
        assert (rows["a"].count.status, rows["a"].count.text, rows["a"].count.value) == (SMALL, "< 10", None)
        assert (rows["c"].count.status, rows["c"].count.text, rows["c"].count.value) == (HIDDEN, "×", None)
        assert (rows["b"].count.text, rows["b"].count.value) == ("1.234", 1234)
        assert rows["b"].amount.text == "€ 123.456,78"
        assert rows[TOTAL_KEY].count.text == "1.253"
        # No base: base and share are empty.
        assert (rows["b"].base.status, rows["b"].base.text, rows["b"].share.status) == (EMPTY, "", EMPTY)
        # Amounts follow their count: the spend on 7 people and on the complement are not shown
        # ("×": "< 10" in a euro column would read as "less than 10 euros").
        assert (rows["a"].amount.status, rows["a"].amount.text, rows["a"].amount.value) == (HIDDEN, "×", None)
        assert (rows["c"].amount.status, rows["c"].amount.text) == (HIDDEN, "×")
        assert [symbol for symbol, _text in protected.legend] == ["< 10", "×"]
        assert "Minder dan 10" in protected.legend[0][1]
    with translation.override("en"):
        [protected] = protect([data], threshold=10)
        assert cells(protected)["b"].count.text == "1,234"


def test_shares_are_percentages_and_hidden_when_a_part_is_hidden():
    kept = make_indicator("kept_job")
    data = result(kept, Q1, [("six", 95, 100), ("twelve", 30, 40), ("none", 0, 0)], additive=False, total=Row(TOTAL_KEY, "Total", 60, 80))
    with translation.override("nl"):
        [protected] = protect([data], threshold=10)
    rows = cells(protected)
    # 95 of 100 would tell that 5 did not keep their job: the count and its share go.
    assert rows["six"].count.status == HIDDEN and rows["six"].base.status == SHOWN and rows["six"].share.status == HIDDEN
    assert (rows["twelve"].share.status, rows["twelve"].share.value, rows["twelve"].share.text) == (SHOWN, 0.75, "75,0%")
    assert rows["none"].share.status == EMPTY  # 0 of 0: no share
    assert (rows[TOTAL_KEY].share.text, rows[TOTAL_KEY].base.text) == ("75,0%", "80")


def test_a_small_base_hides_the_share_and_average_amounts_follow_the_count():
    durations = make_indicator("durations", amount_kind=AmountKind.AVERAGE)
    data = result(durations, Q1, [("a", 3, 4, 2.5), ("b", 40, 50, 7.25)], total=Row(TOTAL_KEY, "Total", 43, 54, 6.9))
    with translation.override("nl"):
        [protected] = protect([data], threshold=10)
    rows = cells(protected)
    assert rows["a"].base.status == SMALL and rows["a"].share.status == HIDDEN and rows["a"].amount.status == HIDDEN
    assert rows["b"].count.status != SHOWN or rows["b"].base.status != SHOWN  # else 43 − 40 = 3 and 54 − 50 = 4
    assert rows["b"].amount.status == (SHOWN if rows["b"].count.status == SHOWN else HIDDEN)


def test_indicators_sharing_a_total_decide_it_once_and_periods_side_by_side():
    by_sex = make_indicator("offers_by_sex", total_key="offers")
    by_age = make_indicator("offers_by_age", total_key="offers")
    results = [
        result(by_sex, Q1, [("f", 7, None), ("m", 33, None)]),
        result(by_age, Q1, [("young", 15, None), ("old", 25, None)]),
        result(by_sex, Q2, [("f", 20, None), ("m", 30, None)]),
        result(by_age, Q2, [("young", 2, None), ("old", 48, None)]),
    ]
    protected = protect(results, threshold=10)
    first, second, third, fourth = (cells(item) for item in protected)
    assert first["f"].count.status == SMALL and first["m"].count.status == HIDDEN
    assert first[TOTAL_KEY].count == second[TOTAL_KEY].count and first[TOTAL_KEY].count.value == 40
    assert third["f"].count.status == SHOWN and fourth["young"].count.status == SMALL and fourth["old"].count.status == HIDDEN
    # The previous period alone gets the same decisions as on the full page.
    alone = protect(results[2:], threshold=10)
    assert [cells(item) for item in alone] == [third, fourth]


def test_nothing_shown_can_be_used_to_recover_a_small_cell():
    """The attacker reads every protected cell of both periods (page and CSV hold the same cells),
    knows how additive tables add up and that a share is count/base, and tries every combination."""
    reasons = make_indicator("outflow_by_reason")
    kept = make_indicator("kept_job")
    results = [
        result(reasons, Q1, [("work", 22, None), ("moved", 7, None), ("other", 14, None)]),
        result(reasons, Q2, [("work", 30, None), ("moved", 12, None), ("other", 3, None)]),
        result(kept, Q1, [("six", 18, 20), ("twelve", 10, 19)]),
        result(kept, Q2, [("six", 12, 21), ("twelve", 20, 20)]),
    ]
    protected = protect(results, threshold=10)
    # Rebuild the attacker's knowledge from the protected cells only.
    quantities, sums, statuses = [], [], {}
    for raw, shown in zip(results, protected, strict=True):
        name = (raw.indicator.code, raw.period.code)
        for row, cell in zip([*raw.rows, raw.total], [*shown.rows, shown.total], strict=True):
            for field, value in (("count", row.count), ("base", row.base)):
                if value is None:
                    continue
                key = (*name, row.key, field)
                quantities.append(Quantity(key, value))
                statuses[key] = getattr(cell, field).status
            if row.base is not None:
                quantities.append(Quantity((*name, row.key, "rest"), row.base - row.count, published=False))
                sums.append(Sum((*name, row.key, "base"), ((*name, row.key, "count"), (*name, row.key, "rest"))))
                if cell.share.status == SHOWN:  # a shown share with a hidden count must not exist
                    assert cell.count.status == SHOWN and cell.base.status == SHOWN
        if raw.table.additive:
            sums.append(Sum((*name, TOTAL_KEY, "count"), tuple((*name, row.key, "count") for row in raw.rows)))
            if raw.total.base is not None:
                sums.append(Sum((*name, TOTAL_KEY, "base"), tuple((*name, row.key, "base") for row in raw.rows)))
    assert statuses[("outflow_by_reason", "2026-Q1", "moved", "count")] == SMALL
    possible = brute_force(quantities, sums, statuses, threshold=10)
    sensitive = [q for q in quantities if statuses.get(q.key) == SMALL or (not q.published and 1 <= q.value < 10)]
    assert len(sensitive) >= 4
    for quantity in sensitive:
        assert len(possible[quantity.key]) >= 2, quantity
    # Without complementary suppression the same attacker does recover a cell: the test has teeth.
    naive = {key: SHOWN if status == HIDDEN else status for key, status in statuses.items()}
    assert HIDDEN in statuses.values()
    recovered = brute_force(quantities, sums, naive, threshold=10)
    assert any(len(recovered[quantity.key]) == 1 for quantity in sensitive)


def test_threshold_comes_from_the_settings(settings):
    settings.MAATPAK_COUNCIL_MIN_CELL = 5
    data = result(make_indicator("inflow"), Q1, [], total=Row(TOTAL_KEY, "Total", 7))
    [protected] = protect([data])
    assert protected.total.count.status == SHOWN and protected.threshold == 5
    [protected] = protect([data], threshold=8)
    assert protected.total.count.text == "< 8" and legend([protected])[0][0] == "< 8"


def test_indicators_that_share_a_total_must_agree_on_it():
    results = [
        result(make_indicator("a", total_key="same"), Q1, [("x", 20, None)]),
        result(make_indicator("b", total_key="same"), Q1, [("y", 21, None)]),
    ]
    with pytest.raises(ValueError):
        protect(results, threshold=10)
