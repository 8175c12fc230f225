"""Patient stories with their answers and the expected tier and conditions (clinical.md §10:
vignette-based regression tests). The tricky negatives are here on purpose."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from clinic.screening import Condition, Tier, screen
from clinic.screening.answers import validate_answers
from tests.screening.stories import answers, legs, symptom

C = Condition


@dataclass(frozen=True)
class Story:
    summary: str
    answers: dict[str, Any]
    tier: Tier
    conditions: frozenset[Condition] = field(default_factory=frozenset)


def story(summary: str, given: dict[str, Any], tier: Tier, *conditions: Condition) -> Story:
    return Story(summary, given, tier, frozenset(conditions))


STORIES = [
    # No red flag -------------------------------------------------------------------------
    story(
        "Mechanical back spasm at 35 after gardening, no neurological signs",
        answers(age=35, back_spasms="yes", lifting_or_strain="yes", pain_duration_days=3),
        Tier.NONE,
    ),
    story(
        "A minor fall in a healthy young adult, mechanical pain",
        answers(age=24, fall_or_blow="yes", pain_duration_days=2),
        Tier.NONE,
    ),
    story(
        "Stiff neck after a long drive, 29 years old",
        answers(regions=("cervical",), age=29, pain_duration_days=4),
        Tier.NONE,
    ),
    story(
        "Upper back ache from desk work, 33 years old",
        answers(regions=("thoracic",), age=33, pain_duration_days=10, pain_trend="same"),
        Tier.NONE,
    ),
    story(
        "Spasms for three weeks but clearly improving",
        answers(back_spasms="yes", pain_duration_days=21, pain_trend="better"),
        Tier.NONE,
    ),
    story(
        "Osteoarthritis history, recurrent familiar low back pain at 48",
        answers(age=48, arthritis_history="no", pain_duration_days=7, first_episode="no"),
        Tier.NONE,
    ),
    story(
        "First episode at 58 (below the age flag)",
        answers(age=58, first_episode="yes", pain_duration_days=6),
        Tier.NONE,
    ),
    story(
        "Diabetes but no fever: a risk factor alone is not infection",
        answers(age=45, diabetes="yes", pain_duration_days=6),
        Tier.NONE,
    ),
    story(
        "Urinary frequency without fever",
        answers(age=40, urinary_symptoms="yes", pain_duration_days=6),
        Tier.NONE,
    ),
    story(
        "Neck patient with hands numb only (one feature of myelopathy)",
        answers(regions=("cervical",), age=44, hands_numb="yes"),
        Tier.NONE,
    ),
    # Routine with a flag -------------------------------------------------------------------
    story(
        "Long-standing unchanged stress incontinence is not cauda equina",
        answers(age=52, **symptom("bladder_change", status="unchanged")),
        Tier.ROUTINE_WITH_FLAG,
        C.CAUDA_EQUINA,
    ),
    story(
        "One-sided dermatomal leg tingling with back pain is radiculopathy, not a stroke",
        answers(age=41, **legs("left", onset_days=10)),
        Tier.ROUTINE_WITH_FLAG,
        C.RADICULOPATHY,
    ),
    story(
        "Sciatica on the right for a month, easing",
        answers(age=38, pain_duration_days=30, **legs("right", onset_days=30, trend="better")),
        Tier.ROUTINE_WITH_FLAG,
        C.RADICULOPATHY,
    ),
    story(
        "Spasms for three weeks, not improving",
        answers(back_spasms="yes", pain_duration_days=21, pain_trend="same"),
        Tier.ROUTINE_WITH_FLAG,
        C.PERSISTENT_SYMPTOMS,
    ),
    story(
        "New back pain for eight weeks, not improving",
        answers(pain_duration_days=56, pain_trend="same", pain_new_or_changed="yes"),
        Tier.ROUTINE_WITH_FLAG,
        C.PERSISTENT_SYMPTOMS,
    ),
    story(
        "Breast cancer ten years ago, familiar long-standing back pain unchanged",
        answers(age=47, cancer_history="yes", pain_new_or_changed="no", first_episode="no"),
        Tier.ROUTINE_WITH_FLAG,
        C.SPINAL_MALIGNANCY,
    ),
    story(
        "Rheumatoid arthritis with neck pain",
        answers(regions=("cervical",), age=55, inflammatory_or_connective_tissue="yes"),
        Tier.ROUTINE_WITH_FLAG,
        C.UPPER_CERVICAL_INSTABILITY,
    ),
    story(
        "Young adult with inflammatory back pain, four NG65 criteria",
        answers(
            age=29,
            back_pain_onset_age=22,
            pain_duration_days=400,
            pain_trend="same",
            wakes_second_half_night="yes",
            better_with_movement="yes",
            better_with_anti_inflammatories="yes",
            buttock_pain="yes",
        ),
        Tier.ROUTINE_WITH_FLAG,
        C.AXIAL_SPONDYLOARTHRITIS,
    ),
    story(
        "Long-standing unsteadiness after a hip replacement",
        answers(age=57, walking_difficulty="yes", walking_difficulty_pace="stable"),
        Tier.ROUTINE_WITH_FLAG,
        C.FALLS_RISK,
    ),
    story(
        "Persistent back pain at 64, new and not improving, not first episode",
        answers(
            age=64,
            first_episode="no",
            pain_new_or_changed="yes",
            pain_duration_days=45,
            pain_trend="better",
        ),
        Tier.ROUTINE_WITH_FLAG,
        C.MYELOMA,
    ),
    # Urgent ------------------------------------------------------------------------------------
    story(
        "Osteoporosis, sudden severe mid-back pain after lifting shopping",
        answers(
            regions=("thoracic",),
            age=48,
            osteoporosis="yes",
            sudden_severe_pain="yes",
            lifting_or_strain="yes",
        ),
        Tier.URGENT,
        C.SPINAL_FRACTURE,
    ),
    story(
        "Steroid tablets for asthma for a year, sudden severe low back pain",
        answers(age=45, long_term_steroids="yes", sudden_severe_pain="yes"),
        Tier.URGENT,
        C.SPINAL_FRACTURE,
    ),
    story(
        "Prostate cancer history with new back pain, no neurology",
        answers(age=68, cancer_history="yes", pain_new_or_changed="yes"),
        Tier.URGENT,
        C.SPINAL_MALIGNANCY,
    ),
    story(
        "Unexplained weight loss with back pain",
        answers(age=44, weight_loss="yes"),
        Tier.URGENT,
        C.SPINAL_MALIGNANCY,
    ),
    story("Age 62, first ever back pain", answers(age=62, first_episode="yes"), Tier.URGENT, C.AGE),
    story(
        "Age 56 with night pain unrelieved by position",
        answers(age=56, night_pain="yes"),
        Tier.URGENT,
        C.SPINAL_MALIGNANCY,
    ),
    story(
        "Fever with back pain and no risk factors",
        answers(age=30, fever="yes"),
        Tier.URGENT,
        C.SPINAL_INFECTION,
    ),
    story(
        "Loin-to-groin colicky pain",
        answers(age=39, loin_to_groin_pain="yes"),
        Tier.URGENT,
        C.VISCERAL_CAUSE,
    ),
    story(
        "Bladder change for three weeks, stable",
        answers(**symptom("bladder_change", onset_days=21, trend="same")),
        Tier.URGENT,
        C.CAUDA_EQUINA,
    ),
    story(
        "Pain and tingling in both legs for six weeks, stable",
        answers(**legs("both", onset_days=42, trend="same")),
        Tier.URGENT,
        C.CAUDA_EQUINA,
    ),
    story(
        "Right foot drop with sciatica",
        answers(**legs("right", onset_days=5, foot_drop="yes")),
        Tier.URGENT,
        C.MAJOR_NEUROLOGICAL_DEFICIT,
    ),
    story(
        "Clumsy hands and electric shocks bending the neck",
        answers(
            regions=("cervical",),
            age=63,
            first_episode="no",
            hand_clumsiness="yes",
            electric_shocks="yes",
        ),
        Tier.URGENT,
        C.CERVICAL_MYELOPATHY,
    ),
    story(
        "On chemotherapy with new back pain, no fever",
        answers(age=50, weakened_immunity="yes", pain_new_or_changed="yes"),
        Tier.URGENT,
        C.SPINAL_INFECTION,
    ),
    # Emergency ---------------------------------------------------------------------------------
    story(
        "New saddle numbness since yesterday with sciatica",
        answers(**symptom("saddle_numbness", onset_days=1), **legs("left", onset_days=3)),
        Tier.EMERGENCY,
        C.CAUDA_EQUINA,
        C.RADICULOPATHY,
    ),
    story(
        "New difficulty passing urine with both legs aching",
        answers(**symptom("bladder_change", onset_days=2), **legs("both", onset_days=2)),
        Tier.EMERGENCY,
        C.CAUDA_EQUINA,
    ),
    story(
        "Sciatica that has spread to both legs this week",
        answers(**legs("both", onset_days=4, trend="worse")),
        Tier.EMERGENCY,
        C.CAUDA_EQUINA,
    ),
    story(
        "Unsure about saddle numbness, started two days ago: unsure counts as yes",
        answers(**{**symptom("saddle_numbness", onset_days=2), "saddle_numbness": "unsure"}),
        Tier.EMERGENCY,
        C.CAUDA_EQUINA,
    ),
    story(
        "Known lung cancer, new leg weakness and difficulty walking",
        answers(
            age=71,
            cancer_history="yes",
            pain_new_or_changed="yes",
            walking_difficulty="yes",
            walking_difficulty_pace="over_days",
        ),
        Tier.EMERGENCY,
        C.METASTATIC_CORD_COMPRESSION,
        C.CORD_COMPRESSION,
    ),
    story(
        "Fever after an epidural injection last month",
        answers(age=46, fever="yes", recent_spinal_procedure="yes"),
        Tier.EMERGENCY,
        C.SPINAL_INFECTION,
    ),
    story(
        "Injects drugs, feverish and unwell with back pain",
        answers(age=33, fever="yes", feeling_unwell="yes", injects_drugs="yes"),
        Tier.EMERGENCY,
        C.SPINAL_INFECTION,
    ),
    story(
        "Car crash two days ago with neck pain",
        answers(regions=("cervical",), age=27, major_trauma="yes"),
        Tier.EMERGENCY,
        C.SPINAL_FRACTURE,
    ),
    story(
        "Face dropped on one side this morning",
        answers(age=66, first_episode="no", face_drooping="yes"),
        Tier.EMERGENCY,
        C.STROKE_TIA,
    ),
    story(
        "Sudden numbness of face, arm and leg on one side",
        answers(age=59, one_side_of_body="yes"),
        Tier.EMERGENCY,
        C.STROKE_TIA,
    ),
    story(
        "Neck pain with the worst headache ever after a minor knock",
        answers(regions=("cervical",), age=42, worst_headache="yes"),
        Tier.EMERGENCY,
        C.CERVICAL_ARTERIAL_DYSFUNCTION,
    ),
    story(
        "Sudden severe back pain with a pulsing tummy, feeling faint, smoker of 70",
        answers(age=70, first_episode="no", pulsing_abdomen="yes"),
        Tier.EMERGENCY,
        C.AORTIC_ANEURYSM,
    ),
    story(
        "Walking getting steadily worse with both legs heavy",
        answers(
            regions=("cervical",),
            age=61,
            first_episode="no",
            walking_difficulty="yes",
            walking_difficulty_pace="over_days",
            legs_heavy="yes",
        ),
        Tier.EMERGENCY,
        C.CORD_COMPRESSION,
    ),
    # Incomplete ----------------------------------------------------------------------------------
    story(
        "Bladder question left blank",
        {key: value for key, value in answers().items() if key != "bladder_change"},
        Tier.INCOMPLETE,
    ),
    story(
        "Saddle numbness yes, but its status is unanswered: screened as new",
        answers(regions=("cervical", "lumbar"), leg_symptoms="no", saddle_numbness="yes"),
        Tier.EMERGENCY,
        C.CAUDA_EQUINA,
    ),
    story(
        "Only the pain regions answered",
        validate_answers({"pain_regions": ["lumbar"]}),
        Tier.INCOMPLETE,
    ),
    story(
        "Stroke questions unanswered on a neck form, with a routine flag: still incomplete",
        {
            key: value
            for key, value in answers(
                regions=("cervical",), age=55, inflammatory_or_connective_tissue="yes"
            ).items()
            if key != "face_drooping"
        },
        Tier.INCOMPLETE,
        C.UPPER_CERVICAL_INSTABILITY,
    ),
    story(
        "A fired emergency outranks unanswered questions",
        {key: value for key, value in answers(one_side_of_body="yes").items() if key != "fever"},
        Tier.EMERGENCY,
        C.STROKE_TIA,
    ),
]


def test_there_are_at_least_forty_stories() -> None:
    assert len(STORIES) >= 40


@pytest.mark.parametrize("case", STORIES, ids=[case.summary for case in STORIES])
def test_story_gets_the_expected_tier_and_conditions(case: Story) -> None:
    result = screen(case.answers)
    assert result.tier is case.tier, [rule.rule_id for rule in result.fired]
    assert set(result.conditions) == case.conditions


def test_incomplete_lists_the_unanswered_time_critical_questions() -> None:
    result = screen({key: value for key, value in answers().items() if key != "bladder_change"})
    assert result.unanswered_time_critical == ("bladder_change",)


def test_free_text_never_clears_a_flag_and_asks_for_a_review() -> None:
    story_answers = answers(
        **symptom("bladder_change"), other_concerns="no bladder problems really, it's fine"
    )
    result = screen(story_answers)
    assert result.tier is Tier.EMERGENCY
    assert result.free_text_to_review


def test_free_text_alone_raises_no_flag() -> None:
    result = screen(answers(other_concerns="I have had incontinence and weight loss"))
    assert result.tier is Tier.NONE
    assert result.free_text_to_review


def test_the_result_names_the_rule_set_and_questionnaire_versions() -> None:
    result = screen(answers()).to_json()
    assert result["ruleset_version"]
    assert result["questionnaire_version"]
