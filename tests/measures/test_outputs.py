"""The whole output of each measure, written out: what `clinic score` prints and the pages
and charts read (score, band, details, policy, reason), and the exact error for each kind
of bad input, naming its item. Worked out by hand from clinical.md §7."""

from __future__ import annotations

from typing import Any

import pytest

from clinic.measures import MeasureError, score
from clinic.measures.lefs import ITEMS as LEFS_ITEMS
from clinic.measures.ndi import SECTIONS as NDI_SECTIONS
from clinic.measures.odi import SECTIONS as ODI_SECTIONS
from clinic.measures.quickdash import ITEMS as QUICKDASH_ITEMS
from clinic.measures.rmdq import ITEMS as RMDQ_ITEMS

ODI_POLICY = "at most 1 missing section(s); highest statement scored where several are ticked"
NDI_POLICY = "pro-rated (author's method) when at most 2 item(s) are missing"
RMDQ_POLICY = (
    "number of statements ticked; not applicable scores 0; pro-rated when at most "
    "2 item(s) are unanswered"
)


def _json(instrument: str, responses: Any, **settings: Any) -> dict[str, Any]:
    return score(instrument, responses, **settings).to_json()


def _error(instrument: str, responses: Any, **settings: Any) -> tuple[str, str, str]:
    with pytest.raises(MeasureError) as caught:
        score(instrument, responses, **settings)
    return caught.value.item, caught.value.message, str(caught.value)


# NPRS ------------------------------------------------------------------------------------------


def test_nprs_output() -> None:
    assert _json("nprs", {"rating": 6, "time_frame": "worst_24h"}) == {
        "instrument": "nprs",
        "version": "11-point 0-10",
        "scorable": True,
        "score": 6.0,
        "band": "moderate",
        "details": {"time_frame": "worst_24h", "mcid": 2},
        "policy": "banding: boonstra_2016 (a display choice; the raw rating is the score)",
        "reason": None,
        "higher_is_better": False,
    }


def test_nprs_time_frame_defaults_to_now() -> None:
    assert _json("nprs", {"rating": 0})["details"]["time_frame"] == "now"


@pytest.mark.parametrize("responses", [{}, {"rating": None}])
def test_nprs_without_a_rating(responses: dict[str, Any]) -> None:
    assert _json("nprs", responses) == {
        "instrument": "nprs",
        "version": "11-point 0-10",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {},
        "policy": "banding: boonstra_2016",
        "reason": "no rating given",
        "higher_is_better": False,
    }


@pytest.mark.parametrize(
    ("responses", "error"),
    [
        ({"rating": 11}, ("rating", "must be from 0 to 10", "rating: must be from 0 to 10")),
        (
            {"rating": "5"},
            (
                "rating",
                "must be a whole number from 0 to 10",
                "rating: must be a whole number from 0 to 10",
            ),
        ),
        (
            {"rating": True},
            (
                "rating",
                "must be a whole number from 0 to 10",
                "rating: must be a whole number from 0 to 10",
            ),
        ),
        (
            {"rating": 3, "time_frame": "yesterday"},
            (
                "time_frame",
                "must be one of now, average_24h, worst_24h, best_24h",
                "time_frame: must be one of now, average_24h, worst_24h, best_24h",
            ),
        ),
        (
            {"mood": 3},
            (
                "mood",
                "is not an item of this instrument",
                "mood: is not an item of this instrument",
            ),
        ),
        (
            [3],
            (
                "(responses)",
                "must be a JSON object keyed by item id",
                "(responses): must be a JSON object keyed by item id",
            ),
        ),
    ],
)
def test_nprs_errors(responses: Any, error: tuple[str, str, str]) -> None:
    assert _error("nprs", responses) == error


# STarT Back ------------------------------------------------------------------------------------

AGREE_ALL = {f"q{n}": "agree" for n in range(1, 9)}


def test_startback_output() -> None:
    responses = {**AGREE_ALL, "q5": "disagree", "q9": "extremely"}
    assert _json("startback", responses) == {
        "instrument": "startback",
        "version": "Keele STarT Back 9-item (2007)",
        "scorable": True,
        "score": 8.0,
        "band": "high",
        "details": {"total": 8, "psychosocial_subscale": 4},
        "policy": "every item required (no official pro-rating); Keele flowchart: total <=3 low",
        "reason": None,
        "higher_is_better": False,
    }


def test_startback_missing_item() -> None:
    responses = {**AGREE_ALL, "q2": None}
    assert _json("startback", responses) == {
        "instrument": "startback",
        "version": "Keele STarT Back 9-item (2007)",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {"missing": ["q2", "q9"]},
        "policy": "every item required (no official pro-rating); Keele flowchart: total <=3 low",
        "reason": "unanswered: q2, q9",
        "higher_is_better": False,
    }


def test_startback_group_given_when_the_missing_items_cannot_change_it() -> None:
    # Seven agreed with q5-q8 among them: total >= 7, subscale >= 4 whatever q2 and q9 are.
    responses = {**AGREE_ALL, "q2": None}
    assert _json("startback", responses, band_when_determined=True) == {
        "instrument": "startback",
        "version": "Keele STarT Back 9-item (2007)",
        "scorable": True,
        "score": None,
        "band": "high",
        "details": {"missing": ["q2", "q9"], "total_range": [7, 9]},
        "policy": "risk group given when no answer to the missing items could change it; "
        "Keele flowchart: total <=3 low",
        "reason": None,
        "higher_is_better": False,
    }


def test_startback_group_withheld_when_the_missing_items_could_change_it() -> None:
    responses = {"q1": "agree", "q2": "agree", "q3": "agree", "q4": "disagree"}
    result = _json("startback", responses, band_when_determined=True)
    assert (result["scorable"], result["band"], result["reason"]) == (
        False,
        None,
        "unanswered: q5, q6, q7, q8, q9",
    )
    assert result["policy"].startswith("risk group given when")


@pytest.mark.parametrize(
    ("responses", "error"),
    [
        ({"q1": "yes"}, ("q1", "must be agree or disagree", "q1: must be agree or disagree")),
        (
            {"q9": "very"},
            (
                "q9",
                "must be one of not_at_all, slightly, moderately, very_much, extremely",
                "q9: must be one of not_at_all, slightly, moderately, very_much, extremely",
            ),
        ),
        (
            {"q10": "agree"},
            ("q10", "is not an item of this instrument", "q10: is not an item of this instrument"),
        ),
    ],
)
def test_startback_errors(responses: Any, error: tuple[str, str, str]) -> None:
    assert _error("startback", responses) == error


# ODI ---------------------------------------------------------------------------------------


def test_odi_output() -> None:
    responses = {**dict.fromkeys(ODI_SECTIONS, 2), "sex_life": None, "lifting": [1, 4]}
    # 8 sections at 2, lifting 4 (highest ticked): 20 of 45 = 44.4 %.
    assert _json("odi", responses) == {
        "instrument": "odi",
        "version": "ODI 2.1a",
        "scorable": True,
        "score": 44.4,
        "band": "severe disability",
        "details": {
            "total": 20,
            "possible": 45,
            "sections_answered": 9,
            "missing": ["sex_life"],
            "mcid": 10,
        },
        "policy": ODI_POLICY,
        "reason": None,
        "higher_is_better": False,
    }


def test_odi_not_scorable_output() -> None:
    responses = {**dict.fromkeys(ODI_SECTIONS, 2), "sex_life": None, "lifting": []}
    assert _json("odi", responses, version="2.0") == {
        "instrument": "odi",
        "version": "ODI 2.0",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {"missing": ["lifting", "sex_life"]},
        "policy": ODI_POLICY,
        "reason": "2 sections unanswered (at most 1 allowed)",
        "higher_is_better": False,
    }


@pytest.mark.parametrize(
    ("settings", "error"),
    [
        (
            {"version": "3.0"},
            ("version", "must be one of 2.1a, 2.0, 1.0", "version: must be one of 2.1a, 2.0, 1.0"),
        ),
        (
            {"max_missing_sections": 10},
            (
                "max_missing_sections",
                "must be a whole number from 0 to 9",
                "max_missing_sections: must be a whole number from 0 to 9",
            ),
        ),
        (
            {"max_missing_sections": -1},
            (
                "max_missing_sections",
                "must be a whole number from 0 to 9",
                "max_missing_sections: must be a whole number from 0 to 9",
            ),
        ),
        (
            {"max_missing_sections": True},
            (
                "max_missing_sections",
                "must be a whole number from 0 to 9",
                "max_missing_sections: must be a whole number from 0 to 9",
            ),
        ),
    ],
)
def test_odi_setting_errors(settings: dict[str, Any], error: tuple[str, str, str]) -> None:
    assert _error("odi", dict.fromkeys(ODI_SECTIONS, 1), **settings) == error


def test_odi_allows_nine_missing_sections_when_the_clinic_says_so() -> None:
    only_one = {**dict.fromkeys(ODI_SECTIONS, None), "walking": 5}
    assert _json("odi", only_one, max_missing_sections=9)["score"] == 100.0


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (6, ("walking", "must be from 0 to 5", "walking: must be from 0 to 5")),
        (-1, ("walking", "must be from 0 to 5", "walking: must be from 0 to 5")),
        ([2, 6], ("walking", "must be from 0 to 5", "walking: must be from 0 to 5")),
    ],
)
def test_odi_section_errors(value: Any, error: tuple[str, str, str]) -> None:
    assert _error("odi", {**dict.fromkeys(ODI_SECTIONS, 1), "walking": value}) == error


# NDI ---------------------------------------------------------------------------------------


def test_ndi_output_pro_rated() -> None:
    responses = {**dict.fromkeys(NDI_SECTIONS, 3), "driving": None}
    # 27 of 9 items: 30.0 on the 0-50 scale, 60 %.
    assert _json("ndi", responses) == {
        "instrument": "ndi",
        "version": "NDI (Vernon & Mior 1991)",
        "scorable": True,
        "score": 30.0,
        "band": "severe",
        "details": {
            "raw": 27,
            "raw_equivalent": 30.0,
            "percentage": 60.0,
            "items_answered": 9,
            "missing": ["driving"],
            "pro_rated": True,
            "mcid": 5,
        },
        "policy": NDI_POLICY,
        "reason": None,
        "higher_is_better": False,
    }


def test_ndi_not_scorable_output() -> None:
    responses = dict.fromkeys(list(NDI_SECTIONS)[:7], 1)
    assert _json("ndi", responses) == {
        "instrument": "ndi",
        "version": "NDI (Vernon & Mior 1991)",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {"missing": ["driving", "sleeping", "recreation"]},
        "policy": NDI_POLICY,
        "reason": "3 items unanswered (at most 2 allowed)",
        "higher_is_better": False,
    }


# RMDQ --------------------------------------------------------------------------------------


def test_rmdq_output() -> None:
    responses = {**dict.fromkeys(RMDQ_ITEMS, False), "walks_slowly": True, "sleeps_less": True}
    responses["stays_in_bed"] = None
    assert _json("rmdq", responses) == {
        "instrument": "rmdq",
        "version": "RMDQ-24 (Roland & Morris 1983)",
        "scorable": True,
        "score": 2.1,
        "band": None,
        "details": {
            "ticked": 2,
            "items_answered": 23,
            "missing": ["stays_in_bed"],
            "pro_rated": True,
            "floor_or_ceiling": True,
            "mcid": 5,
        },
        "policy": RMDQ_POLICY,
        "reason": None,
        "higher_is_better": False,
    }


def test_rmdq_not_scorable_output() -> None:
    assert _json("rmdq", {"walks_slowly": True}, max_missing_items=0) == {
        "instrument": "rmdq",
        "version": "RMDQ-24 (Roland & Morris 1983)",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {"missing": [item for item in RMDQ_ITEMS if item != "walks_slowly"]},
        "policy": RMDQ_POLICY.replace("at most 2", "at most 0"),
        "reason": "23 items unanswered (at most 0 allowed)",
        "higher_is_better": False,
    }


@pytest.mark.parametrize("allowance", [-1, 24, True, "2"])
def test_rmdq_setting_errors(allowance: Any) -> None:
    assert _error("rmdq", {}, max_missing_items=allowance) == (
        "max_missing_items",
        "must be a whole number from 0 to 23",
        "max_missing_items: must be a whole number from 0 to 23",
    )


def test_rmdq_allows_23_missing_items_when_the_clinic_says_so() -> None:
    assert _json("rmdq", {"walks_slowly": True}, max_missing_items=23)["score"] == 24.0


# QuickDASH and LEFS --------------------------------------------------------------------------


def test_quickdash_output() -> None:
    responses = {**dict.fromkeys(QUICKDASH_ITEMS, 3), "sleep": None}
    assert _json("quickdash", responses) == {
        "instrument": "quickdash",
        "version": "QuickDASH (IWH, 11 items)",
        "scorable": True,
        "score": 50.0,
        "band": None,
        "details": {"sum": 30, "items_answered": 10, "missing": ["sleep"], "mcid": 14},
        "policy": "at most 1 item(s) of 11 missing (IWH: at least 10 answered)",
        "reason": None,
        "higher_is_better": False,
    }


def test_quickdash_not_scorable_output() -> None:
    responses = {**dict.fromkeys(QUICKDASH_ITEMS, 3), "sleep": None, "open_jar": None}
    assert _json("quickdash", responses) == {
        "instrument": "quickdash",
        "version": "QuickDASH (IWH, 11 items)",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {"missing": ["open_jar", "sleep"]},
        "policy": "at most 1 item(s) of 11 missing (IWH: at least 10 answered)",
        "reason": "2 items unanswered (at most 1 allowed)",
        "higher_is_better": False,
    }


def test_lefs_output() -> None:
    responses = {**dict.fromkeys(LEFS_ITEMS, 2), "hopping": None}
    assert _json("lefs", responses, max_missing_items=1) == {
        "instrument": "lefs",
        "version": "LEFS (Binkley 1999)",
        "scorable": True,
        "score": 40.0,
        "band": None,
        "details": {
            "total": 38,
            "items_answered": 19,
            "missing": ["hopping"],
            "pro_rated": True,
            "mcid": 9,
        },
        "policy": "total of the 20 items; at most 1 missing [P]",
        "reason": None,
        "higher_is_better": True,
    }


def test_lefs_not_scorable_output() -> None:
    responses = {**dict.fromkeys(LEFS_ITEMS, 2), "hopping": None}
    assert _json("lefs", responses) == {
        "instrument": "lefs",
        "version": "LEFS (Binkley 1999)",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {"missing": ["hopping"]},
        "policy": "total of the 20 items; at most 0 missing [P]",
        "reason": "1 items unanswered (at most 0 allowed)",
        "higher_is_better": False,
    }


# PSFS --------------------------------------------------------------------------------------


def test_psfs_output() -> None:
    responses = {
        "activities": [
            {"activity": "Gardening", "rating": 4},
            {"activity": "Driving", "rating": None},
            {"activity": "Lifting", "rating": 7},
        ]
    }
    assert _json("psfs", responses) == {
        "instrument": "psfs",
        "version": "PSFS (Stratford 1995), up to 5 activities",
        "scorable": True,
        "score": 5.5,
        "band": None,
        "details": {"ratings": [4, 7], "activities_rated": 2, "mdc": 2},
        "policy": "mean of the rated activities; unrated activities are left out",
        "reason": None,
        "higher_is_better": True,
    }


def test_psfs_with_five_activities_is_accepted() -> None:
    activities = [{"activity": f"Activity {n}", "rating": n} for n in range(5)]
    assert _json("psfs", {"activities": activities})["score"] == 2.0


def test_psfs_not_scorable_output() -> None:
    assert _json("psfs", {"activities": [{"activity": "Gardening"}]}) == {
        "instrument": "psfs",
        "version": "PSFS (Stratford 1995), up to 5 activities",
        "scorable": False,
        "score": None,
        "band": None,
        "details": {},
        "policy": "mean of the rated activities; unrated activities are left out",
        "reason": "no activity rated",
        "higher_is_better": False,
    }


@pytest.mark.parametrize(
    ("responses", "error"),
    [
        ({}, ("activities", 'must be a list of {"activity": ..., "rating": 0-10}')),
        (
            {"activities": "gardening"},
            ("activities", 'must be a list of {"activity": ..., "rating": 0-10}'),
        ),
        (
            {"activities": [{"activity": f"A{n}", "rating": 1} for n in range(6)]},
            ("activities", "must list at most 5 activities"),
        ),
        ({"activities": ["gardening"]}, ("activities[1]", "must have an activity and a rating")),
        (
            {"activities": [{"activity": "A", "rating": 1}, {"activity": "B", "score": 2}]},
            ("activities[2]", "must have an activity and a rating"),
        ),
        (
            {"activities": [{"activity": "  ", "rating": 1}]},
            ("activities[1].activity", "must name the activity"),
        ),
        ({"activities": [{"rating": 1}]}, ("activities[1].activity", "must name the activity")),
        (
            {"activities": [{"activity": "A", "rating": 11}]},
            ("activities[1].rating", "must be from 0 to 10"),
        ),
        ({"goal": "walk"}, ("goal", "is not an item of this instrument")),
    ],
)
def test_psfs_errors(responses: Any, error: tuple[str, str]) -> None:
    assert _error("psfs", responses)[:2] == error


# The registry ------------------------------------------------------------------------------


def test_an_unknown_instrument_is_refused_naming_the_known_ones() -> None:
    assert _error("dash", {}) == (
        "instrument",
        "must be one of nprs, startback, odi, ndi, rmdq, quickdash, lefs, psfs",
        "instrument: must be one of nprs, startback, odi, ndi, rmdq, quickdash, lefs, psfs",
    )


def test_an_unknown_setting_is_refused_naming_it() -> None:
    assert _error("ndi", {}, max_missing=1, banding="x") == (
        "settings",
        "ndi has no setting banding, max_missing",
        "settings: ndi has no setting banding, max_missing",
    )


def test_a_setting_replaces_its_default_only() -> None:
    result = _json("odi", dict.fromkeys(ODI_SECTIONS, 1), version="1.0")
    assert (result["version"], result["score"]) == ("ODI 1.0", 20.0)


@pytest.mark.parametrize(("instrument", "highest"), [("ndi", 9), ("quickdash", 10), ("lefs", 19)])
def test_a_missing_item_allowance_out_of_range_is_refused(instrument: str, highest: int) -> None:
    assert _error(instrument, {}, max_missing_items=highest + 1) == (
        "max_missing_items",
        f"must be a whole number from 0 to {highest}",
        f"max_missing_items: must be a whole number from 0 to {highest}",
    )


def test_a_pro_rated_ndi_is_kept_to_one_decimal_in_both_units() -> None:
    responses = {**dict.fromkeys(NDI_SECTIONS, 1), "work": 3, "driving": None}
    # 11 over 9 items: 12.22 on the 0-50 scale, 24.44 %.
    details = _json("ndi", responses)["details"]
    assert (details["raw_equivalent"], details["percentage"]) == (12.2, 24.4)
    assert _json("ndi", responses)["score"] == 12.2


def test_a_pro_rated_lefs_is_kept_to_one_decimal() -> None:
    responses = {**dict.fromkeys(LEFS_ITEMS, 2), "hopping": None, "car": 1}
    # 37 over 19 items, pro-rated to 20: 38.95.
    assert _json("lefs", responses, max_missing_items=1)["score"] == 38.9


def test_startback_withholds_a_group_a_missing_subscale_item_could_change() -> None:
    responses = {
        **{f"q{n}": "disagree" for n in range(1, 9)},
        "q1": "agree",
        "q5": "agree",
        "q6": "agree",
        "q7": "agree",
    }
    # Total 4 and subscale 3 without q9: medium, or high if q9 scores.
    assert _json("startback", responses, band_when_determined=True)["scorable"] is False


def test_startback_gives_the_group_a_missing_item_outside_the_subscale_cannot_change() -> None:
    responses = {
        **{f"q{n}": "disagree" for n in range(2, 9)},
        "q2": "agree",
        "q5": "agree",
        "q6": "agree",
        "q7": "agree",
        "q9": "not_at_all",
    }
    # q1 missing: total 4 or 5, subscale 3 either way: medium.
    result = _json("startback", responses, band_when_determined=True)
    assert (result["scorable"], result["band"]) == (True, "medium")
