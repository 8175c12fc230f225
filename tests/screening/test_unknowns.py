"""Incomplete and unasked answers: the designed behaviour of docs/screening.md.

A blank follow-up of a positive time-critical answer is screened as the worst case it
allows, bounded by what is known; INCOMPLETE is reported beside the tier, never in place
of it. An answer to a question that was not asked never fires a rule.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.screening import Tier, screen
from clinic.screening.engine import asked_answers, is_asked
from clinic.screening.model import AnswerType, Question
from clinic.screening.questions import MAX_DAYS, QUESTIONS, QUESTIONS_BY_ID
from tests.screening.examples import examples
from tests.screening.stories import answers, legs, symptom
from tests.screening.test_properties import answer_sets


def _without(given_answers: dict[str, Any], *blank: str) -> dict[str, Any]:
    return {key: value for key, value in given_answers.items() if key not in blank}


def _reported(result_answers: dict[str, Any]) -> dict[str, bool]:
    """Reported rule ids, each with whether it holds only in the worst case."""
    return {rule.rule_id: rule.worst_case for rule in screen(result_answers).fired}


# The examples of the review -----------------------------------------------------------


def test_new_saddle_numbness_in_a_five_day_old_pain_with_onset_blank_is_an_emergency() -> None:
    story = _without(
        answers(pain_duration_days=5, **symptom("saddle_numbness")),
        "saddle_numbness_onset_days",
        "saddle_numbness_trend",
    )
    result = screen(story)
    assert result.tier is Tier.EMERGENCY
    # New since a 5-day-old pain: recent for certain, not merely a worst case.
    assert _reported(story)["E-CES-2"] is False
    assert "at most 5 days" in result.assumed["saddle_numbness_onset_days"]
    assert "saddle_numbness_onset_days" in result.unanswered_time_critical


def test_new_bladder_change_twenty_days_ago_with_its_trend_blank_is_at_least_urgent() -> None:
    story = _without(
        answers(pain_duration_days=30, **symptom("bladder_change", onset_days=20)),
        "bladder_change_trend",
    )
    result = screen(story)
    assert result.tier.rank >= Tier.URGENT.rank
    assert result.unanswered_time_critical == ("bladder_change_trend",)


def test_the_bladder_change_of_twenty_days_is_an_emergency_in_its_worst_case_getting_worse() -> (
    None
):
    story = _without(
        answers(pain_duration_days=30, **symptom("bladder_change", onset_days=20)),
        "bladder_change_trend",
    )
    assert _reported(story) == {"E-CES-1": True}


def test_a_stable_bladder_change_of_twenty_days_with_every_answer_given_is_urgent() -> None:
    story = answers(pain_duration_days=30, **symptom("bladder_change", onset_days=20))
    assert screen(story).tier is Tier.URGENT


def test_a_blank_status_is_screened_as_new() -> None:
    story = _without(answers(**symptom("bowel_change")), "bowel_change_status")
    result = screen(story)
    assert result.tier is Tier.EMERGENCY
    assert _reported(story)["E-CES-3"] is True
    assert result.unanswered_time_critical == ("bowel_change_status",)


def test_an_onset_older_than_the_pain_is_not_assumed_when_the_status_is_unsure() -> None:
    # "Not sure" whether it is new: it may pre-date the pain, so no bound applies.
    story = _without(
        answers(pain_duration_days=3, **symptom("saddle_numbness", status="unsure")),
        "saddle_numbness_onset_days",
    )
    assert screen(story).assumed == {
        "saddle_numbness_onset_days": "not answered: any number of days"
    }


def test_blank_leg_side_with_new_leg_symptoms_is_screened_as_both_legs() -> None:
    story = _without(answers(**legs("left")), "leg_symptoms_side")
    assert screen(story).tier is Tier.EMERGENCY
    assert _reported(story)["E-CES-5"] is True


def test_blank_foot_drop_after_a_fall_is_screened_as_a_deficit() -> None:
    story = _without(answers(fall_or_blow="yes", **legs("left")), "foot_drop")
    assert _reported(story)["E-FX-1"] is True


def test_a_confirmed_emergency_is_reported_with_incomplete_beside_it() -> None:
    story = _without(answers(one_side_of_body="yes"), "bladder_change")
    result = screen(story)
    assert result.tier is Tier.EMERGENCY
    assert result.unanswered_time_critical == ("bladder_change",)


def test_a_blank_top_level_question_is_incomplete_not_an_emergency() -> None:
    # Only follow-ups of a positive answer are worst-cased: an unanswered question is a gap.
    story = _without(answers(), "saddle_numbness")
    assert screen(story).tier is Tier.INCOMPLETE


def test_blank_follow_ups_of_a_non_time_critical_answer_are_not_worst_cased() -> None:
    story = answers(age=75, inflammatory_or_connective_tissue="yes", regions=("cervical",))
    assert screen(story).assumed == {}


# Unasked answers ------------------------------------------------------------------------


def test_follow_ups_of_a_no_answer_are_ignored_and_listed() -> None:
    story = {**answers(bladder_change="no"), **symptom("bladder_change")}
    story["bladder_change"] = "no"
    result = screen(story)
    assert result.tier is Tier.NONE
    assert result.ignored == (
        "bladder_change_onset_days",
        "bladder_change_status",
        "bladder_change_trend",
    )


def test_a_neck_question_answered_by_a_low_back_patient_is_ignored() -> None:
    result = screen({**answers(regions=("lumbar",)), "worst_headache": "yes"})
    assert result.tier is Tier.NONE
    assert result.ignored == ("worst_headache",)


def test_the_same_question_is_used_when_the_patient_has_neck_pain() -> None:
    result = screen(answers(regions=("lumbar", "cervical"), worst_headache="yes"))
    assert result.tier is Tier.EMERGENCY


def test_the_result_lists_the_ignored_answers_in_its_json() -> None:
    result = screen({**answers(regions=("lumbar",)), "worst_headache": "yes"}).to_json()
    assert result["ignored_unasked"] == ["worst_headache"]


# Properties -----------------------------------------------------------------------------

TIME_CRITICAL_FOLLOW_UPS = [
    question
    for question in QUESTIONS
    if question.follow_up_of is not None and question.time_critical and not question.retired
]


def _candidates(question: Question, filled: dict[str, Any]) -> list[Any]:
    """Every value a blank may take, durations at the thresholds and the bounds."""
    if question.type is not AnswerType.DURATION:
        return [option.value for option in question.options]
    parent = question.follow_up_of.question if question.follow_up_of else ""
    highest = MAX_DAYS
    pain_days = filled.get("pain_duration_days")
    if filled.get(parent) in question.within_episode_when and isinstance(pain_days, int):
        highest = pain_days
    return sorted({value for value in (0, 13, 14, 15, 16, 60, MAX_DAYS) if value <= highest})


def _worst_filling(given_answers: dict[str, Any], blank: list[str]) -> Tier:
    """The highest tier over every filling of the blanks (brute force)."""
    worst = Tier.NONE
    parents_first = sorted(blank, key=[q.id for q in QUESTIONS].index)
    choices = [_candidates(QUESTIONS_BY_ID[q], given_answers) for q in parents_first]
    for values in itertools.product(*choices):
        filled = {**given_answers, **dict(zip(parents_first, values, strict=True))}
        tier = screen(filled).tier
        worst = max(worst, tier, key=lambda t: t.rank)
    return worst


@st.composite
def positive_answer_sets_with_blanks(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    asked, _ = asked_answers(draw(answer_sets(completeness=1.0)))
    present = [q.id for q in TIME_CRITICAL_FOLLOW_UPS if q.id in asked]
    if not present:
        return asked, []
    blank = draw(st.lists(st.sampled_from(present), min_size=1, max_size=2, unique=True))
    return asked, blank


@settings(max_examples=examples(300), deadline=None)
@given(positive_answer_sets_with_blanks())
def test_blanking_follow_ups_never_lowers_the_tier_below_their_worst_filling(
    case: tuple[dict[str, Any], list[str]],
) -> None:
    given_answers, blank = case
    result = screen(_without(given_answers, *blank))
    assert result.tier.rank >= _worst_filling(given_answers, blank).rank
    assert result.tier.rank >= screen(given_answers).tier.rank


@settings(max_examples=examples(300), deadline=None)
@given(positive_answer_sets_with_blanks())
def test_a_blank_follow_up_that_is_asked_is_reported_as_unanswered(
    case: tuple[dict[str, Any], list[str]],
) -> None:
    given_answers, blank = case
    blanked = _without(given_answers, *blank)
    result = screen(blanked)
    asked_blanks = [q for q in blank if is_asked(QUESTIONS_BY_ID[q], blanked)]
    assert set(asked_blanks) <= set(result.unanswered_time_critical)
    if asked_blanks:
        assert result.tier.rank >= Tier.INCOMPLETE.rank


@settings(max_examples=examples(300), deadline=None)
@given(answer_sets(completeness=0.9))
def test_no_rule_fires_on_an_answer_to_a_question_that_was_not_asked(
    raw: dict[str, Any],
) -> None:
    asked, ignored = asked_answers(raw)
    result = screen(raw)
    assert result.ignored == ignored
    assert result.to_json() | {"ignored_unasked": []} == screen(asked).to_json()
    for rule in result.fired:
        # An ignored answer may stand in the evidence only as a blank, never with its value.
        assert all(
            rule.evidence[question] is None for question in set(rule.evidence) & set(ignored)
        )


def test_the_catalogue_lists_every_parent_before_its_follow_ups() -> None:
    # worst_case_blanks reads the catalogue in one pass and relies on this order.
    order = [question.id for question in QUESTIONS]
    for question in QUESTIONS:
        if question.follow_up_of is not None:
            assert order.index(question.follow_up_of.question) < order.index(question.id)
