"""Lower Extremity Functional Scale (Binkley et al., Phys Ther 1999;79:371; clinical.md
§7.8): leg function, for back pain with leg symptoms.

Twenty activities, each 0 (extreme difficulty or unable) to 4 (no difficulty). Score =
total, 0-80; higher is better (the opposite of ODI, NDI and RMDQ). Binkley 1999 gives no
missing-item rule: by default [P] all 20 are needed. MDC and MCID 9 points.

The wording's terms for commercial software were not confirmed here (clinical.md §8 lists
the scale as free): only short labels ship, and a clinic loads the wording it uses.
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import ScoreResult, not_scorable
from clinic.measures.sections import read_sections

INSTRUMENT = "lefs"
VERSION = "LEFS (Binkley 1999)"
MCID = 9
LOW, HIGH = 0, 4

ITEMS = {
    "usual_work": "Usual work, housework or school activities",
    "usual_hobbies": "Usual hobbies, recreation or sport",
    "bath": "Getting into or out of the bath",
    "walk_between_rooms": "Walking between rooms",
    "shoes_socks": "Putting on shoes or socks",
    "squatting": "Squatting",
    "lift_from_floor": "Lifting a bag of shopping from the floor",
    "light_home_activities": "Light activities around the home",
    "heavy_home_activities": "Heavy activities around the home",
    "car": "Getting into or out of a car",
    "walk_two_blocks": "Walking two blocks",
    "walk_a_mile": "Walking a mile",
    "stairs": "Going up or down ten stairs",
    "standing_hour": "Standing for an hour",
    "sitting_hour": "Sitting for an hour",
    "running_even": "Running on even ground",
    "running_uneven": "Running on uneven ground",
    "sharp_turns": "Making sharp turns while running fast",
    "hopping": "Hopping",
    "rolling_in_bed": "Rolling over in bed",
}


def score(responses: Any, max_missing_items: int) -> ScoreResult:
    answered = read_sections(
        responses, tuple(ITEMS), "max_missing_items", max_missing_items, "items", LOW, HIGH
    )
    policy = f"total of the 20 items; at most {max_missing_items} missing [P]"
    if answered.refusal:
        return not_scorable(INSTRUMENT, VERSION, answered.refusal, policy, missing=answered.missing)
    values = list(answered.scores.values())
    # With missing items allowed by a clinic's policy, the total is pro-rated to 80.
    total = sum(values) * len(ITEMS) / len(values)
    return ScoreResult(
        INSTRUMENT,
        VERSION,
        scorable=True,
        score=round(total, 1),
        details={
            "total": sum(values),
            "items_answered": len(values),
            "missing": answered.missing,
            "pro_rated": bool(answered.missing),
            "mcid": MCID,
        },
        policy=policy,
        higher_is_better=True,
    )
