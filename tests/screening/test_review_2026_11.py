"""The clinical review of 2026-11 (clinical.md §3.1, §3.2, §4.1, §4.4, §4.5, §6): false
alarms removed, each with its reason, and the signs the intake did not ask about."""

from __future__ import annotations

from typing import Any

from clinic.screening import Condition, Tier, screen
from tests.screening.stories import answers, legs, symptom


def _rules(story: dict[str, Any]) -> set[str]:
    return {rule.rule_id for rule in screen(story).fired}


# Trauma: lifting is context; trauma with a deficit, not with one-sided pain -----------------


def test_one_sided_sciatica_after_lifting_is_radiculopathy_not_a_fracture() -> None:
    story = answers(lifting_or_strain="yes", **legs("right"))
    assert screen(story).tier is Tier.ROUTINE_WITH_FLAG
    assert _rules(story) == {"R-RAD-1"}


def test_one_sided_leg_tingling_after_a_fall_is_not_an_emergency() -> None:
    story = answers(fall_or_blow="yes", **legs("left"))
    assert screen(story).tier is Tier.ROUTINE_WITH_FLAG
    assert "E-FX-1" not in _rules(story)


def test_a_fall_followed_by_foot_drop_is_an_emergency() -> None:
    story = answers(fall_or_blow="yes", **legs("left", foot_drop="yes"))
    assert screen(story).tier is Tier.EMERGENCY
    assert "E-FX-1" in _rules(story)


def test_a_fall_followed_by_new_symptoms_in_both_legs_is_an_emergency_fracture() -> None:
    story = answers(fall_or_blow="yes", **legs("both", onset_days=20, trend="better"))
    assert "E-FX-1" in _rules(story)


def test_lifting_with_osteoporosis_is_an_urgent_possible_fragility_fracture() -> None:
    story = answers(lifting_or_strain="yes", osteoporosis="yes")
    assert screen(story).tier is Tier.URGENT
    assert _rules(story) == {"U-FX-1"}


def test_sudden_severe_pain_after_a_previous_fragility_fracture_is_urgent() -> None:
    story = answers(sudden_severe_pain="yes", fragility_fracture="yes")
    assert _rules(story) == {"U-FX-1"}


def test_a_previous_fragility_fracture_alone_raises_no_flag() -> None:
    assert screen(answers(fragility_fracture="yes")).tier is Tier.NONE


# Long-standing leg symptoms ----------------------------------------------------------------


def test_numb_feet_from_diabetic_neuropathy_unchanged_for_years_are_not_urgent() -> None:
    story = answers(diabetes="yes", **legs("both", status="unchanged"))
    result = screen(story)
    assert result.tier is Tier.ROUTINE_WITH_FLAG
    assert _rules(story) == {"R-CES-HX"}


def test_bilateral_leg_symptoms_that_changed_since_the_pain_two_days_ago_are_an_emergency() -> None:
    story = answers(**legs("both", status="changed", onset_days=2))
    assert _rules(story) >= {"E-CES-5"}


# Walking ---------------------------------------------------------------------------------


def test_walking_getting_worse_over_days_is_deteriorating_cord_pathology() -> None:
    story = answers(walking_difficulty="yes", walking_difficulty_pace="over_days")
    assert screen(story).tier is Tier.EMERGENCY
    assert screen(story).conditions == (Condition.CORD_COMPRESSION,)


def test_walking_slowly_getting_worse_over_months_is_urgent_myelopathy_not_an_emergency() -> None:
    story = answers(
        age=68,
        first_episode="no",
        walking_difficulty="yes",
        walking_difficulty_pace="over_weeks",
        hands_numb="yes",
    )
    assert screen(story).tier is Tier.URGENT
    assert screen(story).conditions == (Condition.CERVICAL_MYELOPATHY,)


def test_walking_stable_for_years_is_a_falls_risk() -> None:
    story = answers(walking_difficulty="yes", walking_difficulty_pace="stable")
    assert _rules(story) == {"R-FALLS-1"}


def test_no_walking_difficulty_is_not_a_walking_problem() -> None:
    assert screen(answers(walking_difficulty="no")).tier is Tier.NONE


# Persistent pain --------------------------------------------------------------------------


def test_stable_chronic_pain_of_two_years_is_not_flagged() -> None:
    story = answers(pain_duration_days=730, pain_trend="same", pain_new_or_changed="no")
    assert screen(story).tier is Tier.NONE


def test_chronic_pain_that_is_getting_worse_is_reassessed() -> None:
    story = answers(pain_duration_days=730, pain_trend="worse", pain_new_or_changed="no")
    assert _rules(story) == {"R-DUR-2"}


def test_new_pain_of_seven_weeks_that_is_not_improving_is_reassessed() -> None:
    story = answers(pain_duration_days=49, pain_trend="same", pain_new_or_changed="yes")
    assert _rules(story) == {"R-DUR-2"}


def test_new_pain_of_seven_weeks_that_is_improving_is_not_flagged() -> None:
    story = answers(pain_duration_days=49, pain_trend="better", pain_new_or_changed="yes")
    assert screen(story).tier is Tier.NONE


# Signs the intake did not ask about --------------------------------------------------------


def test_one_arm_suddenly_weak_on_its_own_is_a_stroke_emergency() -> None:
    story = answers(sudden_limb_weakness="yes")
    assert screen(story).conditions == (Condition.STROKE_TIA,)
    assert screen(story).tier is Tier.EMERGENCY


def test_one_leg_with_sciatica_but_no_sudden_weakness_is_not_a_stroke() -> None:
    story = answers(sudden_limb_weakness="no", **legs("left", trend="worse"))
    assert "E-STROKE-1" not in _rules(story)


def test_new_weakness_of_both_arms_alone_is_a_cord_emergency() -> None:
    story = answers(regions=("cervical",), both_arms_weak="yes")
    assert _rules(story) == {"E-CORD-1"}


def test_nausea_or_vomiting_without_tummy_pain_needs_a_same_day_gp_review() -> None:
    story = answers(nausea_or_vomiting="yes")
    assert _rules(story) == {"U-VISC-1"}


def test_no_nausea_is_not_nausea() -> None:
    assert screen(answers(nausea_or_vomiting="no")).tier is Tier.NONE


def test_a_new_bladder_change_with_neck_pain_only_is_cord_compression() -> None:
    story = answers(regions=("cervical",), **symptom("bladder_change"))
    assert screen(story).tier is Tier.EMERGENCY
    assert _rules(story) == {"E-CORD-1"}


def test_a_stable_bowel_change_of_a_month_with_neck_pain_only_is_urgent_myelopathy() -> None:
    story = answers(
        regions=("cervical",), pain_duration_days=60, **symptom("bowel_change", onset_days=30)
    )
    assert _rules(story) == {"U-DCM-1"}


def test_a_new_bladder_change_with_back_pain_is_still_cauda_equina() -> None:
    story = answers(regions=("lumbar",), **symptom("bladder_change"))
    assert _rules(story) == {"E-CES-1"}


def test_neck_patients_are_asked_about_the_bladder_and_bowel() -> None:
    from clinic.screening.engine import is_asked
    from clinic.screening.questions import QUESTIONS_BY_ID

    neck = {"pain_regions": ["cervical"]}
    assert is_asked(QUESTIONS_BY_ID["bladder_change"], neck)
    assert is_asked(QUESTIONS_BY_ID["bowel_change"], neck)
    assert not is_asked(QUESTIONS_BY_ID["saddle_numbness"], neck)
