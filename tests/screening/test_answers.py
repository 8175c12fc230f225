"""Raw answers are checked against the catalogue; each kind of bad input names the question."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clinic.screening.answers import AnswerError, check_answer, validate_answers
from clinic.screening.model import AnswerType, Question


@pytest.mark.parametrize(
    ("raw", "question_id", "message"),
    [
        ({"bladder_chnge": "yes"}, "bladder_chnge", "is not a question in the catalogue"),
        ({"bladder_change": "maybe"}, "bladder_change", "must be one of yes, no, unsure"),
        ({"bladder_change": True}, "bladder_change", "must be one of yes, no, unsure"),
        ({"age_years": 130}, "age_years", "must be at most 120"),
        ({"age_years": -1}, "age_years", "must be at least 0"),
        ({"age_years": "forty"}, "age_years", "must be a whole number"),
        ({"age_years": 40.5}, "age_years", "must be a whole number"),
        ({"pain_regions": "lumbar"}, "pain_regions", "must be a list"),
        ({"pain_regions": []}, "pain_regions", "must be a list"),
        ({"pain_regions": ["knee"]}, "pain_regions", "must only contain"),
        ({"leg_symptoms_side": "middle"}, "leg_symptoms_side", "must be one of left, right, both"),
        ({"other_concerns": 5}, "other_concerns", "must be text"),
    ],
)
def test_bad_answers_are_refused_naming_the_question(
    raw: dict[str, Any], question_id: str, message: str
) -> None:
    with pytest.raises(AnswerError, match=message) as raised:
        validate_answers(raw)
    assert raised.value.question_id == question_id


def test_answers_must_be_an_object() -> None:
    with pytest.raises(AnswerError, match="JSON object"):
        validate_answers(["yes"])


def test_null_means_unanswered_and_regions_are_normalised() -> None:
    assert validate_answers({"fever": None, "pain_regions": ["cervical", "lumbar", "lumbar"]}) == {
        "pain_regions": ["lumbar", "cervical"]
    }


def test_a_date_answer_must_be_real_and_not_in_the_future() -> None:
    question = Question("started_on", "When did it start?", AnswerType.DATE)
    today = date(2026, 11, 22)
    assert check_answer(question, "2026-11-01", today) == "2026-11-01"
    with pytest.raises(AnswerError, match="must not be in the future"):
        check_answer(question, "2026-11-23", today)
    with pytest.raises(AnswerError, match="must be a date"):
        check_answer(question, "2026-02-30", today)
