"""Keele STarT Back Screening Tool, 9-item (Hill et al., Arthritis Rheum 2008; Keele
"Using & scoring"; clinical.md §7.1).

Total = all nine items; psychosocial subscale = Q5-Q9 (Keele's definition, not the
conflicting JOSPT 2012 appendix). Total 3 or less is always low risk; otherwise the
subscale decides: 3 or less medium, 4 or more high. There is no official pro-rating, so a
missing item makes the result "not scorable" [P]. Validated for low back pain only.
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import (
    MeasureError,
    ScoreResult,
    not_scorable,
    refuse_unknown_items,
    require_mapping,
)

INSTRUMENT = "startback"
VERSION = "Keele STarT Back 9-item (2007)"
COPYRIGHT = (
    "© Keele University 01/08/07. Funded by Arthritis Research UK. The STarT Back Tool is "
    "free for non-commercial use; it must not be modified. See keele.ac.uk/sbst."
)

AGREE, DISAGREE = "agree", "disagree"
BOTHER_OPTIONS = ("not_at_all", "slightly", "moderately", "very_much", "extremely")
BOTHER_LABELS = ("Not at all", "Slightly", "Moderately", "Very much", "Extremely")
# Only "Very much" and "Extremely" score on Q9.
BOTHER_SCORING = {"not_at_all": 0, "slightly": 0, "moderately": 0, "very_much": 1, "extremely": 1}

INTRODUCTION = "Thinking about the last 2 weeks, tick your response to the following questions:"
ITEMS = {
    "q1": "My back pain has spread down my leg(s) at some time in the last 2 weeks",
    "q2": "I have had pain in the shoulder or neck at some time in the last 2 weeks",
    "q3": "I have only walked short distances because of my back pain",
    "q4": "In the last 2 weeks, I have dressed more slowly than usual because of back pain",
    "q5": "It's not really safe for a person with a condition like mine to be physically active",
    "q6": "Worrying thoughts have been going through my mind a lot of the time",
    "q7": "I feel that my back pain is terrible and it's never going to get any better",
    "q8": "In general I have not enjoyed all the things I used to enjoy",
    "q9": "Overall, how bothersome has your back pain been in the last 2 weeks?",
}
SUBSCALE = ("q5", "q6", "q7", "q8", "q9")
POLICY = "every item required (no official pro-rating); Keele flowchart: total <=3 low"
POLICY_DETERMINED = (
    "risk group given when no answer to the missing items could change it; "
    "Keele flowchart: total <=3 low"
)


def _item_score(item: str, value: Any) -> int:
    if item == "q9":
        if value not in BOTHER_SCORING:
            raise MeasureError(item, f"must be one of {', '.join(BOTHER_OPTIONS)}")
        return BOTHER_SCORING[value]
    if value not in (AGREE, DISAGREE):
        raise MeasureError(item, "must be agree or disagree")
    return 1 if value == AGREE else 0


def risk_group(total: int, subscale: int) -> str:
    """Keele's flowchart: a total of 3 or less is low whatever the subscale."""
    if total <= 3:
        return "low"
    return "medium" if subscale <= 3 else "high"


def score(responses: Any, band_when_determined: bool) -> ScoreResult:
    """Score the nine items. With a missing item the result is not scorable [P]; a clinic
    may instead accept the risk group when no answer to the missing items could change it
    (``band_when_determined``): the group is then given, the total is not."""
    responses = require_mapping(responses)
    refuse_unknown_items(responses, frozenset(ITEMS))
    answered = {item: value for item, value in responses.items() if value is not None}
    scores = {item: _item_score(item, value) for item, value in answered.items()}
    missing = [item for item in ITEMS if item not in scores]
    total = sum(scores.values())
    subscale = sum(scores.get(item, 0) for item in SUBSCALE)
    if not missing:
        return ScoreResult(
            INSTRUMENT,
            VERSION,
            scorable=True,
            score=float(total),
            band=risk_group(total, subscale),
            details={"total": total, "psychosocial_subscale": subscale},
            policy=POLICY,
        )
    policy = POLICY_DETERMINED if band_when_determined else POLICY
    # Every missing item scores 0 or 1; the lowest and highest outcomes bound the group.
    missing_in_subscale = sum(item in SUBSCALE for item in missing)
    lowest = risk_group(total, subscale)
    highest = risk_group(total + len(missing), subscale + missing_in_subscale)
    if band_when_determined and lowest == highest:
        return ScoreResult(
            INSTRUMENT,
            VERSION,
            scorable=True,
            band=lowest,
            details={"missing": missing, "total_range": [total, total + len(missing)]},
            policy=policy,
        )
    return not_scorable(
        INSTRUMENT, VERSION, f"unanswered: {', '.join(missing)}", policy, missing=missing
    )
