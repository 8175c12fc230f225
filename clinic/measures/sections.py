"""Scoring shared by the indexes whose items each take one score on a fixed scale: ODI
and NDI (ten sections scored 0-5), QuickDASH (1-5) and LEFS (0-4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clinic.measures.base import (
    missing_allowance,
    refuse_unknown_items,
    require_mapping,
    too_many_missing,
    whole_number,
)


def section_scores(responses: Any, sections: Sequence[str], low: int, high: int) -> dict[str, int]:
    """Answered sections and their scores. Several statements ticked in one section
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
            scores[section] = max(whole_number(section, item, low, high) for item in value)
        else:
            scores[section] = whole_number(section, value, low, high)
    return scores


@dataclass(frozen=True)
class SectionResponses:
    scores: dict[str, int]
    missing: list[str]
    # Why the responses cannot be scored (too many unanswered), or None.
    refusal: str | None


def read_sections(
    responses: Any,
    sections: Sequence[str],
    allowance_name: str,
    allowance: int,
    noun: str,
    low: int = 0,
    high: int = 5,
) -> SectionResponses:
    """Section scores, the unanswered sections, and whether more are missing than allowed."""
    missing_allowance(allowance_name, allowance, len(sections))
    scores = section_scores(responses, sections, low, high)
    missing = [section for section in sections if section not in scores]
    return SectionResponses(scores, missing, too_many_missing(missing, allowance, noun))
