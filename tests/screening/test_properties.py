"""Properties that must hold for every possible set of answers (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.screening import Tier, screen
from clinic.screening.engine import is_asked
from clinic.screening.model import AnswerType, Question
from clinic.screening.questions import QUESTIONS, QUESTIONS_BY_ID
from tests.screening.examples import examples

MISSING = object()
YES_NO_QUESTIONS = [
    question.id for question in QUESTIONS if question.type is AnswerType.YES_NO_UNSURE
]


def _value(question: Question) -> st.SearchStrategy[Any]:
    options = [option.value for option in question.options]
    match question.type:
        case AnswerType.YES_NO_UNSURE | AnswerType.CHOICE:
            return st.sampled_from(options)
        case AnswerType.MULTI_CHOICE:
            return st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True)
        case AnswerType.NUMBER | AnswerType.DURATION:
            # Dense around the thresholds the rules use, but over the whole range too.
            return st.one_of(
                st.integers(0, 120), st.integers(question.minimum or 0, question.maximum or 120)
            )
        case _:
            return st.just("")


@st.composite
def answer_sets(draw: st.DrawFn, completeness: float = 0.85) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.type is AnswerType.TEXT:
            continue
        if draw(st.floats(0, 1)) < completeness:
            answers[question.id] = draw(_value(question))
    return answers


@settings(max_examples=examples(200), deadline=None)
@given(answer_sets(), st.sampled_from(YES_NO_QUESTIONS))
def test_turning_an_answer_from_no_to_yes_never_lowers_the_tier(
    answers: dict[str, Any], question_id: str
) -> None:
    before = {**answers, question_id: "no"}
    after = {**answers, question_id: "yes"}
    assert screen(after).tier.rank >= screen(before).tier.rank


@settings(max_examples=examples(200), deadline=None)
@given(answer_sets(completeness=1.0), st.data())
def test_leaving_a_time_critical_question_unanswered_never_gives_none(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    asked = [
        question_id
        for question_id in answers
        if QUESTIONS_BY_ID[question_id].time_critical
        and is_asked(QUESTIONS_BY_ID[question_id], answers)
    ]
    if not asked:
        asked_somewhere = [q.id for q in QUESTIONS if q.time_critical and is_asked(q, answers)]
        assert asked_somewhere == [], "every patient is asked some time-critical question"
        return
    removed = data.draw(st.sampled_from(asked))
    result = screen({key: value for key, value in answers.items() if key != removed})
    assert result.tier is not Tier.NONE
    assert result.tier.rank >= Tier.INCOMPLETE.rank


@settings(max_examples=examples(200), deadline=None)
@given(answer_sets())
def test_the_tier_is_the_highest_of_the_fired_rules_or_incomplete(answers: dict[str, Any]) -> None:
    result = screen(answers)
    candidates = [rule.tier for rule in result.fired]
    if result.unanswered_time_critical:
        candidates.append(Tier.INCOMPLETE)
    assert result.tier == max(candidates, key=lambda tier: tier.rank, default=Tier.NONE)
