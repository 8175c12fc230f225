"""The contraindication check, table-driven: each code against matching and
non-matching answers and body areas. No database, no fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from clinic.catalogue.safety import CODES, Level
from clinic.catalogue.vocabulary import Kind
from clinic.plans.contraindications import (
    CODE_CONDITIONS,
    RED_FLAG_CODE,
    PlanItemFacts,
    check_plan,
)

ALL_AREAS = ("neck", "upper_back", "lower_back", "shoulders_arms", "hips_buttocks", "legs")


def _item(
    code: str,
    area: str | None = "lower_back",
    kind: Kind = Kind.MODALITY,
    areas: tuple[str, ...] = ALL_AREAS,
) -> PlanItemFacts:
    return PlanItemFacts(key="item", kind=kind, area=area, codes=((code, areas),))


def _codes_found(
    item: PlanItemFacts, answers: dict[str, Any], red_flag_open: bool = False
) -> list[str]:
    return [
        finding.code
        for finding in check_plan([item], answers, red_flag_open=red_flag_open).findings
    ]


def test_every_checked_code_is_a_catalogue_code() -> None:
    assert set(CODE_CONDITIONS) <= set(CODES)


@pytest.mark.parametrize(("code", "questions"), sorted(CODE_CONDITIONS.items()))
def test_each_code_fires_on_yes_and_on_not_sure(code: str, questions: tuple[str, ...]) -> None:
    for question in questions:
        for answer in ("yes", "unsure"):
            result = check_plan([_item(code)], {question: answer}, red_flag_open=False)
            assert [f.code for f in result.findings] == [code], (question, answer)
            assert result.findings[0].level is CODES[code].level


@pytest.mark.parametrize(("code", "questions"), sorted(CODE_CONDITIONS.items()))
def test_each_code_is_silent_on_no_and_on_no_answer(code: str, questions: tuple[str, ...]) -> None:
    # The negation trap: "No" to "do you have DVT?" is not DVT.
    assert _codes_found(_item(code), dict.fromkeys(questions, "no")) == []
    assert _codes_found(_item(code), {}) == []


@pytest.mark.parametrize(("code", "questions"), sorted(CODE_CONDITIONS.items()))
def test_each_code_is_silent_where_it_does_not_apply(code: str, questions: tuple[str, ...]) -> None:
    item = _item(code, area="feet", areas=("lower_back",))
    assert _codes_found(item, dict.fromkeys(questions, "yes")) == []


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
    result = check_plan([_item(code, area=area, areas=areas)], answers, red_flag_open=False)
    assert [f.level for f in result.findings] == ([expected] if expected else [])


def test_ultrasound_over_a_shoulder_is_not_stopped_by_pregnancy() -> None:
    item = _item(
        "ultrasound.pregnancy", area="shoulders_arms", areas=("lower_back", "chest_abdomen")
    )
    assert _codes_found(item, {"pregnant": "yes"}) == []


def test_the_patients_own_words_are_shown_for_a_condition_the_intake_does_not_place() -> None:
    item = _item("heat.metal")
    result = check_plan(
        [item], {"metal_implants": "yes", "metal_implants_where": "left hip"}, red_flag_open=False
    )
    assert "left hip" in result.findings[0].reason


@pytest.mark.parametrize("kind", [Kind.EXERCISE, Kind.STRETCH])
def test_any_loading_while_a_red_flag_awaits_a_decision_is_contraindicated_outright(
    kind: Kind,
) -> None:
    item = PlanItemFacts(key="bridge", kind=kind, area="lower_back", codes=())
    findings = check_plan([item], {}, red_flag_open=True).findings
    assert [(f.code, f.level, f.overridable) for f in findings] == [
        (RED_FLAG_CODE, Level.CONTRAINDICATED, False)
    ]


@pytest.mark.parametrize("kind", [Kind.MODALITY, Kind.ADVICE, Kind.MASSAGE])
def test_advice_and_modalities_are_not_loading(kind: Kind) -> None:
    item = PlanItemFacts(key="x", kind=kind, area=None, codes=())
    assert check_plan([item], {}, red_flag_open=True).findings == ()


def test_no_red_flag_means_no_red_flag_finding() -> None:
    item = PlanItemFacts(key="bridge", kind=Kind.EXERCISE, area="lower_back", codes=())
    assert check_plan([item], {}, red_flag_open=False).findings == ()


def test_codes_the_intake_cannot_answer_are_listed_for_the_therapist() -> None:
    item = _item("heat.acute_injury")
    result = check_plan([item], {"fever": "yes"}, red_flag_open=False)
    assert result.findings == ()
    assert result.unchecked == {"item": ("heat.acute_injury",)}


def test_an_item_with_no_one_place_is_checked_against_every_area_of_its_codes() -> None:
    item = _item("cold.raynauds", area=None)
    assert _codes_found(item, {"raynauds": "yes"}) == ["cold.raynauds"]
