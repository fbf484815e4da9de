"""Small-cell and complementary suppression of published figures (onthullingscontrole), generic.

A set of non-negative integer figures (`Quantity`, people or events about people) is published
together with the relations between them (`Sum`: a total is the sum of its parts). `suppress`
decides per published figure whether it is SHOWN, SMALL (primary suppression: 1 <= value <
threshold, displayed as "< threshold") or HIDDEN (complementary suppression: displayed as "×").
A 0 is shown: it reveals nobody.

Attacker model (what a reader of every page, download and period knows):
- every SHOWN value and every `Sum`;
- that every figure is a non-negative integer;
- that a SMALL figure lies in 1..threshold-1;
- the rule of primary suppression, so that a HIDDEN figure is 0 or >= threshold (any published
  figure in 1..threshold-1 would have been SMALL); the reader does not know which.
- nothing about an unpublished figure (`published=False`, e.g. the complement base − count of a
  share: "95 of 100 kept their job" publishes that 5 did not) beyond the relations it is in.

A sensitive figure (SMALL, or unpublished with 1 <= value < threshold) is safe when the attacker
cannot pin it down: its minimum and maximum over all integer solutions consistent with the above
differ. This is checked exactly with an integer programme (scipy's `milp`, HiGHS); the `0 or >=
threshold` domain of a HIDDEN figure is modelled with one binary variable. To keep the programme
bounded every unknown is capped at U = (the sum of all values in its component) + threshold; the
cap only removes solutions, so a figure found safe is safe for the uncapped attacker too.

While a sensitive figure is pinned, one more figure is hidden: among the SHOWN figures in the
relations that are linked to the pinned figure through unknown figures, prefer one that is not a
grand total (a total that is no part of anything), then one that is not 0 (hiding a 0 rarely
helps), then the smallest value, then the closest relation, then key order. Hiding a figure only
widens what the attacker considers possible, so a figure once found safe stays safe.

Decisions are deterministic and made per connected component (figures linked by sums): the same
table gets the same statuses whether it is protected alone or together with unrelated tables.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"


@dataclass(frozen=True)
class Quantity:
    """A non-negative integer figure about people. `published=False`: implicit, never displayed,
    but it can be worked out from published figures, so it is protected as well."""

    key: Hashable
    value: int
    published: bool = True

    def __post_init__(self):
        if isinstance(self.value, bool) or int(self.value) != self.value or self.value < 0:
            raise ValueError(f"Quantity {self.key!r} must be a non-negative integer, not {self.value!r}")


@dataclass(frozen=True)
class Sum:
    """A published relation: the value of `total` is the sum of the values of `parts`."""

    total: Hashable
    parts: tuple[Hashable, ...]


def _ordered(keys: Iterable[Hashable]) -> list[Hashable]:
    keys = list(keys)
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=repr)


class _System:
    """Figures and relations indexed for the audit; `statuses` holds published figures only."""

    def __init__(self, quantities: Iterable[Quantity], sums: Iterable[Sum], *, threshold: int):
        if threshold < 1:
            raise ValueError("The threshold must be at least 1")
        self.threshold = int(threshold)
        self.quantities: dict[Hashable, Quantity] = {}
        for quantity in quantities:
            if quantity.key in self.quantities and self.quantities[quantity.key] != quantity:
                raise ValueError(f"Quantity {quantity.key!r} is given twice with different values")
            self.quantities[quantity.key] = quantity
        # One relation per distinct (total, parts); the same table given twice is one table.
        self.relations: list[tuple[Hashable, ...]] = []  # (total, *parts)
        seen = set()
        for relation in sums:
            cells = (relation.total, *relation.parts)
            for key in cells:
                if key not in self.quantities:
                    raise ValueError(f"Sum refers to unknown quantity {key!r}")
            if self.value(relation.total) != sum(self.value(part) for part in relation.parts):
                raise ValueError(f"Sum {relation.total!r} does not add up")
            if cells not in seen:
                seen.add(cells)
                self.relations.append(cells)
        self.relations_of: dict[Hashable, list[int]] = {key: [] for key in self.quantities}
        for index, cells in enumerate(self.relations):
            for key in set(cells):
                self.relations_of[key].append(index)
        totals = {cells[0] for cells in self.relations}
        parts = {key for cells in self.relations for key in cells[1:]}
        self.grand_totals = totals - parts
        # Figures that differ from the truth in some consistent solution found so far: safe for good.
        self.proven_safe: set[Hashable] = set()
        self._components()

    def value(self, key) -> int:
        return int(self.quantities[key].value)

    def _components(self):
        parent = {key: key for key in self.quantities}

        def find(key):
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for cells in self.relations:
            root = find(cells[0])
            for key in cells[1:]:
                other = find(key)
                if other != root:
                    parent[other] = root
        groups: dict[Hashable, list[Hashable]] = {}
        for key in self.quantities:
            groups.setdefault(find(key), []).append(key)
        self.component_of: dict[Hashable, int] = {}
        self.components: list[list[Hashable]] = []
        for members in groups.values():
            for key in members:
                self.component_of[key] = len(self.components)
            self.components.append(_ordered(members))
        self.caps = [sum(self.value(key) for key in members) + self.threshold for members in self.components]

    def is_sensitive(self, key, statuses) -> bool:
        quantity = self.quantities[key]
        if quantity.published:
            return statuses[key] == SMALL
        return 1 <= quantity.value < self.threshold

    @staticmethod
    def is_unknown(key, quantities, statuses) -> bool:
        return not quantities[key].published or statuses[key] != SHOWN

    def cluster(self, key, statuses) -> tuple[list[Hashable], list[tuple[int, int]]]:
        """The unknown figures linked to `key` through relations, and those relations with
        their distance (0: the relation holds `key`)."""
        unknown = {key}
        frontier = [key]
        relations: dict[int, int] = {}
        depth = 0
        while frontier:
            following = []
            for cell in frontier:
                for index in self.relations_of[cell]:
                    if index in relations:
                        continue
                    relations[index] = depth
                    for other in self.relations[index]:
                        if other not in unknown and self.is_unknown(other, self.quantities, statuses):
                            unknown.add(other)
                            following.append(other)
            frontier = following
            depth += 1
        return _ordered(unknown), sorted(relations.items())

    def extreme(self, key, statuses, *, maximise: bool) -> int:
        """The attacker's minimum or maximum of `key` (an unknown figure). The solution found is
        kept as a witness: hiding more never makes it inconsistent, so it proves every figure
        whose value differs in it safe without another solve."""
        # scipy.optimize takes most of a second to import; only pages with small cells need it.
        from scipy.optimize import Bounds, LinearConstraint, milp

        cells, relations = self.cluster(key, statuses)
        threshold, cap = self.threshold, self.caps[self.component_of[key]]
        index = {cell: position for position, cell in enumerate(cells)}
        hidden = [cell for cell in cells if self.quantities[cell].published and statuses[cell] == HIDDEN and threshold > 1]
        size = len(cells) + len(hidden)
        lower, upper = np.zeros(size), np.ones(size)
        for cell in cells:
            small = self.quantities[cell].published and statuses[cell] == SMALL
            lower[index[cell]], upper[index[cell]] = (1, threshold - 1) if small else (0, cap)
        rows, row_lower, row_upper = [], [], []
        for relation, _depth in relations:
            total, *parts = self.relations[relation]
            row = np.zeros(size)
            known = 0
            for sign, cell in [(-1, total)] + [(1, part) for part in parts]:
                if cell in index:
                    row[index[cell]] += sign
                else:
                    known += sign * self.value(cell)
            rows.append(row)
            row_lower.append(-known)
            row_upper.append(-known)
        # A HIDDEN figure is 0 or >= threshold: x >= threshold·b and x <= cap·b with b binary.
        for offset, cell in enumerate(hidden):
            binary = len(cells) + offset
            for factor, low, high in ((threshold, 0, np.inf), (cap, -np.inf, 0)):
                row = np.zeros(size)
                row[index[cell]], row[binary] = 1, -factor
                rows.append(row)
                row_lower.append(low)
                row_upper.append(high)
        objective = np.zeros(size)
        objective[index[key]] = -1 if maximise else 1
        constraints = [LinearConstraint(np.array(rows), row_lower, row_upper)] if rows else []
        result = milp(objective, constraints=constraints, integrality=np.ones(size), bounds=Bounds(lower, upper))
        if result.status != 0:
            raise RuntimeError(f"Disclosure audit of {key!r} failed: {result.message}")
        solution = {cell: round(float(result.x[index[cell]])) for cell in cells}
        witness = {cell for cell, value in solution.items() if value != self.value(cell)}
        self.proven_safe.update(witness)
        return solution[key]

    def pinned(self, key, statuses) -> bool:
        value = self.value(key)
        if key in self.proven_safe:
            return False
        for relation in self.relations_of[key]:
            if all(not self.is_unknown(cell, self.quantities, statuses) for cell in self.relations[relation] if cell != key):
                return True  # the only unknown in a relation: it is the difference
        return self.extreme(key, statuses, maximise=True) == value and self.extreme(key, statuses, maximise=False) == value

    def complement(self, key, statuses):
        """The next figure to hide for pinned `key`, or None when nothing shown is linked to it."""
        _cells, relations = self.cluster(key, statuses)
        best = None
        for relation, depth in relations:
            for cell in self.relations[relation]:
                if self.is_unknown(cell, self.quantities, statuses):
                    continue
                value = self.value(cell)
                rank = (cell in self.grand_totals, value == 0, value, depth)
                if best is None or rank < best[0] or (rank == best[0] and _ordered([cell, best[1]])[0] == cell):
                    best = (rank, cell)
        return None if best is None else best[1]

    def protect_component(self, members: list[Hashable], statuses: dict) -> None:
        threshold = self.threshold
        for key in members:
            quantity = self.quantities[key]
            if quantity.published:
                statuses[key] = SMALL if 1 <= quantity.value < threshold else SHOWN
        # A SMALL figure with threshold 2 can only be 1: primary suppression itself reveals it.
        sensitive = [
            key
            for key in members
            if self.is_sensitive(key, statuses) and not (self.quantities[key].published and threshold == 2) and self.relations_of[key]
        ]
        for key in sensitive:
            while self.pinned(key, statuses):
                extra = self.complement(key, statuses)
                if extra is None:
                    break
                statuses[extra] = HIDDEN


def suppress(quantities: Iterable[Quantity], sums: Iterable[Sum], *, threshold: int) -> dict[Hashable, str]:
    """The status (SHOWN, SMALL, HIDDEN) of every published quantity; see the module docstring."""
    system = _System(quantities, sums, threshold=threshold)
    statuses: dict[Hashable, str] = {}
    for members in system.components:
        system.protect_component(members, statuses)
    return statuses


def feasible_range(key, quantities: Iterable[Quantity], sums: Iterable[Sum], statuses: dict, *, threshold: int) -> tuple[int, int]:
    """The attacker's view of `key`: the smallest and largest value consistent with what is shown
    (the maximum is capped at U, see the module docstring)."""
    system = _System(quantities, sums, threshold=threshold)
    quantity = system.quantities[key]
    if quantity.published and statuses[key] == SHOWN:
        return quantity.value, quantity.value
    return system.extreme(key, statuses, maximise=False), system.extreme(key, statuses, maximise=True)
