"""QuickDASH (Gummesson et al., BMC Musculoskelet Disord 2006; Institute for Work &
Health; clinical.md §7.7): arm, shoulder and hand function, for neck pain that reaches the
arm.

Eleven items scored 1-5. Score = ((sum of the n answers / n) - 1) x 25, 0-100, higher is
worse, kept to two decimals. Not scorable with more than one item missing (at least 10 of
11 answered). The optional work and sport modules are not offered. MCID about 14 points.

The wording is the Institute for Work & Health's, licensed for commercial software
(clinical.md §8): only short labels ship; a clinic holding a licence loads the wording.
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import ScoreResult, not_scorable
from clinic.measures.sections import read_sections

INSTRUMENT = "quickdash"
VERSION = "QuickDASH (IWH, 11 items)"
MCID = 14
LOW, HIGH = 1, 5

ITEMS = {
    "open_jar": "Open a tight or new jar",
    "heavy_chores": "Heavy household chores",
    "carry_bag": "Carry a shopping bag or briefcase",
    "wash_back": "Wash your back",
    "use_knife": "Use a knife to cut food",
    "forceful_recreation": "Recreation that takes force or impact through the arm",
    "social_activities": "Social activities limited by the arm",
    "work_limited": "Work or daily activities limited by the arm",
    "arm_pain": "Arm, shoulder or hand pain",
    "tingling": "Tingling (pins and needles) in the arm, shoulder or hand",
    "sleep": "Difficulty sleeping because of the arm",
}


def score(responses: Any, max_missing_items: int) -> ScoreResult:
    answered = read_sections(
        responses, tuple(ITEMS), "max_missing_items", max_missing_items, "items", LOW, HIGH
    )
    policy = f"at most {max_missing_items} item(s) of 11 missing (IWH: at least 10 answered)"
    if answered.refusal:
        return not_scorable(INSTRUMENT, VERSION, answered.refusal, policy, missing=answered.missing)
    values = list(answered.scores.values())
    value = (sum(values) / len(values) - 1) * 25
    return ScoreResult(
        INSTRUMENT,
        VERSION,
        scorable=True,
        score=round(value, 2),
        details={
            "sum": sum(values),
            "items_answered": len(values),
            "missing": answered.missing,
            "mcid": MCID,
        },
        policy=policy,
    )
