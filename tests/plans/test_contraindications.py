"""The contraindication check, table-driven: each code against matching and
non-matching answers and body areas. No database, no fixtures.

The expected level of every code is written out here by hand from clinical.md §9, not
read from the check's own table: deleting or weakening an entry of the table fails
its case below."""

from __future__ import annotations

from typing import Any

import pytest

from clinic.catalogue.safety import CODES, Level
from clinic.catalogue.vocabulary import Kind
from clinic.plans.contraindications import (
    ADVICE_KEY,
    CODE_CONDITIONS,
    RED_FLAG_CODE,
    Finding,
    OpenRedFlag,
    PlanItemFacts,
    check_plan,
    modalities_advised,
)
from clinic.screening.model import Condition, Tier

ALL_AREAS = ("neck", "upper_back", "lower_back", "shoulders_arms", "hips_buttocks", "legs")
C, P = Level.CONTRAINDICATED, Level.PRECAUTION


def _item(
    code: str,
    area: str | None = "lower_back",
    kind: Kind = Kind.MODALITY,
    areas: tuple[str, ...] = ALL_AREAS,
    usual_areas: tuple[str, ...] = ALL_AREAS,
) -> PlanItemFacts:
    return PlanItemFacts(
        key="item", kind=kind, area=area, codes=((code, areas),), usual_areas=usual_areas
    )


def _flags(red_flag_open: bool) -> tuple[OpenRedFlag, ...]:
    return (OpenRedFlag(Tier.URGENT, frozenset()),) if red_flag_open else ()


def _codes_found(
    item: PlanItemFacts, answers: dict[str, Any], red_flag_open: bool = False
) -> list[str]:
    return [
        finding.code
        for finding in check_plan([item], answers, open_flags=_flags(red_flag_open)).findings
    ]


# (code, the intake question that shows its condition, level): clinical.md §9.1-§9.7.
BY_HAND: list[tuple[str, str, Level]] = [
    # §9.1 superficial heat
    ("heat.impaired_sensation", "impaired_sensation", C),
    ("heat.impaired_circulation", "vascular_disease", C),
    ("heat.dvt", "dvt", C),
    ("heat.malignancy", "cancer_history", C),
    ("heat.bleeding", "bleeding_disorder", C),
    ("heat.infection", "fever", C),
    ("heat.skin", "skin_conditions", C),
    ("heat.cannot_report", "communication_needs", C),
    ("heat.pregnancy", "pregnant", P),
    ("heat.cardiac", "heart_or_blood_pressure", P),
    ("heat.diabetes", "diabetes", P),
    ("heat.metal", "metal_implants", P),
    # §9.2 cryotherapy
    ("cold.raynauds", "raynauds", C),
    ("cold.impaired_circulation", "vascular_disease", C),
    ("cold.impaired_sensation", "impaired_sensation", C),
    ("cold.hypertension", "heart_or_blood_pressure", P),
    ("cold.wounds", "skin_conditions", P),
    ("cold.cannot_report", "communication_needs", P),
    # §9.3 massage
    ("massage.dvt", "dvt", C),
    ("massage.malignancy", "cancer_history", C),
    ("massage.infection", "fever", C),
    ("massage.skin", "skin_conditions", C),
    ("massage.bleeding", "anticoagulants", P),
    ("massage.bleeding", "bleeding_disorder", P),
    ("massage.osteoporosis", "osteoporosis", P),
    ("massage.osteoporosis", "long_term_steroids", P),
    ("massage.osteoporosis", "fragility_fracture", P),
    ("massage.recent_surgery", "recent_surgery", P),
    ("massage.impaired_sensation", "impaired_sensation", P),
    ("massage.hypertension", "heart_or_blood_pressure", P),
    ("massage.pregnancy", "pregnant", P),
    # §9.4 therapeutic ultrasound
    ("ultrasound.pregnancy", "pregnant", C),
    ("ultrasound.malignancy", "cancer_history", C),
    ("ultrasound.pacemaker", "pacemaker", C),
    ("ultrasound.dvt", "dvt", C),
    ("ultrasound.bleeding", "bleeding_disorder", C),
    ("ultrasound.infection", "fever", C),
    ("ultrasound.impaired_sensation", "impaired_sensation", P),
    ("ultrasound.impaired_sensation", "vascular_disease", P),
    ("ultrasound.implants", "metal_implants", P),
    ("ultrasound.cannot_report", "communication_needs", P),
    # §9.5 traction: bone fragility counts long-term steroids and fragility fractures too
    ("traction.malignancy", "cancer_history", C),
    ("traction.infection", "fever", C),
    ("traction.osteoporosis", "osteoporosis", C),
    ("traction.osteoporosis", "long_term_steroids", C),
    ("traction.osteoporosis", "fragility_fracture", C),
    ("traction.inflammatory_arthritis", "inflammatory_arthritis", C),
    ("traction.vascular", "vascular_disease", C),
    ("traction.recent_surgery", "recent_surgery", C),
    ("traction.hypermobility", "hypermobility", P),
    ("traction.claustrophobia", "claustrophobia", P),
    ("traction.cardiorespiratory", "heart_or_blood_pressure", P),
    ("traction.pregnancy", "pregnant", P),
    # §9.6 stretching
    ("stretch.hypermobility", "hypermobility", C),
    ("stretch.dvt", "dvt", C),
    ("stretch.osteoporosis", "osteoporosis", P),
    ("stretch.osteoporosis", "long_term_steroids", P),
    ("stretch.osteoporosis", "fragility_fracture", P),
    ("stretch.recent_surgery", "recent_surgery", P),
    ("stretch.inflammatory_arthritis", "inflammatory_arthritis", P),
    ("stretch.anticoagulants", "anticoagulants", P),
    # §9.7 exercise
    ("exercise.systemic_infection", "fever", C),
    ("exercise.cardiac", "heart_or_blood_pressure", P),
    ("exercise.osteoporosis", "osteoporosis", P),
    ("exercise.osteoporosis", "long_term_steroids", P),
    ("exercise.osteoporosis", "fragility_fracture", P),
    ("exercise.metabolic", "diabetes", P),
    ("exercise.inflammatory_arthritis", "inflammatory_arthritis", P),
]
CASE_IDS = [f"{code}-{question}" for code, question, _ in BY_HAND]


def test_every_checked_code_is_a_catalogue_code() -> None:
    assert set(CODE_CONDITIONS) <= set(CODES)


def test_every_code_and_question_the_check_uses_has_a_case_written_by_hand() -> None:
    used = {
        (code, question) for code, questions in CODE_CONDITIONS.items() for question in questions
    }
    assert used == {(code, question) for code, question, _ in BY_HAND}


@pytest.mark.parametrize(("code", "question", "level"), BY_HAND, ids=CASE_IDS)
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_each_code_fires_at_its_level_on_yes_and_on_not_sure(
    code: str, question: str, level: Level, answer: str
) -> None:
    result = check_plan([_item(code)], {question: answer})
    assert [(f.code, f.level) for f in result.findings] == [(code, level)]


@pytest.mark.parametrize(("code", "question", "level"), BY_HAND, ids=CASE_IDS)
def test_each_code_is_silent_on_no_and_on_no_answer(code: str, question: str, level: Level) -> None:
    # The negation trap: "No" to "do you have DVT?" is not DVT.
    assert _codes_found(_item(code), {question: "no"}) == []
    assert _codes_found(_item(code), {}) == []


@pytest.mark.parametrize(("code", "question", "level"), BY_HAND, ids=CASE_IDS)
def test_each_code_is_silent_where_it_does_not_apply(
    code: str, question: str, level: Level
) -> None:
    # Placed within the item's usual areas, but not where the code matters.
    item = _item(code, area="neck", areas=("lower_back",), usual_areas=("neck", "lower_back"))
    assert _codes_found(item, {question: "yes"}) == []


@pytest.mark.parametrize(("code", "question", "level"), BY_HAND, ids=CASE_IDS)
def test_each_code_applies_wherever_the_item_is_placed_outside_its_usual_areas(
    code: str, question: str, level: Level
) -> None:
    item = _item(code, area="feet", areas=("lower_back",), usual_areas=("lower_back",))
    assert _codes_found(item, {question: "yes"}) == [code]


def test_heat_on_numb_feet_is_contraindicated_although_heat_usually_goes_on_the_back() -> None:
    item = _item(
        "heat.impaired_sensation",
        area="feet",
        areas=("lower_back", "neck"),
        usual_areas=("lower_back", "neck"),
    )
    answers = {"impaired_sensation": "yes", "impaired_sensation_where": ["feet"]}
    result = check_plan([item], answers)
    assert [(f.code, f.level) for f in result.findings] == [("heat.impaired_sensation", C)]


@pytest.mark.parametrize(
    ("code", "answers", "area", "expected"),
    [
        # Heat over an area of impaired sensation (clinical.md §9.1): the area decides.
        (
            "heat.impaired_sensation",
            {"impaired_sensation": "yes", "impaired_sensation_where": ["lower_back"]},
            "lower_back",
            Level.CONTRAINDICATED,
        ),
        (
            "heat.impaired_sensation",
            {"impaired_sensation": "yes", "impaired_sensation_where": ["feet"]},
            "lower_back",
            None,
        ),
        (
            "heat.impaired_sensation",
            {"impaired_sensation": "yes"},
            "lower_back",
            Level.CONTRAINDICATED,
        ),
        (
            "heat.impaired_sensation",
            {"impaired_sensation": "no", "impaired_sensation_where": ["lower_back"]},
            "lower_back",
            None,
        ),
        # Ice with Raynaud's (§9.2).
        ("cold.raynauds", {"raynauds": "yes"}, "neck", Level.CONTRAINDICATED),
        ("cold.raynauds", {"raynauds": "no"}, "neck", None),
        # Massage with suspected DVT (§9.3).
        ("massage.dvt", {"dvt": "unsure"}, "legs", Level.CONTRAINDICATED),
        # Anticoagulants: massage is a precaution (light pressure only).
        ("massage.bleeding", {"anticoagulants": "yes"}, "lower_back", Level.PRECAUTION),
        # Ultrasound over the low back in pregnancy (§9.4), not over a shoulder.
        ("ultrasound.pregnancy", {"pregnant": "yes"}, "lower_back", Level.CONTRAINDICATED),
        # Traction with osteoporosis (§9.5).
        ("traction.osteoporosis", {"osteoporosis": "yes"}, "lower_back", Level.CONTRAINDICATED),
        # Stretching with long-term steroids is a precaution (§9.6).
        ("stretch.osteoporosis", {"long_term_steroids": "yes"}, "hips_buttocks", Level.PRECAUTION),
    ],
)
def test_the_examples_of_the_issue(
    code: str, answers: dict[str, Any], area: str, expected: Level | None
) -> None:
    areas = (
        ("lower_back", "chest_abdomen", "hips_buttocks")
        if code == "ultrasound.pregnancy"
        else ALL_AREAS
    )
    result = check_plan([_item(code, area=area, areas=areas)], answers)
    assert [f.level for f in result.findings] == ([expected] if expected else [])


def test_ultrasound_over_a_shoulder_is_not_stopped_by_pregnancy() -> None:
    item = _item(
        "ultrasound.pregnancy", area="shoulders_arms", areas=("lower_back", "chest_abdomen")
    )
    assert _codes_found(item, {"pregnant": "yes"}) == []


def test_the_patients_own_words_are_shown_for_a_condition_the_intake_does_not_place() -> None:
    item = _item("heat.metal")
    result = check_plan([item], {"metal_implants": "yes", "metal_implants_where": "left hip"})
    assert "left hip" in result.findings[0].reason


# Red flags awaiting a decision ----------------------------------------------------------

MOBILISATION = PlanItemFacts("mobilisation", Kind.MASSAGE, "lower_back", (), ("lower_back",))
LEG_MASSAGE = PlanItemFacts("calf", Kind.MASSAGE, "legs", (), ("legs",))
TRACTION = PlanItemFacts(
    "traction", Kind.MODALITY, "lower_back", (("traction.pregnancy", ("lower_back",)),)
)
BRIDGE = PlanItemFacts("bridge", Kind.EXERCISE, "lower_back", ())
STRETCH = PlanItemFacts("stretch", Kind.STRETCH, "hips_buttocks", ())
HEAT = PlanItemFacts("heat", Kind.MODALITY, "lower_back", (("heat.pregnancy", ("lower_back",)),))
ADVICE = PlanItemFacts("advice", Kind.ADVICE, None, ())


def _stopped(item: PlanItemFacts, tier: Tier, *conditions: Condition) -> list[str]:
    flags = [OpenRedFlag(tier, frozenset(conditions))]
    findings = check_plan([item], {}, open_flags=flags).findings
    assert all(not f.overridable and f.level is C for f in findings)
    return [finding.code for finding in findings]


@pytest.mark.parametrize(
    ("condition", "item", "code"),
    [
        # Suspected fracture: no manipulation, mobilisation, traction or deep pressure
        # over the spine, no loading (clinical.md §3.2, §9.3, §9.5).
        (Condition.SPINAL_FRACTURE, MOBILISATION, "red_flag.spinal_fracture"),
        (Condition.SPINAL_FRACTURE, TRACTION, "red_flag.spinal_fracture"),
        (Condition.SPINAL_FRACTURE, BRIDGE, "red_flag.spinal_fracture"),
        (Condition.SPINAL_FRACTURE, STRETCH, "red_flag.spinal_fracture"),
        # Suspected malignancy and MSCC (§3.3, §9.3 over a malignancy, §9.5).
        (Condition.SPINAL_MALIGNANCY, MOBILISATION, "red_flag.spinal_malignancy"),
        (Condition.SPINAL_MALIGNANCY, TRACTION, "red_flag.spinal_malignancy"),
        (Condition.SPINAL_MALIGNANCY, BRIDGE, "red_flag.spinal_malignancy"),
        (
            Condition.METASTATIC_CORD_COMPRESSION,
            TRACTION,
            "red_flag.metastatic_spinal_cord_compression",
        ),
        # Suspected infection: massage anywhere too (§9.3 acute infection or fever).
        (Condition.SPINAL_INFECTION, MOBILISATION, "red_flag.spinal_infection"),
        (Condition.SPINAL_INFECTION, LEG_MASSAGE, "red_flag.spinal_infection"),
        (Condition.SPINAL_INFECTION, TRACTION, "red_flag.spinal_infection"),
        (Condition.SPINAL_INFECTION, BRIDGE, "red_flag.spinal_infection"),
        # Cord and cauda equina signs: no traction (§9.5), no manual therapy or loading.
        (Condition.CAUDA_EQUINA, TRACTION, "red_flag.cauda_equina_syndrome"),
        (Condition.CORD_COMPRESSION, MOBILISATION, "red_flag.deteriorating_spinal_cord_pathology"),
        (Condition.CERVICAL_MYELOPATHY, TRACTION, "red_flag.degenerative_cervical_myelopathy"),
        # Neck arteries: no cervical manual therapy (§4.2).
        (
            Condition.CERVICAL_ARTERIAL_DYSFUNCTION,
            MOBILISATION,
            "red_flag.cervical_arterial_dysfunction",
        ),
        # Any other urgent flag: no manual therapy, traction or loading until cleared (§2).
        (Condition.VISCERAL_CAUSE, TRACTION, RED_FLAG_CODE),
        (Condition.VISCERAL_CAUSE, MOBILISATION, RED_FLAG_CODE),
        (Condition.AGE, BRIDGE, RED_FLAG_CODE),
    ],
)
def test_an_urgent_red_flag_stops_what_its_condition_forbids(
    condition: Condition, item: PlanItemFacts, code: str
) -> None:
    assert _stopped(item, Tier.URGENT, condition) == [code]


@pytest.mark.parametrize(
    ("condition", "item"),
    [
        (Condition.SPINAL_FRACTURE, LEG_MASSAGE),  # not over the spine
        (Condition.SPINAL_MALIGNANCY, LEG_MASSAGE),
        (Condition.CAUDA_EQUINA, LEG_MASSAGE),
        (Condition.SPINAL_FRACTURE, HEAT),
        (Condition.SPINAL_INFECTION, ADVICE),
        (Condition.STROKE_TIA, ADVICE),
    ],
)
def test_a_red_flag_leaves_alone_what_its_condition_does_not_forbid(
    condition: Condition, item: PlanItemFacts
) -> None:
    assert _stopped(item, Tier.EMERGENCY, condition) == []


@pytest.mark.parametrize("tier", [Tier.INCOMPLETE, Tier.ROUTINE_WITH_FLAG, Tier.NONE])
def test_a_result_below_urgent_stops_nothing(tier: Tier) -> None:
    assert _stopped(MOBILISATION, tier, Condition.SPINAL_FRACTURE) == []


def test_an_emergency_with_no_condition_listed_still_stops_loading() -> None:
    assert _stopped(BRIDGE, Tier.EMERGENCY) == [RED_FLAG_CODE]


def test_two_conditions_give_a_finding_each() -> None:
    codes = _stopped(TRACTION, Tier.URGENT, Condition.SPINAL_FRACTURE, Condition.SPINAL_INFECTION)
    assert codes == ["red_flag.spinal_fracture", "red_flag.spinal_infection"]


def test_no_red_flag_means_no_red_flag_finding() -> None:
    assert check_plan([BRIDGE, MOBILISATION, TRACTION], {}).findings == ()


def test_codes_the_intake_cannot_answer_are_listed_for_the_therapist() -> None:
    item = _item("heat.acute_injury")
    result = check_plan(
        [item],
        {"fever": "yes"},
    )
    assert result.findings == ()
    assert result.unchecked == {"item": ("heat.acute_injury",)}


def test_an_item_with_no_one_place_is_checked_against_every_area_of_its_codes() -> None:
    item = _item("cold.raynauds", area=None)
    assert _codes_found(item, {"raynauds": "yes"}) == ["cold.raynauds"]


def test_the_result_sorts_findings_by_item_and_by_level() -> None:
    heat = PlanItemFacts("heat", Kind.MODALITY, "lower_back", (("heat.dvt", ALL_AREAS),))
    massage = PlanItemFacts("massage", Kind.MASSAGE, "legs", (("massage.bleeding", ALL_AREAS),))
    result = check_plan([heat, massage], {"dvt": "yes", "anticoagulants": "yes"})
    assert [f.code for f in result.for_item("heat")] == ["heat.dvt"]
    assert [f.code for f in result.for_item("massage")] == ["massage.bleeding"]
    assert result.for_item("nothing") == ()
    assert [f.code for f in result.contraindicated] == ["heat.dvt"]
    assert [f.code for f in result.precautions] == ["massage.bleeding"]


# Findings as the therapist reads them ----------------------------------------------------------

NUMB = "Is there anywhere on your body where you cannot feel touch, heat or cold properly?"


def test_a_localised_finding_reads_the_question_the_answer_and_the_areas() -> None:
    item = _item("heat.impaired_sensation", area="lower_back")
    answers = {"impaired_sensation": "yes", "impaired_sensation_where": ["lower_back", "feet"]}
    assert check_plan([item], answers).findings == (
        Finding(
            item_key="item",
            code="heat.impaired_sensation",
            level=C,
            label="Over an area of impaired sensation",
            reason=f"Intake: “{NUMB}” Yes, affecting the feet, lower back; the item is for "
            "the lower back.",
            source="Houghton, Nussbaum & Hoens, Physiother Can 2010;62(5); "
            "HK Elderly Health Service",
        ),
    )


def test_a_not_sure_answer_is_quoted_as_not_sure_and_an_item_with_no_one_place_says_so() -> None:
    finding = check_plan([_item("cold.raynauds", area=None)], {"raynauds": "unsure"}).findings[0]
    assert finding.reason == (
        "Intake: “Do your fingers or toes go white or blue in the cold (Raynaud's)?” Not sure; "
        "the item has no one place."
    )


def test_the_patients_own_words_are_quoted_up_to_120_characters() -> None:
    where = "left hip " + "x" * 200
    finding = check_plan(
        [_item("heat.metal", area="hips_buttocks")],
        {"metal_implants": "yes", "metal_implants_where": where},
    ).findings[0]
    assert finding.reason == (
        "Intake: “Do you have metal or cemented implants, such as a joint replacement or "
        f"plates?” Yes ({where[:120]}): check whether it is where the item goes; the item is "
        "for the hips or buttocks."
    )


def test_blank_own_words_are_not_quoted() -> None:
    finding = check_plan(
        [_item("heat.metal")], {"metal_implants": "yes", "metal_implants_where": "  "}
    ).findings[0]
    assert "check whether" not in finding.reason


def test_a_condition_elsewhere_does_not_hide_the_next_question_of_the_same_code() -> None:
    # Thermal ultrasound: numb feet are elsewhere, but poor circulation counts anywhere.
    item = _item("ultrasound.impaired_sensation", area="lower_back")
    answers = {
        "impaired_sensation": "yes",
        "impaired_sensation_where": ["feet"],
        "vascular_disease": "yes",
    }
    assert [f.reason.split("”")[0] for f in check_plan([item], answers).findings] == [
        "Intake: “Do you have poor circulation in your legs (peripheral vascular disease)?"
    ]


def test_a_red_flag_finding_in_full() -> None:
    findings = check_plan(
        [PlanItemFacts("bridge", Kind.EXERCISE, "lower_back", ())],
        {},
        open_flags=[
            OpenRedFlag(Tier.INCOMPLETE, frozenset()),
            OpenRedFlag(Tier.URGENT, frozenset({Condition.SPINAL_FRACTURE})),
        ],
    ).findings
    assert findings == (
        Finding(
            item_key="bridge",
            code="red_flag.spinal_fracture",
            level=C,
            label="Suspected spinal fracture: no manipulation, mobilisation, traction or deep "
            "pressure over the spine, and no loading, until cleared",
            reason="An EMERGENCY or URGENT screening result has no decision yet; this item is "
            "exercise or stretching.",
            source="IFOMPT red flags framework 2020 (spinal fracture); UK Community Red Flags 2023",
            overridable=False,
        ),
    )


def test_a_red_flag_finding_lists_everything_it_stops_in_the_item() -> None:
    mobilisation = PlanItemFacts("mob", Kind.MASSAGE, "neck", (("traction.pregnancy", ("neck",)),))
    flags = [OpenRedFlag(Tier.EMERGENCY, frozenset({Condition.SPINAL_INFECTION}))]
    finding = check_plan([mobilisation], {}, open_flags=flags).findings[0]
    assert finding.reason.endswith(
        "this item is manual therapy or massage over the spine, massage or manual therapy "
        "anywhere, traction."
    )


def test_a_yes_with_an_empty_list_of_areas_counts_anywhere() -> None:
    answers = {"impaired_sensation": "yes", "impaired_sensation_where": []}
    assert _codes_found(_item("heat.impaired_sensation"), answers) == ["heat.impaired_sensation"]


def test_a_code_the_intake_cannot_answer_does_not_stop_the_next_code_being_checked() -> None:
    item = PlanItemFacts(
        "heat",
        Kind.MODALITY,
        "lower_back",
        (("heat.acute_injury", ALL_AREAS), ("heat.dvt", ALL_AREAS)),
    )
    result = check_plan([item], {"dvt": "yes"})
    assert [f.code for f in result.findings] == ["heat.dvt"]
    assert result.unchecked == {"heat": ("heat.acute_injury",)}


def test_every_question_the_check_quotes_is_an_intake_question() -> None:
    from clinic.intake.fields import ALL_QUESTIONS

    quoted = {question for questions in CODE_CONDITIONS.values() for question in questions}
    assert quoted <= set(ALL_QUESTIONS)


# --- Free-text general advice ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "advised"),
    [
        ("Use an ice pack for 15 minutes when it flares.", {"cold"}),
        ("A bag of frozen peas wrapped in a towel helps.", {"cold"}),
        ("A hot-water bottle or a warm bath eases the spasm.", {"heat"}),
        ("Ice first, then heat after two days.", {"cold", "heat"}),
        # The negation trap: naming a modality to rule it out is not advising it.
        ("Do not use ice.", set()),
        ("No ice: your skin does not feel the cold.", set()),
        ("Avoid heat on the area for now.", set()),
        ("Stop using the heat pack if your skin goes red.", set()),
        ("Use heat instead of ice.", {"heat"}),
        # Words that only contain the letters are not the modality.
        ("Practice the exercises; keep your device nice and charged.", set()),
        ("", set()),
    ],
)
def test_general_advice_is_read_for_the_modalities_it_recommends(
    text: str, advised: set[str]
) -> None:
    assert {treatment.value for treatment in modalities_advised(text)} == advised


def test_ice_in_the_general_advice_is_contraindicated_for_raynauds_and_cannot_be_overridden() -> (
    None
):
    result = check_plan([], {"raynauds": "yes"}, general_advice="Use ice for 15 minutes.")
    assert [finding.code for finding in result.advice] == ["cold.raynauds"]
    finding = result.advice[0]
    assert finding.level is Level.CONTRAINDICATED and not finding.overridable
    assert finding.item_key == ADVICE_KEY
    assert "The general advice recommends ice" in finding.reason
    assert "Ice pack" in finding.reason
    assert result.findings == ()  # no item is blamed for it


def test_general_advice_without_a_modality_or_for_a_patient_it_suits_has_no_finding() -> None:
    assert check_plan([], {"raynauds": "yes"}, general_advice="Keep moving gently.").advice == ()
    assert check_plan([], {"raynauds": "no"}, general_advice="Use ice.").advice == ()
    assert check_plan([], {"raynauds": "yes"}, general_advice="Do not use ice.").advice == ()
