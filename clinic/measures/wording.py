"""Licensed item wording a clinic loads from a file of its own (ODI, NDI).

The file is JSON: for each section id, its title and its six statements in order (scored
0 to 5)::

    {"pain_intensity": {"title": "...", "statements": ["...", "...", ... six in all]}, ...}

It must cover every section of the instrument, so a half-loaded questionnaire is never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clinic.measures.base import MeasureError
from clinic.measures.registry import INSTRUMENTS


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    statements: tuple[str, ...]


def load_licensed_wording(text: str, instrument: str) -> tuple[Section, ...]:
    spec = INSTRUMENTS.get(instrument)
    if spec is None or not spec.wording_is_licensed:
        raise MeasureError("instrument", "licensed wording is loaded for odi or ndi only")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise MeasureError(
            "(file)", f"is not valid JSON: {error.msg} (line {error.lineno})"
        ) from None
    if not isinstance(data, dict):
        raise MeasureError("(file)", "must be a JSON object keyed by section id")
    unknown = sorted(set(data) - set(spec.items))
    if unknown:
        raise MeasureError(unknown[0], "is not a section of this instrument")
    sections = []
    for section_id in spec.items:
        entry = data.get(section_id)
        if not isinstance(entry, dict):
            raise MeasureError(section_id, "is missing")
        title, statements = entry.get("title"), entry.get("statements")
        if not isinstance(title, str) or not title.strip():
            raise MeasureError(f"{section_id}.title", "must be text")
        if (
            not isinstance(statements, list)
            or len(statements) != 6
            or not all(isinstance(item, str) and item.strip() for item in statements)
        ):
            raise MeasureError(f"{section_id}.statements", "must be six statements, scored 0 to 5")
        sections.append(Section(section_id, title, tuple(statements)))
    return tuple(sections)
