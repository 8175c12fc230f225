"""Licensed item wording a clinic loads from a file of its own (ODI, NDI, RMDQ,
QuickDASH, LEFS).

The file is JSON: for each item id, its title and its statements in order, one for each
score the item takes (six for ODI and NDI, scored 0 to 5; five for QuickDASH, 1 to 5, and
for LEFS, 0 to 4)::

    {"pain_intensity": {"title": "...", "statements": ["...", "...", ... six in all]}, ...}

For RMDQ, whose items are statements the patient ticks, the title is the statement:
``{"stays_home": {"title": "..."}, ...}``. The file must cover every item of the
instrument, so a half-loaded questionnaire is never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clinic.measures.base import MeasureError
from clinic.measures.registry import INSTRUMENTS, LICENSED


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    statements: tuple[str, ...]


def load_licensed_wording(text: str, instrument: str) -> tuple[Section, ...]:
    spec = INSTRUMENTS.get(instrument)
    if spec is None or not spec.wording_is_licensed:
        raise MeasureError(
            "instrument", f"licensed wording is loaded for {', '.join(LICENSED)} only"
        )
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise MeasureError(
            "(file)", f"is not valid JSON: {error.msg} (line {error.lineno})"
        ) from None
    if not isinstance(data, dict):
        raise MeasureError("(file)", "must be a JSON object keyed by item id")
    unknown = sorted(set(data) - set(spec.items))
    if unknown:
        raise MeasureError(unknown[0], "is not an item of this instrument")
    sections = []
    for section_id in spec.items:
        entry = data.get(section_id)
        if not isinstance(entry, dict):
            raise MeasureError(section_id, "is missing")
        title, statements = entry.get("title"), entry.get("statements", [])
        if not isinstance(title, str) or not title.strip():
            raise MeasureError(f"{section_id}.title", "must be text")
        scores = spec.response_scores
        if (
            not isinstance(statements, list)
            or len(statements) != len(scores)
            or not all(isinstance(item, str) and item.strip() for item in statements)
        ):
            expected = (
                f"must be {len(scores)} statements, scored {scores[0]} to {scores[-1]}"
                if scores
                else "must be left out: the title is the statement the patient ticks"
            )
            raise MeasureError(f"{section_id}.statements", expected)
        sections.append(Section(section_id, title, tuple(statements)))
    return tuple(sections)
