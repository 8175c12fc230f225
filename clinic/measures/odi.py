"""Oswestry Disability Index (Fairbank & Pynsent, Spine 2000;25:2940; clinical.md §7.2).

Score % = total / (5 x sections answered) x 100, kept as a float and shown to one decimal
(16/50 = 32 %, 16/45 = 35.6 %). Bands 0-20 minimal, 21-40 moderate, 41-60 severe,
61-80 crippled, 81-100 bed-bound or exaggerating. At most one missing section by
default [P], configurable. The version is recorded: do not mix versions over time.

The section wording is licensed (Mapi Research Trust): only short labels ship here.
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import MeasureError, ScoreResult, not_scorable
from clinic.measures.sections import read_sections

INSTRUMENT = "odi"
VERSIONS = ("2.1a", "2.0", "1.0")
MCID = 10  # percentage points (Ostelo et al., Spine 2008)
SECTIONS = {
    "pain_intensity": "Pain intensity",
    "personal_care": "Personal care",
    "lifting": "Lifting",
    "walking": "Walking",
    "sitting": "Sitting",
    "standing": "Standing",
    "sleeping": "Sleeping",
    "sex_life": "Sex life (if applicable)",
    "social_life": "Social life",
    "travelling": "Travelling",
}
BANDS = (
    (20, "minimal disability"),
    (40, "moderate disability"),
    (60, "severe disability"),
    (80, "crippled"),
    (100, "bed-bound or exaggerating symptoms"),
)


def score(responses: Any, version: str, max_missing_sections: int) -> ScoreResult:
    if version not in VERSIONS:
        raise MeasureError("version", f"must be one of {', '.join(VERSIONS)}")
    answered = read_sections(
        responses, tuple(SECTIONS), "max_missing_sections", max_missing_sections, "sections"
    )
    scores, missing = answered.scores, answered.missing
    policy = (
        f"at most {max_missing_sections} missing section(s); "
        "highest statement scored where several are ticked"
    )
    label = f"ODI {version}"
    if answered.refusal:
        return not_scorable(INSTRUMENT, label, answered.refusal, policy, missing=missing)
    total = sum(scores.values())
    possible = 5 * len(scores)
    percentage = total / possible * 100
    band = next(label for ceiling, label in BANDS if percentage <= ceiling)
    return ScoreResult(
        INSTRUMENT,
        label,
        scorable=True,
        score=round(percentage, 1),
        band=band,
        details={
            "total": total,
            "possible": possible,
            "sections_answered": len(scores),
            "missing": missing,
            "mcid": MCID,
        },
        policy=policy,
    )
