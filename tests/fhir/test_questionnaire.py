"""The intake questionnaire as a FHIR Questionnaire, answers as a QuestionnaireResponse,
and back: every rule's cases screen the same after the round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from clinic.fhir.questionnaire import (
    RETIRED_GROUP,
    answers_from_response,
    groups,
    questionnaire,
    questionnaire_id,
    questionnaire_response,
)
from clinic.fhir.vocabulary import Naming
from clinic.intake.fields import ALL_QUESTIONS
from clinic.intake.steps import DERIVED
from clinic.screening import screen
from clinic.screening.model import Region
from clinic.screening.questions import QUESTIONS
from tests.screening.rule_cases import CASES

NAMING = Naming("https://clinic.example.org/fhir")
VERSION = "screening 2026.11.2; intake 2026.11.1"


def _items(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for group in resource["item"]:
        for item in group.get("item", []):
            found[item["linkId"]] = item
    return found


def _response(answers: dict[str, Any]) -> dict[str, Any]:
    return questionnaire_response(
        NAMING,
        "a" * 32,
        VERSION,
        answers,
        "Patient/p1",
        datetime(2026, 11, 30, 9, tzinfo=UTC),
        {"display": "Priya Shah"},
    )


def test_the_questionnaire_is_valid_r4_with_every_question_once() -> None:
    resource = questionnaire(NAMING, VERSION, current=True)
    Questionnaire.model_validate(resource)
    items = _items(resource)
    asked = {q.id for q in ALL_QUESTIONS.values()} - DERIVED
    assert set(items) == asked
    assert resource["url"] == "https://clinic.example.org/fhir/Questionnaire/intake"
    assert resource["version"] == VERSION and resource["status"] == "active"


def test_a_follow_up_is_enabled_by_its_parents_answers() -> None:
    items = _items(questionnaire(NAMING, VERSION, current=True))
    status = items["bladder_change_status"]
    assert status["enableBehavior"] == "any"
    assert {(c["question"], c["answerCoding"]["code"]) for c in status["enableWhen"]} == {
        ("bladder_change", "yes"),
        ("bladder_change", "unsure"),
    }
    # A question for some regions only: enabled by them, or when no region was chosen.
    neck_only = next(
        q
        for q in QUESTIONS
        if q.regions == {Region.CERVICAL} and q.follow_up_of is None and not q.retired
    )
    conditions = items[neck_only.id]["enableWhen"]
    assert {c["answerCoding"]["code"] for c in conditions if "answerCoding" in c} == {"cervical"}
    assert {c["question"] for c in conditions} == {"pain_regions"}
    assert {"operator": "exists", "answerBoolean": False, "question": "pain_regions"} in conditions


def test_questions_no_longer_asked_stay_readable_in_a_read_only_group() -> None:
    resource = questionnaire(NAMING, VERSION, current=False)
    retired = next(group for group in resource["item"] if group["linkId"] == RETIRED_GROUP)
    assert retired["readOnly"] is True
    assert {item["linkId"] for item in retired["item"]} == {q.id for q in QUESTIONS if q.retired}
    assert resource["status"] == "retired"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("screening 2026.11.2; intake 2026.11.1", "intake-2026.11.2-2026.11.1"),
        ("2026.1", "intake-2026.1"),
        ("", "intake-unversioned"),
    ],
)
def test_a_questionnaire_version_makes_a_fhir_id(version: str, expected: str) -> None:
    assert questionnaire_id(version) == expected


def test_a_very_long_version_still_makes_a_fhir_id() -> None:
    made = questionnaire_id("screening " + "9" * 100)
    assert len(made) <= 64 and made.startswith("intake-")


def test_answers_of_every_kind_come_back_as_they_were_stored() -> None:
    answers = {
        "pain_regions": ["lumbar", "cervical"],
        "onset_date": "2026-11-01",
        "pain_now": 6,
        "bladder_change": "unsure",
        "bladder_change_status": "new",
        "bladder_change_onset_days": 2,
        "aggravating": "Bending, and sitting for long",
        "other_concerns": "",
    }
    response = _response(answers)
    QuestionnaireResponse.model_validate(response)
    assert answers_from_response(response) == {k: v for k, v in answers.items() if v != ""}
    assert response["questionnaire"] == f"{NAMING.questionnaire_url}|{VERSION}"


def test_a_blank_answer_is_left_out_not_sent_as_empty() -> None:
    response = _response({"bladder_change": None, "pain_regions": []})
    assert response["item"] == []


ALL_CASES = [(rule, case) for rule, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(
    ("rule", "case"), ALL_CASES, ids=[f"{rule}: {case.shows}" for rule, case in ALL_CASES]
)
def test_every_rule_case_screens_the_same_after_the_round_trip(rule: str, case: Any) -> None:
    # Age and pain duration are not answers: they come from the date of birth and the
    # onset date when an intake is screened, so they are put back as the record would.
    derived = {key: value for key, value in case.answers.items() if key in DERIVED}
    back = {**answers_from_response(_response(case.answers)), **derived}
    assert back == case.answers
    assert screen(back, case.policy).to_json() == screen(case.answers, case.policy).to_json()


def test_every_group_holds_questions() -> None:
    assert all(group.questions for group in groups())
