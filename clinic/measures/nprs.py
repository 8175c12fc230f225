"""Numeric Pain Rating Scale, 0-10 (Childs et al., Spine 2005; clinical.md §7.4).

There are no universal severity bands, so banding is a labelled display choice [P]:
Boonstra et al. (Front Psychol 2016) by default, or the common 1-3/4-6/7-10 convention.
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import (
    MeasureError,
    ScoreResult,
    refuse_unknown_items,
    require_mapping,
    whole_number,
)

INSTRUMENT = "nprs"
VERSION = "11-point 0-10"
TIME_FRAMES = ("now", "average_24h", "worst_24h", "best_24h")
MCID = 2  # points (Childs et al. 2005)
MCID_PERCENT = 30  # or a 30 % reduction (Ostelo et al. 2008)

QUESTION = (
    "On a scale of 0 to 10, where 0 is no pain and 10 is the worst pain imaginable, "
    "how bad is your pain?"
)

BANDINGS: dict[str, tuple[tuple[int, str], ...]] = {
    # (highest rating in band, label), in order.
    "boonstra_2016": ((0, "no pain"), (5, "mild"), (7, "moderate"), (10, "severe")),
    "three_bands": ((0, "no pain"), (3, "mild"), (6, "moderate"), (10, "severe")),
}


def score(responses: Any, banding: str) -> ScoreResult:
    responses = require_mapping(responses)
    refuse_unknown_items(responses, {"rating", "time_frame"})
    if "rating" not in responses or responses["rating"] is None:
        return ScoreResult(
            INSTRUMENT,
            VERSION,
            scorable=False,
            reason="no rating given",
            policy=f"banding: {banding}",
        )
    rating = whole_number("rating", responses["rating"], 0, 10)
    time_frame = responses.get("time_frame", "now")
    if time_frame not in TIME_FRAMES:
        raise MeasureError("time_frame", f"must be one of {', '.join(TIME_FRAMES)}")
    band = next(label for ceiling, label in BANDINGS[banding] if rating <= ceiling)
    return ScoreResult(
        INSTRUMENT,
        VERSION,
        scorable=True,
        score=float(rating),
        band=band,
        details={"time_frame": time_frame, "mcid": MCID},
        policy=f"banding: {banding} (a display choice; the raw rating is the score)",
    )
