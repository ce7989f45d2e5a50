"""places.place_relation for many pairs at once, with the same answers.

Consolidating a city compares tens of thousands of items, and an item merged across wards
names dozens of places: comparing every place of one with every place of the other, in
Python, was most of the area consolidation's time. Here each tuple of places is read once
into sets (names by kind, alley numbers by their first part), and a pair of tuples is
answered with a few set intersections. The rules are :meth:`places.Place.relation`'s,
restated: ``tests/test_city_scale.py`` checks both give the same relation on real places.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from hbt_analysis.opinions.places import Place


def _path(number: str) -> tuple[str, ...]:
    return tuple(number.lower().split("/"))


@dataclass(frozen=True)
class _Summary:
    """One opinion's (or item's) places, read for fast comparison."""

    #: alleys by the first part of their number: [(number parts, name)]
    alleys: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    #: names of the alleys that have one
    alley_names: frozenset[str]
    #: every other place by (kind, name): its numbers ("" for none)
    keyed: dict[tuple[str, str], frozenset[str]]
    streets: frozenset[str]
    #: the street names the junctions are made of
    junction_parts: frozenset[str]


@functools.lru_cache(maxsize=200_000)
def summary(places: tuple[Place, ...]) -> _Summary:
    alleys: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    keyed: dict[tuple[str, str], set[str]] = {}
    for p in places:
        if p.kind == "alley":
            path = _path(p.number)
            alleys.setdefault(path[0], []).append((path, p.name))
        else:
            keyed.setdefault((p.kind, p.name), set()).add(p.number)
    return _Summary(
        {k: tuple(v) for k, v in alleys.items()},
        frozenset(p.name for p in places if p.kind == "alley" and p.name),
        {k: frozenset(v) for k, v in keyed.items()},
        frozenset(p.name for p in places if p.kind == "street"),
        frozenset(part for p in places if p.kind == "junction" for part in p.name.split(" | ")),
    )


def _alleys_same(a: _Summary, b: _Summary) -> bool:
    small, large = (a, b) if len(a.alleys) <= len(b.alleys) else (b, a)
    for first, mine in small.alleys.items():
        theirs = large.alleys.get(first)
        if not theirs:
            continue
        for pa, na in mine:
            for pb, nb in theirs:
                n = min(len(pa), len(pb))
                if pa[:n] == pb[:n] and (na == nb or not na or not nb):
                    return True
    return False


def relation(a: _Summary, b: _Summary) -> str:
    """"same", "related" or "different" for two non-empty tuples of places (the first part
    of :func:`places.place_relation`'s answer)."""
    related = False
    if a.alleys and b.alleys and _alleys_same(a, b):
        return "same"
    if a.keyed and b.keyed:
        small, large = (a.keyed, b.keyed) if len(a.keyed) <= len(b.keyed) else (b.keyed, a.keyed)
        for key, numbers in small.items():
            other = large.get(key)
            if other is None:
                continue
            if "" in numbers or "" in other or not numbers.isdisjoint(other):
                return "same"
            related = True  # two buildings of one block
    if related:
        return "related"
    if (not a.alley_names.isdisjoint(b.streets) or not b.alley_names.isdisjoint(a.streets)
            or not a.streets.isdisjoint(b.junction_parts)
            or not b.streets.isdisjoint(a.junction_parts)
            or not a.alley_names.isdisjoint(b.junction_parts)
            or not b.alley_names.isdisjoint(a.junction_parts)):
        return "related"
    return "different"


def relations(places: Sequence[Sequence[Place]], other_places: Sequence[Sequence[Place]],
              rows: Sequence[int], cols: Sequence[int]) -> list[str]:
    """The relation of places[i] and other_places[j] for each (i, j) of rows × cols (both
    non-empty)."""
    mine = {i: summary(tuple(places[i])) for i in set(rows)}
    theirs = {j: summary(tuple(other_places[j])) for j in set(cols)}
    return [relation(mine[i], theirs[j]) for i, j in zip(rows, cols, strict=True)]
