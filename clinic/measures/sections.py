"""Scoring shared by the section-based indexes (ODI, NDI): ten sections scored 0-5."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clinic.measures.base import MeasureError, refuse_unknown_items, require_mapping, whole_number


def section_scores(responses: Any, sections: Sequence[str]) -> dict[str, int]:
    """Answered sections and their 0-5 scores. Several statements ticked in one section
    (a list) score the highest, the usual convention [K] (clinical.md §7.2)."""
    mapping: Mapping[str, Any] = require_mapping(responses)
    refuse_unknown_items(mapping, frozenset(sections))
    scores: dict[str, int] = {}
    for section, value in mapping.items():
        if value is None:
            continue
        if isinstance(value, list):
            if not value:
                continue
            scores[section] = max(whole_number(section, item, 0, 5) for item in value)
        else:
            scores[section] = whole_number(section, value, 0, 5)
    return scores


def check_missing_allowance(name: str, value: int, sections: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < sections:
        raise MeasureError(name, f"must be a whole number from 0 to {sections - 1}")
    return value
