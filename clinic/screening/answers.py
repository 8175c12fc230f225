"""Checking raw answers against the catalogue before they are screened.

Answers arrive as a JSON object keyed by question id. Anything the catalogue does not
know, or a value of the wrong kind or out of range, is refused with a message that names
the question: a screening run on guessed answers would be worse than none.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from clinic.screening.model import AnswerType, Question
from clinic.screening.questions import QUESTIONS_BY_ID

Answers = dict[str, Any]


class AnswerError(ValueError):
    def __init__(self, question_id: str, message: str) -> None:
        super().__init__(f"{question_id}: {message}")
        self.question_id = question_id
        self.message = message


def _whole_number(question: Question, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(question.id, "must be a whole number")
    if question.minimum is not None and value < question.minimum:
        raise AnswerError(question.id, f"must be at least {question.minimum}")
    if question.maximum is not None and value > question.maximum:
        raise AnswerError(question.id, f"must be at most {question.maximum}")
    return value


def check_answer(question: Question, value: Any, today: date) -> Any:
    """One answer, checked against its question and normalised."""
    allowed = [option.value for option in question.options]
    match question.type:
        case AnswerType.YES_NO_UNSURE | AnswerType.CHOICE:
            if value not in allowed:
                raise AnswerError(question.id, f"must be one of {', '.join(allowed)}")
            return value
        case AnswerType.MULTI_CHOICE:
            if not isinstance(value, list) or not value:
                raise AnswerError(
                    question.id, f"must be a list of one or more of {', '.join(allowed)}"
                )
            unknown = [item for item in value if item not in allowed]
            if unknown:
                raise AnswerError(question.id, f"must only contain {', '.join(allowed)}")
            return sorted(set(value), key=allowed.index)
        case AnswerType.NUMBER | AnswerType.DURATION:
            return _whole_number(question, value)
        case AnswerType.DATE:
            try:
                parsed = date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                parsed = None
            if parsed is None:
                raise AnswerError(question.id, "must be a date like 2026-03-27")
            if parsed > today:
                raise AnswerError(question.id, "must not be in the future")
            return parsed.isoformat()
        case AnswerType.TEXT:
            if not isinstance(value, str):
                raise AnswerError(question.id, "must be text")
            if question.maximum is not None and len(value) > question.maximum:
                raise AnswerError(question.id, f"must be at most {question.maximum} characters")
            return value


def validate_answers(raw: Any, today: date | None = None) -> Answers:
    """The answers, checked and normalised. Null means unanswered and is dropped."""
    if not isinstance(raw, Mapping):
        raise AnswerError("(answers)", "must be a JSON object keyed by question id")
    today = today or date.today()  # noqa: DTZ011 (the clinic's own calendar day)
    answers: Answers = {}
    for question_id, value in raw.items():
        question = QUESTIONS_BY_ID.get(question_id)
        if question is None:
            raise AnswerError(str(question_id), "is not a question in the catalogue")
        if value is None:
            continue
        answers[question_id] = check_answer(question, value, today)
    return answers
