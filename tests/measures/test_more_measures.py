"""RMDQ, QuickDASH and LEFS (clinical.md §7.6-§7.8), the NPRS change against the first
visit with its MCID, and NDI's two units."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clinic.measures import MeasureError, score
from clinic.measures.lefs import ITEMS as LEFS_ITEMS
from clinic.measures.quickdash import ITEMS as QUICKDASH_ITEMS
from clinic.measures.registry import change
from clinic.measures.rmdq import ITEMS as RMDQ_ITEMS


def _rmdq(ticked: int, **others: Any) -> dict[str, Any]:
    items = list(RMDQ_ITEMS)
    return {
        **{item: index < ticked for index, item in enumerate(items)},
        **others,
    }


# RMDQ -----------------------------------------------------------------------------------


@pytest.mark.parametrize("ticked", [0, 1, 12, 24])
def test_rmdq_is_the_number_of_statements_ticked(ticked: int) -> None:
    result = score("rmdq", _rmdq(ticked))
    assert (result.scorable, result.score) == (True, ticked)
    assert result.higher_is_better is False


def test_rmdq_not_applicable_scores_zero_like_an_unticked_statement() -> None:
    result = score("rmdq", _rmdq(5, stays_in_bed="not_applicable"))
    assert result.score == 5
    assert result.details["items_answered"] == 24


def test_rmdq_two_unanswered_items_are_pro_rated() -> None:
    result = score("rmdq", _rmdq(11, stays_home=None, changes_position=None))
    # Nine ticked of the 22 answered: 9 x 24 / 22.
    assert result.score == 9.8
    assert result.details["pro_rated"] is True


def test_rmdq_three_unanswered_items_are_not_scorable_by_default_but_can_be_allowed() -> None:
    three_missing = _rmdq(0, stays_home=None, changes_position=None, walks_slowly=None)
    assert score("rmdq", three_missing).scorable is False
    assert score("rmdq", three_missing, max_missing_items=3).scorable is True


def test_rmdq_marks_the_floor_and_the_ceiling() -> None:
    assert score("rmdq", _rmdq(3)).details["floor_or_ceiling"] is True
    assert score("rmdq", _rmdq(4)).details["floor_or_ceiling"] is False
    assert score("rmdq", _rmdq(20)).details["floor_or_ceiling"] is False
    assert score("rmdq", _rmdq(21)).details["floor_or_ceiling"] is True


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ({"stays_home": "yes"}, 'stays_home: must be true (ticked), false or "not_applicable"'),
        ({"sleeping": True}, "sleeping: is not an item of this instrument"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_rmdq_bad_input_is_refused(responses: Any, message: str) -> None:
    with pytest.raises(MeasureError, match=re.escape(message)):
        score("rmdq", responses)


# QuickDASH --------------------------------------------------------------------------------


@pytest.mark.parametrize(("each", "expected"), [(1, 0.0), (2, 25.0), (3, 50.0), (5, 100.0)])
def test_quickdash_is_the_mean_minus_one_times_25(each: int, expected: float) -> None:
    assert score("quickdash", dict.fromkeys(QUICKDASH_ITEMS, each)).score == expected


def test_quickdash_scores_ten_of_eleven_items_and_keeps_two_decimals() -> None:
    responses = {**dict.fromkeys(QUICKDASH_ITEMS, 2), "open_jar": 5, "sleep": None}
    # (23 / 10 - 1) x 25 = 32.5; with an odd sum: 24 / 10 -> 35.0
    assert score("quickdash", responses).score == 32.5
    responses["heavy_chores"] = 3
    assert score("quickdash", responses).score == 35.0
    # 23 / 11 = 2.0909...: (2.0909 - 1) x 25 = 27.27
    elevenths = {**dict.fromkeys(QUICKDASH_ITEMS, 2), "sleep": 3}
    assert score("quickdash", elevenths).score == 27.27


def test_quickdash_with_two_items_missing_is_not_scorable() -> None:
    responses = {**dict.fromkeys(QUICKDASH_ITEMS, 2), "open_jar": None, "sleep": None}
    assert score("quickdash", responses).scorable is False


def test_quickdash_answers_run_from_1_to_5() -> None:
    with pytest.raises(MeasureError, match="open_jar: must be from 1 to 5"):
        score("quickdash", {**dict.fromkeys(QUICKDASH_ITEMS, 1), "open_jar": 0})


# LEFS -------------------------------------------------------------------------------------


def test_lefs_is_the_total_of_twenty_items_and_higher_is_better() -> None:
    result = score("lefs", dict.fromkeys(LEFS_ITEMS, 3))
    assert (result.score, result.higher_is_better) == (60, True)


def test_lefs_needs_every_item_by_default() -> None:
    responses = {**dict.fromkeys(LEFS_ITEMS, 4), "hopping": None}
    assert score("lefs", responses).scorable is False
    assert score("lefs", responses, max_missing_items=1).score == 80


def test_lefs_answers_run_from_0_to_4() -> None:
    with pytest.raises(MeasureError, match="hopping: must be from 0 to 4"):
        score("lefs", {**dict.fromkeys(LEFS_ITEMS, 4), "hopping": 5})


# Change against the first visit ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "latest", "important"),
    [
        (8, 6, True),  # 2 points
        (8, 7, False),  # 1 point, 12.5 %
        (3, 2, True),  # 1 point, but 33 %
        (10, 8, True),
        (5, 7, False),  # worse
        (0, 0, False),
    ],
)
def test_nprs_change_passes_the_mcid_at_2_points_or_30_percent(
    first: int, latest: int, important: bool
) -> None:
    result = change("nprs", first, latest)
    assert result is not None
    assert result.clinically_important is important
    assert result.difference == latest - first


def test_nprs_change_reports_the_percentage_and_the_rule() -> None:
    result = change("nprs", 8, 5)
    assert result is not None
    assert (result.difference, result.percent, result.improved) == (-3, -37.5, True)
    assert result.rule == "an improvement of 2 points or 30 %"


def test_for_a_scale_where_higher_is_better_a_rise_is_the_improvement() -> None:
    assert change("lefs", 40, 49).clinically_important is True  # type: ignore[union-attr]
    assert change("lefs", 49, 40).improved is False  # type: ignore[union-attr]


def test_an_instrument_without_an_mcid_has_no_change_judgement() -> None:
    assert change("startback", 6, 2) is None


# NDI's two units ----------------------------------------------------------------------------


def test_ndi_reports_the_0_to_50_score_and_the_percentage() -> None:
    result = score(
        "ndi",
        dict.fromkeys(
            [
                "pain_intensity",
                "personal_care",
                "lifting",
                "reading",
                "headaches",
                "concentration",
                "work",
                "driving",
                "sleeping",
                "recreation",
            ],
            2,
        ),
    )
    assert result.score == 20
    assert result.details["percentage"] == 40


def test_a_change_in_full() -> None:
    from clinic.measures.registry import Change

    assert change("nprs", 6, 4) == Change(
        difference=-2,
        percent=-33.3,
        improved=True,
        clinically_important=True,
        rule="an improvement of 2 points or 30 %",
    )
    assert change("ndi", 20.25, 14.125) == Change(
        difference=-6.12,
        percent=-30.2,
        improved=True,
        clinically_important=True,
        rule="an improvement of 5 points",
    )


@pytest.mark.parametrize(
    ("first", "latest", "important"),
    [
        (10, 7, True),  # exactly 30 %: 3 points
        (7, 6, False),  # 14 %
        (5, 3.6, False),  # 1.4 points, 28 %
        (5, 3.5, True),  # 1.5 points, exactly 30 %
    ],
)
def test_the_mcid_boundaries_of_nprs(first: float, latest: float, important: bool) -> None:
    result = change("nprs", first, latest)
    assert result is not None and result.clinically_important is important


def test_no_change_is_not_an_improvement() -> None:
    result = change("odi", 40, 40)
    assert result is not None
    assert (result.improved, result.clinically_important, result.percent) == (False, False, 0.0)


def test_a_half_point_improvement_is_an_improvement() -> None:
    result = change("odi", 40, 39.5)
    assert result is not None and result.improved is True


def test_just_under_30_percent_and_2_points_is_not_important() -> None:
    result = change("nprs", 5, 3.51)
    assert result is not None and result.clinically_important is False
