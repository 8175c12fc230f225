"""Neck Disability Index (Vernon & Mior, JMPT 1991; Vernon, JMPT 2008; clinical.md §7.3).

Raw 0-50 and percentage (raw x 2). Missing items follow the author's method: each is
replaced by the mean of the answered items, which equals pro-rating raw x 10 / answered.
Pro-rated when at most two items are missing by default [P]; otherwise not scorable.
Vernon's bands apply to the raw (or raw-equivalent) score: 0-4 none, 5-14 mild,
15-24 moderate, 25-34 severe, 35-50 complete. A pro-rated score is banded by the band
its value falls below (4.4 is "no disability"; 4.9 too; 5.0 is mild).

The NDI wording is the author's; only short labels ship here.
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import ScoreResult, not_scorable
from clinic.measures.sections import read_sections

INSTRUMENT = "ndi"
VERSION = "NDI (Vernon & Mior 1991)"
MCID = 5  # raw points (Vernon)
SECTIONS = {
    "pain_intensity": "Pain intensity",
    "personal_care": "Personal care",
    "lifting": "Lifting",
    "reading": "Reading",
    "headaches": "Headaches",
    "concentration": "Concentration",
    "work": "Work",
    "driving": "Driving",
    "sleeping": "Sleeping",
    "recreation": "Recreation",
}
# (score below which the band applies, label)
BANDS = ((5, "no disability"), (15, "mild"), (25, "moderate"), (35, "severe"), (51, "complete"))


def score(responses: Any, max_missing_items: int) -> ScoreResult:
    answered = read_sections(
        responses, tuple(SECTIONS), "max_missing_items", max_missing_items, "items"
    )
    scores, missing = answered.scores, answered.missing
    policy = f"pro-rated (author's method) when at most {max_missing_items} item(s) are missing"
    if answered.refusal:
        return not_scorable(INSTRUMENT, VERSION, answered.refusal, policy, missing=missing)
    raw = sum(scores.values())
    raw_equivalent = raw * len(SECTIONS) / len(scores)
    band = next(label for below, label in BANDS if raw_equivalent < below)
    return ScoreResult(
        INSTRUMENT,
        VERSION,
        scorable=True,
        score=round(raw_equivalent, 1),
        band=band,
        details={
            "raw": raw,
            "raw_equivalent": round(raw_equivalent, 1),
            "percentage": round(raw_equivalent * 2, 1),
            "items_answered": len(scores),
            "missing": missing,
            "pro_rated": bool(missing),
            "mcid": MCID,
        },
        policy=policy,
    )
