"""Template filters that put catalogue words into labels and dosage into a phrase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clinic.catalogue.dosage import dosage_words
from clinic.catalogue.safety import CODES, SafetyCode
from clinic.catalogue.vocabulary import CATEGORIES, EQUIPMENT, GOALS, REGIONS, SIDES, Kind, label_of


def _code(value: str) -> SafetyCode:
    return CODES[value]


def catalogue_filters() -> dict[str, Callable[..., Any]]:
    return {
        "kind_label": lambda value: Kind(value).label,
        "category_label": lambda value, kind: label_of(CATEGORIES[Kind(kind)], value),
        "region_label": lambda value: label_of(REGIONS, value),
        "goal_label": lambda value: label_of(GOALS, value),
        "equipment_label": lambda value: label_of(EQUIPMENT, value),
        "side_label": lambda value: label_of(SIDES, value),
        "safety_code": _code,
        "dosage_words": dosage_words,
    }
