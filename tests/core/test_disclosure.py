"""Small-cell and complementary suppression (core.disclosure), checked by an exhaustive attacker
that does not use the integer programme of the implementation."""

import random
import time

import pytest

from maatpak.core.disclosure import HIDDEN, SHOWN, SMALL, Quantity, Sum, feasible_range, suppress


def brute_force(quantities, sums, statuses, *, threshold, bound=None):
    """Every value each unknown figure takes over all integer solutions consistent with what is
    shown, found by trying every combination (backtracking: a relation is checked as soon as all
    its figures have a value). The attacker knows the shown values, the sums, that a SMALL figure
    lies in 1..threshold-1, a HIDDEN one is 0 or >= threshold, an unpublished one >= 0. Values
    are tried up to `bound` (default: the largest figure + threshold; the last unknown of a
    relation only takes the difference it leaves); trying fewer values can
    only find fewer solutions, so ">= 2 values" here holds for the unbounded attacker too."""
    bound = bound if bound is not None else max(q.value for q in quantities) + threshold
    known = {q.key: q.value for q in quantities if q.published and statuses[q.key] == SHOWN}
    unknown = [q for q in quantities if q.key not in known]

    def domain(q):
        if q.published and statuses[q.key] == SMALL:
            return range(1, threshold)
        if q.published:
            return [0, *range(threshold, bound + 1)]
        return range(0, bound + 1)

    # Assign figures that share a relation with assigned ones first, so relations close early.
    order, placed = [], set(known)
    remaining = list(unknown)
    while remaining:
        remaining.sort(
            key=lambda q: -max([sum(key in placed for key in (s.total, *s.parts)) for s in sums if q.key in (s.total, *s.parts)] or [0])
        )
        order.append(remaining.pop(0))
        placed.add(order[-1].key)
    closing = []  # per position: the relations whose last unknown is assigned there
    assigned = set(known)
    for q in order:
        assigned.add(q.key)
        closing.append([s for s in sums if q.key in (s.total, *s.parts) and all(key in assigned for key in (s.total, *s.parts))])
    possible = {q.key: set() for q in unknown}
    values = dict(known)

    def search(position):
        if position == len(order):
            for key in possible:
                possible[key].add(values[key])
            return
        key = order[position].key
        candidates = domain(order[position])
        if closing[position]:  # the last unknown of a relation: only its difference can fit
            total, *parts = closing[position][0].total, *closing[position][0].parts
            forced = sum(values[part] for part in parts) if key == total else values[total] - sum(values[p] for p in parts if p != key)
            candidates = [forced] if forced in candidates else []
        for value in candidates:
            values[key] = value
            if all(values[s.total] == sum(values[part] for part in s.parts) for s in closing[position]):
                search(position + 1)
        values.pop(key, None)

    search(0)
    return possible


def assert_protected(quantities, sums, statuses, *, threshold, bound=None):
    """Every sensitive figure can take at least two values; returns what the attacker sees."""
    possible = brute_force(quantities, sums, statuses, threshold=threshold, bound=bound)
    for q in quantities:
        if q.key in possible:
            assert q.value in possible[q.key], q  # the truth is a solution
        sensitive = statuses.get(q.key) == SMALL or (not q.published and 1 <= q.value < threshold)
        if sensitive:
            assert len(possible[q.key]) >= 2, f"{q.key} ({q.value}) can be worked out: {sorted(possible[q.key])}"
    return possible


def table(name, total, parts):
    """A 1-D table: parts {key: value} adding up to total."""
    quantities = [Quantity((name, "total"), total)] + [Quantity((name, key), value) for key, value in parts.items()]
    return quantities, [Sum((name, "total"), tuple((name, key) for key in parts))]


def share_table(name, rows, *, additive=True):
    """Rows {key: (count, base)} with their unpublished rest (base − count) and a total row."""
    quantities, sums = [], []
    total_count, total_base = sum(c for c, _b in rows.values()), sum(b for _c, b in rows.values())
    for key, (count, base) in {**rows, "total": (total_count, total_base)}.items():
        quantities += [
            Quantity((name, key, "count"), count),
            Quantity((name, key, "base"), base),
            Quantity((name, key, "rest"), base - count, False),
        ]
        sums.append(Sum((name, key, "base"), ((name, key, "count"), (name, key, "rest"))))
    if additive:
        sums.append(Sum((name, "total", "count"), tuple((name, key, "count") for key in rows)))
        sums.append(Sum((name, "total", "base"), tuple((name, key, "base") for key in rows)))
    return quantities, sums


def test_a_cell_of_7_is_small_and_zero_is_shown():
    statuses = suppress([Quantity("a", 7), Quantity("b", 0), Quantity("c", 10), Quantity("d", 9, published=False)], [], threshold=10)
    assert statuses == {"a": SMALL, "b": SHOWN, "c": SHOWN}  # unpublished figures get no status


def test_a_cell_recoverable_from_the_total_gets_the_smallest_complement():
    quantities, sums = table("t", 45, {"a": 7, "b": 12, "c": 26})
    statuses = suppress(quantities, sums, threshold=10)
    # 45 − 12 − 26 would give 7; hiding 12 (the smallest part that can hide it) leaves 7 + x = 19.
    assert statuses == {("t", "total"): SHOWN, ("t", "a"): SMALL, ("t", "b"): HIDDEN, ("t", "c"): SHOWN}
    assert feasible_range(("t", "a"), quantities, sums, statuses, threshold=10) == (1, 9)
    possible = assert_protected(quantities, sums, statuses, threshold=10)
    assert possible[("t", "a")] == set(range(1, 10)) and possible[("t", "b")] == set(range(10, 19))
    # Without the complement the attacker pins it: the audit the implementation relies on sees that.
    naive = {**statuses, ("t", "b"): SHOWN}
    assert feasible_range(("t", "a"), quantities, sums, naive, threshold=10) == (7, 7)
    assert brute_force(quantities, sums, naive, threshold=10)[("t", "a")] == {7}


def test_two_small_cells_protect_each_other_unless_the_pair_is_pinned():
    quantities, sums = table("t", 50, {"a": 4, "b": 5, "c": 41})
    statuses = suppress(quantities, sums, threshold=10)
    assert statuses[("t", "c")] == SHOWN  # 4 + 5 = 9: each can be 1..8
    assert_protected(quantities, sums, statuses, threshold=10)
    # 1 + 1 = 2 leaves only 1 and 1: one more figure must go.
    quantities, sums = table("u", 50, {"a": 1, "b": 1, "c": 48})
    statuses = suppress(quantities, sums, threshold=10)
    assert statuses[("u", "c")] == HIDDEN and statuses[("u", "total")] == SHOWN
    assert_protected(quantities, sums, statuses, threshold=10)


def test_a_large_zero_and_a_hidden_cell_tell_what_hidden_can_be():
    # Hiding the 0 would not help (7 + x = 7 forces x = 0); the 10 is hidden instead.
    quantities, sums = table("t", 17, {"a": 7, "b": 0, "c": 10})
    statuses = suppress(quantities, sums, threshold=10)
    assert statuses == {("t", "total"): SHOWN, ("t", "a"): SMALL, ("t", "b"): SHOWN, ("t", "c"): HIDDEN}
    assert_protected(quantities, sums, statuses, threshold=10)


def test_an_implicit_complement_of_a_share_is_protected():
    # 95 of 100 kept their job tells that 5 did not: the count goes, the base stays.
    quantities, sums = share_table("s", {"kept": (95, 100)}, additive=False)
    statuses = suppress(quantities, sums, threshold=10)
    assert statuses[("s", "kept", "count")] == HIDDEN and statuses[("s", "kept", "base")] == SHOWN
    assert feasible_range(("s", "kept", "rest"), quantities, sums, statuses, threshold=10)[0] == 0
    assert_protected(quantities, sums, statuses, threshold=10)


@pytest.mark.parametrize(
    "rows",
    [
        {"a": (28, 30), "b": (15, 20), "c": (3, 12)},
        {"a": (20, 25), "b": (12, 12), "c": (0, 4)},
        {"a": (9, 12), "b": (30, 31)},
    ],
)
def test_shares_with_implicit_complements_in_an_additive_table(rows):
    quantities, sums = share_table("s", rows)
    statuses = suppress(quantities, sums, threshold=10)
    assert_protected(quantities, sums, statuses, threshold=10)


def test_two_tables_sharing_a_total():
    by_sex, sex_sums = table("sex", 40, {"f": 7, "m": 33})
    by_age, age_sums = table("age", 40, {"young": 3, "middle": 25, "old": 12})
    # One total figure for both breakdowns: the same key.
    quantities = [q for q in by_sex if q.key != ("sex", "total")] + by_age
    sums = [Sum(("age", "total"), s.parts) for s in sex_sums] + age_sums
    statuses = suppress(quantities, sums, threshold=10)
    assert statuses[("sex", "f")] == SMALL and statuses[("sex", "m")] == HIDDEN
    assert statuses[("age", "young")] == SMALL and statuses[("age", "old")] == HIDDEN
    assert statuses[("age", "total")] == SHOWN
    assert_protected(quantities, sums, statuses, threshold=10)


def test_two_periods_side_by_side_each_protected():
    q1, s1 = share_table("Q1", {"a": (8, 30), "b": (22, 25)})
    q2, s2 = share_table("Q2", {"a": (15, 30), "b": (18, 19)})
    quantities, sums = q1 + q2, s1 + s2
    statuses = suppress(quantities, sums, threshold=10)
    assert statuses[("Q1", "a", "count")] == SMALL
    assert_protected(quantities, sums, statuses, threshold=10)
    # Each period decided as if alone.
    assert {k: v for k, v in statuses.items() if k[0] == "Q1"} == suppress(q1, s1, threshold=10)


def test_random_tables_survive_the_exhaustive_attacker():
    generator = random.Random(15)
    for number in range(25):
        rows = {}
        for key in "abc":
            base = generator.randint(0, 24)
            rows[key] = (generator.randint(0, base), base)
        quantities, sums = share_table(number, rows, additive=generator.random() < 0.7)
        statuses = suppress(quantities, sums, threshold=5)
        assert_protected(quantities, sums, statuses, threshold=5)


def test_decisions_are_deterministic_and_per_component():
    first, first_sums = table("a", 45, {"x": 7, "y": 12, "z": 26})
    second, second_sums = share_table("b", {"p": (95, 100), "q": (3, 40)})
    alone = suppress(first, first_sums, threshold=10)
    together = suppress(list(reversed(second + first)), second_sums + list(reversed(first_sums)), threshold=10)
    assert {k: v for k, v in together.items() if k[0] == "a"} == alone
    assert together == suppress(first + second, first_sums + second_sums, threshold=10)
    # The same figure given twice (a table on two pages) is one figure.
    assert suppress(first + first, first_sums + first_sums, threshold=10) == alone


def test_inconsistent_input_is_refused():
    with pytest.raises(ValueError):
        suppress([Quantity("t", 10), Quantity("a", 3)], [Sum("t", ("a",))], threshold=10)
    with pytest.raises(ValueError):
        Quantity("a", -1)
    with pytest.raises(ValueError):
        suppress([Quantity("a", 3), Quantity("a", 4)], [], threshold=10)


def test_a_report_sized_set_is_fast():
    generator = random.Random(3)
    quantities, sums = [], []
    for number in range(60):  # 30 indicators × 2 periods, 6 rows with shares each: ~1,260 figures
        rows = {}
        for key in range(6):
            base = generator.randint(0, 60)
            rows[key] = (generator.randint(0, base), base)
        table_quantities, table_sums = share_table(number, rows)
        quantities += table_quantities
        sums += table_sums
    suppress(quantities[:10], sums[:1], threshold=10)  # warm up the solver import
    start = time.perf_counter()
    statuses = suppress(quantities, sums, threshold=10)
    assert time.perf_counter() - start < 3  # typically ~0.4 s; generous for a shared machine
    assert SMALL in statuses.values() and HIDDEN in statuses.values()
