"""Structured predicates over answers: data a reviewer can read, not code paths.

Each predicate evaluates to a ``Match``: whether it holds, and which answers made it hold
(the evidence shown to the therapist). Thresholds can name a policy setting, so the
clinic's choices (clinical.md [P] points) live in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from clinic.screening.model import Question
from clinic.screening.policy import ScreeningPolicy
from clinic.screening.questions import UNSURE, YES


@dataclass(frozen=True)
class Match:
    holds: bool
    evidence: frozenset[str] = frozenset()


NO_MATCH = Match(False)


@dataclass(frozen=True)
class Context:
    answers: Mapping[str, Any]
    policy: ScreeningPolicy
    questions: Mapping[str, Question]

    def is_positive(self, question_id: str) -> bool:
        answer = self.answers.get(question_id)
        if answer == YES:
            return True
        # Unsure counts as yes only where a miss is dangerous (clinical.md §1.4).
        return (
            answer == UNSURE
            and self.policy.unsure_counts_as_yes
            and self.questions[question_id].time_critical
        )


@dataclass(frozen=True)
class Setting:
    """A threshold taken from the clinic's screening policy."""

    name: str

    def resolve(self, policy: ScreeningPolicy) -> int:
        value: int = getattr(policy, self.name)
        return value

    def __str__(self) -> str:
        return f"policy.{self.name}"


class Predicate(Protocol):
    def evaluate(self, context: Context) -> Match: ...

    def questions(self) -> frozenset[str]: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class Yes:
    """The answer is yes (or unsure, for a time-critical question)."""

    question: str

    def evaluate(self, context: Context) -> Match:
        return (
            Match(True, frozenset({self.question}))
            if context.is_positive(self.question)
            else NO_MATCH
        )

    def questions(self) -> frozenset[str]:
        return frozenset({self.question})

    def describe(self) -> str:
        return f"{self.question} = yes"


@dataclass(frozen=True)
class Is:
    """A choice answer is one of ``values`` (for several choices: includes one of them)."""

    question: str
    values: frozenset[str]

    def evaluate(self, context: Context) -> Match:
        answer = context.answers.get(self.question)
        chosen = set(answer) if isinstance(answer, list) else {answer}
        return Match(True, frozenset({self.question})) if chosen & self.values else NO_MATCH

    def questions(self) -> frozenset[str]:
        return frozenset({self.question})

    def describe(self) -> str:
        return f"{self.question} in {{{', '.join(sorted(self.values))}}}"


@dataclass(frozen=True)
class Compare:
    """A number compared with a fixed threshold or a policy setting."""

    question: str
    operator: str  # one of "<", "<=", ">", ">="
    threshold: int | Setting

    def evaluate(self, context: Context) -> Match:
        answer = context.answers.get(self.question)
        if not isinstance(answer, int) or isinstance(answer, bool):
            return NO_MATCH
        limit = (
            self.threshold.resolve(context.policy)
            if isinstance(self.threshold, Setting)
            else self.threshold
        )
        holds = {
            "<": answer < limit,
            "<=": answer <= limit,
            ">": answer > limit,
            ">=": answer >= limit,
        }[self.operator]
        return Match(True, frozenset({self.question})) if holds else NO_MATCH

    def questions(self) -> frozenset[str]:
        return frozenset({self.question})

    def describe(self) -> str:
        return f"{self.question} {self.operator} {self.threshold}"


@dataclass(frozen=True)
class PolicyOn:
    """A yes/no setting of the clinic's policy is on."""

    name: str

    def evaluate(self, context: Context) -> Match:
        return Match(bool(getattr(context.policy, self.name)))

    def questions(self) -> frozenset[str]:
        return frozenset()

    def describe(self) -> str:
        return f"policy.{self.name}"


@dataclass(frozen=True)
class All:
    parts: Sequence[Predicate]

    def evaluate(self, context: Context) -> Match:
        evidence: set[str] = set()
        for part in self.parts:
            match = part.evaluate(context)
            if not match.holds:
                return NO_MATCH
            evidence |= match.evidence
        return Match(True, frozenset(evidence))

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(part.questions() for part in self.parts))

    def describe(self) -> str:
        return "(" + " AND ".join(part.describe() for part in self.parts) + ")"


@dataclass(frozen=True)
class AtLeast:
    """At least ``count`` of ``parts`` hold (``Any`` is AtLeast(1, ...))."""

    count: int
    parts: Sequence[Predicate]

    def evaluate(self, context: Context) -> Match:
        matches = [match for part in self.parts if (match := part.evaluate(context)).holds]
        if len(matches) < self.count:
            return NO_MATCH
        return Match(True, frozenset().union(*(match.evidence for match in matches)))

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(part.questions() for part in self.parts))

    def describe(self) -> str:
        joined = ", ".join(part.describe() for part in self.parts)
        return f"any of ({joined})" if self.count == 1 else f"at least {self.count} of ({joined})"


def both(*parts: Predicate) -> All:
    return All(parts)


def either(*parts: Predicate) -> AtLeast:
    return AtLeast(1, parts)


def at_least(count: int, *parts: Predicate) -> AtLeast:
    return AtLeast(count, parts)


def yes(*question_ids: str) -> Predicate:
    """Any of the questions answered yes."""
    return (
        Yes(question_ids[0]) if len(question_ids) == 1 else either(*(Yes(q) for q in question_ids))
    )


def choice(question_id: str, *values: str) -> Is:
    return Is(question_id, frozenset(values))
