"""Patient-Specific Functional Scale (Stratford et al., Physiother Can 1995;47:258;
clinical.md §7.5). The patient names up to five activities they find hard and rates
each 0 (unable) to 10 (as before the problem). Score = mean, kept to two decimals (a
one-decimal mean hides changes near the 2-point MDC). Higher is better.
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import (
    MeasureError,
    ScoreResult,
    not_scorable,
    refuse_unknown_items,
    require_mapping,
    whole_number,
)

INSTRUMENT = "psfs"
VERSION = "PSFS (Stratford 1995), up to 5 activities"
MAX_ACTIVITIES = 5
MDC = 2  # points for the mean (90 % confidence)
INSTRUCTIONS = (
    "Name up to five important activities that you are unable to do, or have difficulty "
    "with, because of your problem. Rate each from 0 (unable to perform the activity) to "
    "10 (able to perform the activity at the same level as before the problem)."
)
POLICY = "mean of the rated activities; unrated activities are left out"


def score(responses: Any) -> ScoreResult:
    responses = require_mapping(responses)
    refuse_unknown_items(responses, {"activities"})
    activities = responses.get("activities")
    if not isinstance(activities, list):
        raise MeasureError("activities", 'must be a list of {"activity": ..., "rating": 0-10}')
    if len(activities) > MAX_ACTIVITIES:
        raise MeasureError("activities", f"must list at most {MAX_ACTIVITIES} activities")
    ratings: list[int] = []
    for index, entry in enumerate(activities, start=1):
        where = f"activities[{index}]"
        if not isinstance(entry, dict) or set(entry) - {"activity", "rating"}:
            raise MeasureError(where, "must have an activity and a rating")
        if not isinstance(entry.get("activity"), str) or not entry["activity"].strip():
            raise MeasureError(f"{where}.activity", "must name the activity")
        if entry.get("rating") is not None:
            ratings.append(whole_number(f"{where}.rating", entry["rating"], 0, 10))
    if not ratings:
        return not_scorable(INSTRUMENT, VERSION, "no activity rated", POLICY)
    mean = sum(ratings) / len(ratings)
    return ScoreResult(
        INSTRUMENT,
        VERSION,
        scorable=True,
        score=round(mean, 2),
        details={"ratings": ratings, "activities_rated": len(ratings), "mdc": MDC},
        policy=POLICY,
        higher_is_better=True,
    )
