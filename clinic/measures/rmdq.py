"""Roland-Morris Disability Questionnaire, 24 items (Roland & Morris, Spine 1983;8:141;
Roland & Fairbank, Spine 2000;25:3115; clinical.md §7.6).

The patient ticks each statement that applies to them today, because of their back pain.
Score = number ticked, 0-24; higher is worse. An item the patient marks "not applicable"
scores 0, as an unticked one does. The tick format is the published one (a yes/no format
is advised against), so a form submitted with ticks has no missing items.

Missing items: there is no standard method (Kent & Lauridsen, "Managing missing scores on
the RMDQ"). Responses from elsewhere may mark items as unanswered (null); by default [P]
up to two are pro-rated (ticked x 24 / answered) and more make the score not scorable.

Bands are not published; scores under 4 and over 20 respond poorly to change (floor and
ceiling, clinical.md §7.6). MCID about 5 points or 30 % (Ostelo et al. 2008 [K]).

The statements are Roland & Morris's; only short labels ship here (docs/screening.md,
licensing).
"""

from __future__ import annotations

from typing import Any

from clinic.measures.base import (
    MeasureError,
    ScoreResult,
    missing_allowance,
    not_scorable,
    refuse_unknown_items,
    require_mapping,
    too_many_missing,
)

INSTRUMENT = "rmdq"
VERSION = "RMDQ-24 (Roland & Morris 1983)"
MCID = 5  # points (Ostelo 2008), or 30 %
MCID_PERCENT = 30
NOT_APPLICABLE = "not_applicable"

# Item id -> short label (not the licensed statement).
ITEMS = {
    "stays_home": "Stays at home most of the time",
    "changes_position": "Changes position often to get comfortable",
    "walks_slowly": "Walks more slowly than usual",
    "no_house_jobs": "Not doing the usual jobs around the house",
    "handrail_upstairs": "Uses a handrail to get upstairs",
    "lies_down_more": "Lies down to rest more often",
    "holds_on_from_chair": "Holds on to something to get out of an easy chair",
    "asks_others": "Tries to get others to do things",
    "dresses_slowly": "Dresses more slowly than usual",
    "stands_briefly": "Stands only for short periods",
    "avoids_bending": "Tries not to bend or kneel",
    "hard_to_rise": "Finds it hard to get out of a chair",
    "painful_all_the_time": "Painful almost all the time",
    "hard_to_turn_in_bed": "Finds it hard to turn over in bed",
    "poor_appetite": "Appetite not very good",
    "socks_trouble": "Trouble putting on socks or stockings",
    "walks_short_distances": "Walks only short distances",
    "sleeps_less": "Sleeps less well",
    "help_dressing": "Dresses with help from someone else",
    "sits_most_of_day": "Sits down for most of the day",
    "avoids_heavy_jobs": "Avoids heavy jobs around the house",
    "irritable": "More irritable and bad-tempered than usual",
    "slow_upstairs": "Goes upstairs more slowly than usual",
    "stays_in_bed": "Stays in bed most of the time",
}


def score(responses: Any, max_missing_items: int) -> ScoreResult:
    mapping = require_mapping(responses)
    refuse_unknown_items(mapping, frozenset(ITEMS))
    missing_allowance("max_missing_items", max_missing_items, len(ITEMS))
    ticked = 0
    missing = []
    for item in ITEMS:
        value = mapping.get(item)
        if value is None:
            missing.append(item)
        elif value is True:
            ticked += 1
        elif value is not False and value != NOT_APPLICABLE:
            raise MeasureError(item, f'must be true (ticked), false or "{NOT_APPLICABLE}"')
    policy = (
        "number of statements ticked; not applicable scores 0; pro-rated when at most "
        f"{max_missing_items} item(s) are unanswered"
    )
    refusal = too_many_missing(missing, max_missing_items, "items")
    if refusal:
        return not_scorable(INSTRUMENT, VERSION, refusal, policy, missing=missing)
    answered = len(ITEMS) - len(missing)
    value = ticked * len(ITEMS) / answered
    return ScoreResult(
        INSTRUMENT,
        VERSION,
        scorable=True,
        score=round(value, 1),
        details={
            "ticked": ticked,
            "items_answered": answered,
            "missing": missing,
            "pro_rated": bool(missing),
            "floor_or_ceiling": value < 4 or value > 20,
            "mcid": MCID,
        },
        policy=policy,
    )
