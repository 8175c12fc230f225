"""Outcome measures: published worked examples, every band boundary, every missing-data policy."""

from __future__ import annotations

from typing import Any

import pytest

from clinic.measures import MeasureError, score
from clinic.measures.ndi import SECTIONS as NDI_SECTIONS
from clinic.measures.odi import SECTIONS as ODI_SECTIONS


def odi(*values: int | None, **settings: Any) -> Any:
    return score("odi", dict(zip(ODI_SECTIONS, values, strict=True)), **settings)


def ndi(*values: int | None, **settings: Any) -> Any:
    return score("ndi", dict(zip(NDI_SECTIONS, values, strict=True)), **settings)


def startback(agree: set[int], bother: str) -> Any:
    responses: dict[str, str] = {
        f"q{n}": "agree" if n in agree else "disagree" for n in range(1, 9)
    }
    return score("startback", {**responses, "q9": bother})


# ODI ----------------------------------------------------------------------------------------


def test_odi_16_of_50_is_32_percent() -> None:
    result = odi(2, 1, 2, 2, 2, 2, 1, 1, 2, 1)
    assert (result.score, result.band) == (32.0, "moderate disability")
    assert result.details["total"] == 16


def test_odi_16_of_45_with_one_section_missing_is_35_6_percent() -> None:
    result = odi(2, 1, 2, 2, 2, 2, 1, None, 2, 2)
    assert result.score == 35.6
    assert result.details["missing"] == ["sex_life"]


def test_odi_awell_reference_vector_is_60_percent() -> None:
    assert odi(1, 5, 4, 4, 3, 0, 1, 5, 3, 4).score == 60.0


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (10, "minimal disability"),
        (11, "moderate disability"),
        (20, "moderate disability"),
        (21, "severe disability"),
        (30, "severe disability"),
        (31, "crippled"),
        (40, "crippled"),
        (41, "bed-bound or exaggerating symptoms"),
    ],
)
def test_odi_band_boundaries(total: int, band: str) -> None:
    values = [min(5, max(0, total - 5 * index)) for index in range(10)]
    assert odi(*values).band == band


def test_odi_two_missing_sections_is_not_scorable_by_default_but_can_be_allowed() -> None:
    refused = odi(2, 1, 2, 2, 2, 2, 1, None, None, 2)
    allowed = odi(2, 1, 2, 2, 2, 2, 1, None, None, 2, max_missing_sections=2)
    assert refused.scorable is False
    assert refused.score is None
    assert "2 sections unanswered" in (refused.reason or "")
    assert allowed.score == 35.0


def test_odi_several_statements_ticked_score_the_highest() -> None:
    responses: dict[str, Any] = dict.fromkeys(ODI_SECTIONS, 1)
    responses["lifting"] = [1, 3]
    assert score("odi", responses).details["total"] == 12


def test_odi_records_its_version_and_refuses_an_unknown_one() -> None:
    assert odi(*[1] * 10, version="2.0").version == "ODI 2.0"
    with pytest.raises(MeasureError, match="version"):
        odi(*[1] * 10, version="modified")


# NDI -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (4, "no disability"),
        (5, "mild"),
        (14, "mild"),
        (15, "moderate"),
        (24, "moderate"),
        (25, "severe"),
        (34, "severe"),
        (35, "complete"),
        (50, "complete"),
    ],
)
def test_ndi_vernon_bands_on_the_raw_score(raw: int, band: str) -> None:
    values = [min(5, max(0, raw - 5 * index)) for index in range(10)]
    result = ndi(*values)
    assert (result.details["raw"], result.band) == (raw, band)
    assert result.details["percentage"] == raw * 2


def test_ndi_one_missing_item_is_pro_rated_by_the_authors_method() -> None:
    result = ndi(2, 1, 2, 2, 3, 1, 2, None, 2, 1)  # 16 over 9 items
    assert result.details["raw"] == 16
    assert result.score == round(16 * 10 / 9, 1)
    assert result.details["pro_rated"] is True


def test_ndi_three_missing_items_is_not_scorable_by_default_but_can_be_allowed() -> None:
    values = (2, 1, 2, 2, 3, 1, 2, None, None, None)
    assert ndi(*values).scorable is False
    assert ndi(*values, max_missing_items=3).score == round(13 * 10 / 7, 1)


def test_ndi_pro_rated_score_just_under_a_boundary_keeps_the_lower_band() -> None:
    result = ndi(1, 1, 0, 1, 0, 0, 0, 1, None, None)  # 4 over 8 items: 5.0, mild
    assert (result.score, result.band) == (5.0, "mild")
    lower = ndi(1, 1, 0, 1, 0, 0, 0, 0, 1, None)  # 4 over 9 items: 4.4, no disability
    assert (lower.score, lower.band) == (4.4, "no disability")


# STarT Back ----------------------------------------------------------------------------------


def test_startback_total_of_3_is_always_low_even_with_a_high_subscale() -> None:
    result = startback({5, 6}, "extremely")  # total 3, subscale 3
    assert (result.score, result.band) == (3.0, "low")


@pytest.mark.parametrize(
    ("agree", "bother", "total", "subscale", "band"),
    [
        ({1, 2, 3, 4}, "moderately", 4, 0, "medium"),
        ({1, 2, 5, 6}, "very_much", 5, 3, "medium"),
        ({1, 5, 6, 7}, "very_much", 5, 4, "high"),
        ({5, 6, 7, 8}, "extremely", 5, 5, "high"),
        (set(), "not_at_all", 0, 0, "low"),
    ],
)
def test_startback_keele_flowchart(
    agree: set[int], bother: str, total: int, subscale: int, band: str
) -> None:
    result = startback(agree, bother)
    assert (result.details["total"], result.details["psychosocial_subscale"], result.band) == (
        total,
        subscale,
        band,
    )


@pytest.mark.parametrize(
    ("bother", "points"), [("moderately", 0), ("very_much", 1), ("extremely", 1)]
)
def test_startback_only_very_much_and_extremely_score_on_q9(bother: str, points: int) -> None:
    assert startback(set(), bother).details["total"] == points


def test_startback_with_a_missing_item_is_not_scorable() -> None:
    responses = {f"q{n}": "disagree" for n in range(1, 9)}
    result = score("startback", responses)
    assert result.scorable is False
    assert result.reason == "unanswered: q9"


# NPRS and PSFS -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "banding", "band"),
    [
        (0, "boonstra_2016", "no pain"),
        (5, "boonstra_2016", "mild"),
        (6, "boonstra_2016", "moderate"),
        (8, "boonstra_2016", "severe"),
        (3, "three_bands", "mild"),
        (4, "three_bands", "moderate"),
        (7, "three_bands", "severe"),
    ],
)
def test_nprs_bands_are_a_labelled_display_choice(rating: int, banding: str, band: str) -> None:
    result = score("nprs", {"rating": rating}, banding=banding)
    assert (result.score, result.band) == (float(rating), band)
    assert banding in result.policy


def test_nprs_refuses_a_rating_out_of_range_and_reports_a_missing_one() -> None:
    with pytest.raises(MeasureError, match="rating"):
        score("nprs", {"rating": 11})
    assert score("nprs", {}).scorable is False


def test_psfs_is_the_mean_of_the_rated_activities_and_higher_is_better() -> None:
    result = score(
        "psfs",
        {
            "activities": [
                {"activity": "Gardening", "rating": 3},
                {"activity": "Lifting my grandson", "rating": 4},
                {"activity": "Driving", "rating": None},
            ]
        },
    )
    assert result.score == 3.5
    assert result.higher_is_better is True
    assert result.details["activities_rated"] == 2


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ({"activities": [{"activity": "", "rating": 3}]}, "must name the activity"),
        ({"activities": [{"activity": "Walking", "rating": 12}]}, "must be from 0 to 10"),
        ({"activities": [{"activity": f"A{n}", "rating": 1} for n in range(6)]}, "at most 5"),
        ({"activities": "walking"}, "must be a list"),
    ],
)
def test_psfs_bad_input_is_refused(responses: dict[str, Any], message: str) -> None:
    with pytest.raises(MeasureError, match=message):
        score("psfs", responses)


def test_psfs_with_nothing_rated_is_not_scorable() -> None:
    assert score("psfs", {"activities": []}).scorable is False


def test_startback_can_give_the_risk_group_when_missing_items_could_not_change_it() -> None:
    responses: dict[str, Any] = {f"q{n}": "agree" for n in range(1, 9)}  # total 8 without q9
    result = score("startback", responses, band_when_determined=True)
    assert (result.scorable, result.band, result.score) == (True, "high", None)
    assert result.details["total_range"] == [8, 9]


def test_startback_stays_not_scorable_when_a_missing_item_could_change_the_group() -> None:
    responses = {
        "q1": "agree",
        "q2": "agree",
        "q3": "agree",
        "q4": "disagree",
        "q5": "disagree",
        "q6": "disagree",
        "q7": "disagree",
        "q8": "disagree",
    }  # total 3: low or medium
    result = score("startback", responses, band_when_determined=True)
    assert result.scorable is False
    assert result.reason == "unanswered: q9"


def test_psfs_keeps_the_mean_to_two_decimals() -> None:
    result = score(
        "psfs",
        {
            "activities": [
                {"activity": "Bending to garden", "rating": 3},
                {"activity": "Driving", "rating": 4},
                {"activity": "Lifting my grandchild", "rating": 4},
            ]
        },
    )
    assert result.score == 3.67
