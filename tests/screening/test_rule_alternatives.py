"""Each rule against its cases (tests/screening/rule_cases.py), and every small change to
its predicate against the same cases: a rule table a test does not pin is one a typo can
quietly weaken.

A change is: an alternative of an "any of" dropped, a condition of an "and" dropped, an
"at least N" moved by one, a threshold moved by one or its comparison made strict or
loose, an accepted answer or region dropped. Each must make at least one case come out
differently. The only changes left out are those that cannot alter any result: dropping a
condition that another condition of the same "and" already implies, because that other
condition is about a follow-up asked only when the dropped one holds (``implied``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from clinic.screening import screen
from clinic.screening.predicates import (
    All,
    AtLeast,
    Compare,
    InRegion,
    Is,
    Predicate,
    Setting,
    Yes,
)
from clinic.screening.questions import QUESTIONS_BY_ID, UNSURE, YES
from clinic.screening.rules import RULES, RULES_BY_ID, Rule
from tests.screening.rule_cases import CASES, Case

FLIPPED = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}


def _opened_by(question_id: str) -> list[tuple[str, frozenset[str]]]:
    """The questions (and their answers) that must be given for ``question_id`` to be asked."""
    chain = []
    question = QUESTIONS_BY_ID.get(question_id)
    while question is not None and question.follow_up_of is not None:
        chain.append((question.follow_up_of.question, question.follow_up_of.values))
        question = QUESTIONS_BY_ID[question.follow_up_of.question]
    return chain


def implied(dropped: Predicate, others: tuple[Predicate, ...]) -> bool:
    """Whether another condition of the same "and" can only hold when ``dropped`` does,
    because it is about a follow-up that is asked only for answers ``dropped`` accepts (the
    engine ignores unasked answers). Dropping ``dropped`` then changes nothing."""
    match dropped:
        case Yes(question=parent):
            accepted = {YES, UNSURE} if QUESTIONS_BY_ID[parent].time_critical else {YES}
        case Is(question=parent, values=values):
            accepted = set(values)
        case InRegion(regions=regions):
            # Asked only of patients with pain in these regions (or regions not given).
            return any(
                other.questions()
                and all(QUESTIONS_BY_ID[q].regions <= regions for q in other.questions())
                for other in others
            )
        case _:
            return False
    return any(
        other.questions()
        and all(
            any(p == parent and values <= accepted for p, values in _opened_by(q))
            for q in other.questions()
        )
        for other in others
    )


def predicate_changes(
    predicate: Predicate, policy_value: dict[str, int]
) -> Iterator[tuple[str, Predicate]]:
    """Every single change of ``predicate`` that could alter a result, described."""
    match predicate:
        case All(parts=parts):
            for index, part in enumerate(parts):
                rest = tuple(p for i, p in enumerate(parts) if i != index)
                if not implied(part, rest):
                    yield f"drop condition {part.describe()}", All(rest)
                for what, changed in predicate_changes(part, policy_value):
                    yield (
                        what,
                        All(tuple(changed if i == index else p for i, p in enumerate(parts))),
                    )
        case AtLeast(count=count, parts=parts):
            for index, part in enumerate(parts):
                if len(parts) > count:
                    rest = tuple(p for i, p in enumerate(parts) if i != index)
                    yield f"drop alternative {part.describe()}", AtLeast(count, rest)
                for what, changed in predicate_changes(part, policy_value):
                    yield (
                        what,
                        AtLeast(
                            count, tuple(changed if i == index else p for i, p in enumerate(parts))
                        ),
                    )
            if count > 1:
                yield f"at least {count - 1} instead of {count}", AtLeast(count - 1, parts)
            if count < len(parts):
                yield f"at least {count + 1} instead of {count}", AtLeast(count + 1, parts)
        case Compare(question=question, operator=operator, threshold=threshold):
            limit = policy_value[threshold.name] if isinstance(threshold, Setting) else threshold
            for moved in (limit - 1, limit + 1):
                yield (
                    f"{question} {operator} {moved} instead of {threshold}",
                    Compare(question, operator, moved),
                )
            yield (
                f"{question} {FLIPPED[operator]} {threshold}",
                Compare(question, FLIPPED[operator], threshold),
            )
        case Is(question=question, values=values) if len(values) > 1:
            for value in sorted(values):
                yield f"{question} no longer accepts {value}", Is(question, values - {value})
        case InRegion(regions=regions) if len(regions) > 1:
            for region in sorted(regions, key=lambda r: r.value):
                yield f"region {region.value} dropped", InRegion(regions - {region})
        case _:
            return


def fired(rule: Rule, case: Case) -> bool:
    """Whether ``rule`` holds for the case's answers, through the whole engine."""
    result = screen(case.answers, case.policy, rules=(rule,))
    return any(hit.rule_id == rule.id and not hit.worst_case for hit in result.fired)


def _defaults() -> dict[str, int]:
    from dataclasses import fields

    from clinic.screening.policy import ScreeningPolicy

    policy = ScreeningPolicy()
    return {
        item.name: getattr(policy, item.name)
        for item in fields(policy)
        if isinstance(getattr(policy, item.name), int)
        and not isinstance(getattr(policy, item.name), bool)
    }


def test_every_rule_has_its_cases() -> None:
    assert sorted(CASES) == sorted(rule.id for rule in RULES)


def test_every_rule_has_a_case_that_fires_and_one_that_does_not() -> None:
    for rule_id, cases in CASES.items():
        assert any(case.fires for case in cases), rule_id
        assert any(not case.fires for case in cases), rule_id


CASE_PARAMS = [
    pytest.param(rule_id, case, id=f"{rule_id}: {case.shows}")
    for rule_id, cases in CASES.items()
    for case in cases
]


@pytest.mark.parametrize(("rule_id", "case"), CASE_PARAMS)
def test_rule_case(rule_id: str, case: Case) -> None:
    assert fired(RULES_BY_ID[rule_id], case) is case.fires


def _survivors(rule: Rule) -> list[str]:
    survivors = []
    for what, changed in predicate_changes(rule.when, _defaults()):
        mutant = replace(rule, when=changed)
        if all(fired(mutant, case) is case.fires for case in CASES[rule.id]):
            survivors.append(what)
    return survivors


@pytest.mark.parametrize("rule_id", sorted(RULES_BY_ID))
def test_every_change_to_the_rule_is_caught_by_its_cases(rule_id: str) -> None:
    assert _survivors(RULES_BY_ID[rule_id]) == []
