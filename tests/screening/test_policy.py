"""Every policy point ([P] in clinical.md) has a default and can be changed, one test each."""

from __future__ import annotations

import pytest

from clinic.screening import ScreeningPolicy, Tier, screen
from clinic.screening.policy import PolicyError, load_policy
from clinic.screening.rules import RULE_IDS
from tests.screening.stories import answers, legs, symptom


def test_unsure_counts_as_yes_in_time_critical_clusters_by_default_and_can_be_turned_off() -> None:
    story = answers(**{**symptom("saddle_numbness"), "saddle_numbness": "unsure"})
    assert screen(story).tier is Tier.EMERGENCY
    assert screen(story, ScreeningPolicy(unsure_counts_as_yes=False)).tier is Tier.NONE


def test_unsure_does_not_count_as_yes_outside_the_time_critical_clusters() -> None:
    assert screen(answers(weight_loss="unsure")).tier is Tier.NONE


def test_unanswered_time_critical_questions_give_incomplete_unless_turned_off() -> None:
    story = {key: value for key, value in answers().items() if key != "fever"}
    assert screen(story).tier is Tier.INCOMPLETE
    turned_off = screen(story, ScreeningPolicy(incomplete_when_time_critical_unanswered=False))
    assert turned_off.tier is Tier.NONE
    assert turned_off.unanswered_time_critical == ("fever",)


def test_the_recent_onset_window_is_14_days_by_default_and_configurable() -> None:
    story = answers(**symptom("bladder_change", onset_days=20))
    assert screen(story).tier is Tier.URGENT
    assert screen(story, ScreeningPolicy(recent_onset_days=21)).tier is Tier.EMERGENCY


def test_stable_bilateral_leg_symptoms_are_urgent_by_default_or_an_emergency_by_policy() -> None:
    story = answers(**legs("both", onset_days=30, trend="same"))
    assert screen(story).tier is Tier.URGENT
    assert (
        screen(story, ScreeningPolicy(stable_bilateral_leg_tier=Tier.EMERGENCY)).tier
        is Tier.EMERGENCY
    )


def test_the_fracture_age_threshold_is_70_by_default_and_configurable() -> None:
    story = answers(age=66, sudden_severe_pain="yes")
    assert screen(story).tier is Tier.NONE
    assert screen(story, ScreeningPolicy(fracture_age_years=65)).tier is Tier.URGENT


def test_the_malignancy_age_threshold_is_50_by_default_and_configurable() -> None:
    story = answers(age=48, constant_pain="yes")
    assert screen(story).tier is Tier.NONE
    assert screen(story, ScreeningPolicy(malignancy_age_years=45)).tier is Tier.URGENT


def test_the_first_episode_age_flag_bounds_are_configurable() -> None:
    story = answers(age=63, first_episode="yes")
    assert screen(story).tier is Tier.URGENT
    assert screen(story, ScreeningPolicy(age_flag_upper_years=65)).tier is Tier.NONE
    young = answers(age=16, first_episode="yes")
    assert screen(young, ScreeningPolicy(age_flag_lower_years=18)).tier is Tier.URGENT


def test_the_age_flag_can_be_made_routine_or_switched_off() -> None:
    story = answers(age=63, first_episode="yes")
    routine = ScreeningPolicy(tier_overrides={"U-AGE-1": Tier.ROUTINE_WITH_FLAG})
    assert screen(story, routine).tier is Tier.ROUTINE_WITH_FLAG
    assert screen(story, ScreeningPolicy(disabled_rules=frozenset({"U-AGE-1"}))).tier is Tier.NONE


def test_improving_spasms_raise_no_flag_unless_the_clinic_chooses() -> None:
    story = answers(back_spasms="yes", pain_duration_days=20, pain_trend="better")
    assert screen(story).tier is Tier.NONE
    assert (
        screen(story, ScreeningPolicy(spasm_flag_when_improving=True)).tier
        is Tier.ROUTINE_WITH_FLAG
    )


def test_the_spasm_and_persistent_pain_windows_are_configurable() -> None:
    spasms = answers(back_spasms="yes", pain_duration_days=10, pain_trend="same")
    assert screen(spasms).tier is Tier.NONE
    assert screen(spasms, ScreeningPolicy(spasm_days=7)).tier is Tier.ROUTINE_WITH_FLAG
    pain = answers(pain_duration_days=30, pain_trend="worse")
    assert screen(pain, ScreeningPolicy(persistent_pain_days=28)).tier is Tier.ROUTINE_WITH_FLAG


def test_a_policy_file_changes_settings_and_the_result_shows_what_changed() -> None:
    policy = load_policy('{"age_flag_upper_years": 65, "disabled_rules": ["R-DUR-2"]}', RULE_IDS)
    result = screen(answers(), policy).to_json()
    assert result["policy_changes"] == {"age_flag_upper_years": 65, "disabled_rules": ["R-DUR-2"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"age_flag_upper": 65}', "unknown screening policy setting"),
        ('{"fracture_age_years": "seventy"}', "whole number"),
        ('{"unsure_counts_as_yes": 1}', "true or false"),
        ('{"disabled_rules": ["X-NOPE-1"]}', "unknown rules: X-NOPE-1"),
        ('{"tier_overrides": {"U-AGE-1": "NONE"}}', "must be one of"),
        ("[1, 2]", "JSON object"),
        ("{oops", "not valid JSON"),
    ],
)
def test_a_bad_policy_file_is_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        load_policy(text, RULE_IDS)
