"""Filtering the catalogue and counting what each filter would show. Plain Python.

Within one facet the chosen values are alternatives (stretch OR exercise); across facets
they all apply (a stretch AND for the neck). The count beside each value is how many
items that choice would give with the other facets' filters kept, the way a shop's
sidebar counts work, so a therapist can see where the matches are before clicking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FACETS = ("kind", "region", "goal", "equipment")


@dataclass(frozen=True)
class Faceted:
    matching: frozenset[int]
    counts: dict[str, dict[str, int]]


def _matches(
    values: Mapping[str, frozenset[str]], selected: Mapping[str, frozenset[str]], skip: str
) -> bool:
    return all(
        not chosen or bool(values.get(facet, frozenset()) & chosen)
        for facet, chosen in selected.items()
        if facet != skip
    )


def facet(
    candidates: Mapping[int, Mapping[str, frozenset[str]]],
    selected: Mapping[str, frozenset[str]],
) -> Faceted:
    """Which ``candidates`` pass every filter in ``selected``, and the count per value."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    matching = set()
    for item_id, values in candidates.items():
        if _matches(values, selected, skip=""):
            matching.add(item_id)
        for name in FACETS:
            if _matches(values, selected, skip=name):
                for value in values.get(name, frozenset()):
                    counts[name][value] = counts[name].get(value, 0) + 1
    return Faceted(frozenset(matching), counts)


def search_words(query: str) -> list[str]:
    """The words of a search box, lower-cased; each must appear in an item's text."""
    return [word for word in query.lower().split() if word][:8]
