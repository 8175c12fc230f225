"""Structured predicates over answers: data a reviewer can read, not code paths.

Each predicate evaluates to a ``Match``: whether it holds, and which answers made it hold
(the evidence shown to the therapist). Thresholds can name a policy setting, so the
clinic's choices (clinical.md [P] points) live in one place.

Evaluation is three-valued. A follow-up left blank under a positive time-critical answer
is not "no": it is *unknown*, with the values it could take (``Unknown``). A predicate
over it is TRUE when every possible value makes it hold, FALSE when none does, and
UNKNOWN otherwise (Kleene's logic). A rule that is UNKNOWN fires as the worst case its
blanks allow (clinical.md §2, unknowns): never a lower tier than some filling would give.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from clinic.screening.model import Question, Region, patient_regions
from clinic.screening.policy import ScreeningPolicy
from clinic.screening.questions import UNSURE, YES


class Truth(enum.Enum):
    FALSE = 0
    UNKNOWN = 1
    TRUE = 2


@dataclass(frozen=True)
class Match:
    truth: Truth
    evidence: frozenset[str] = frozenset()

    @property
    def holds(self) -> bool:
        """Holds whatever the blanks are."""
        return self.truth is Truth.TRUE

    @property
    def possible(self) -> bool:
        """Holds for at least one filling of the blanks (or for the answers as given)."""
        return self.truth is not Truth.FALSE


NO_MATCH = Match(Truth.FALSE)


def _of(outcomes: set[bool], evidence: frozenset[str]) -> Match:
    """The match of a test over every value a question may take."""
    if outcomes == {True}:
        return Match(Truth.TRUE, evidence)
    if True in outcomes:
        return Match(Truth.UNKNOWN, evidence)
    return NO_MATCH


@dataclass(frozen=True)
class Unknown:
    """A blank follow-up: the choices it may take, or the range of a duration."""

    choices: frozenset[str] = frozenset()
    lowest: int = 0
    highest: int = 0
    # Why the range is what it is, for the therapist ("at most 5: new since the pain
    # began 5 days ago"), and the answer that bounds it.
    reason: str = ""
    bound_by: str | None = None

    @property
    def is_range(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Context:
    answers: Mapping[str, Any]
    policy: ScreeningPolicy
    questions: Mapping[str, Question]
    unknown: Mapping[str, Unknown] = field(default_factory=dict)

    def counts_as_yes(self, question_id: str, answer: Any) -> bool:
        if answer == YES:
            return True
        # Unsure counts as yes only where a miss is dangerous (clinical.md §1.4).
        return (
            answer == UNSURE
            and self.policy.unsure_counts_as_yes
            and self.questions[question_id].time_critical
        )

    def is_positive(self, question_id: str) -> bool:
        return self.counts_as_yes(question_id, self.answers.get(question_id))

    def possible_answers(self, question_id: str) -> list[Any] | None:
        """Every answer a blank choice question may take; None when answered or not blank."""
        unknown = self.unknown.get(question_id)
        if unknown is None or unknown.is_range:
            return None
        return sorted(unknown.choices)


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
        evidence = frozenset({self.question})
        possible = context.possible_answers(self.question)
        if possible is not None:
            return _of({context.counts_as_yes(self.question, a) for a in possible}, evidence)
        return Match(Truth.TRUE, evidence) if context.is_positive(self.question) else NO_MATCH

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
        evidence = frozenset({self.question})
        possible = context.possible_answers(self.question)
        if possible is not None:
            return _of({answer in self.values for answer in possible}, evidence)
        answer = context.answers.get(self.question)
        chosen = set(answer) if isinstance(answer, list) else {answer}
        return Match(Truth.TRUE, evidence) if chosen & self.values else NO_MATCH

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
        evidence = frozenset({self.question})
        unknown = context.unknown.get(self.question)
        if unknown is not None and unknown.is_range:
            # A threshold splits a range in two: testing both ends covers every value.
            if unknown.bound_by is not None:
                evidence |= {unknown.bound_by}
            ends = {self._holds(unknown.lowest, context), self._holds(unknown.highest, context)}
            return _of(ends, evidence)
        answer = context.answers.get(self.question)
        if not isinstance(answer, int) or isinstance(answer, bool):
            return NO_MATCH
        return Match(Truth.TRUE, evidence) if self._holds(answer, context) else NO_MATCH

    def _holds(self, answer: int, context: Context) -> bool:
        limit = (
            self.threshold.resolve(context.policy)
            if isinstance(self.threshold, Setting)
            else self.threshold
        )
        return {
            "<": answer < limit,
            "<=": answer <= limit,
            ">": answer > limit,
            ">=": answer >= limit,
        }[self.operator]

    def questions(self) -> frozenset[str]:
        return frozenset({self.question})

    def describe(self) -> str:
        return f"{self.question} {self.operator} {self.threshold}"


@dataclass(frozen=True)
class PolicyOn:
    """A yes/no setting of the clinic's policy is on."""

    name: str

    def evaluate(self, context: Context) -> Match:
        return Match(Truth.TRUE) if getattr(context.policy, self.name) else NO_MATCH

    def questions(self) -> frozenset[str]:
        return frozenset()

    def describe(self) -> str:
        return f"policy.{self.name}"


@dataclass(frozen=True)
class InRegion:
    """The patient has pain in one of ``regions`` (or did not say where: then every
    region counts, as every region's questions are asked)."""

    regions: frozenset[Region]

    def evaluate(self, context: Context) -> Match:
        if patient_regions(context.answers) & self.regions:
            return Match(Truth.TRUE, frozenset({"pain_regions"} & set(context.answers)))
        return NO_MATCH

    def questions(self) -> frozenset[str]:
        return frozenset({"pain_regions"})

    def describe(self) -> str:
        names = ", ".join(sorted(region.value for region in self.regions))
        return f"pain in {{{names}}} (or regions not given)"


@dataclass(frozen=True)
class All:
    parts: Sequence[Predicate]

    def evaluate(self, context: Context) -> Match:
        evidence: set[str] = set()
        truth = Truth.TRUE
        for part in self.parts:
            match = part.evaluate(context)
            if match.truth is Truth.FALSE:
                return NO_MATCH
            truth = min(truth, match.truth, key=lambda t: t.value)
            evidence |= match.evidence
        return Match(truth, frozenset(evidence))

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
        matches = [match for part in self.parts if (match := part.evaluate(context)).possible]
        certain = [match for match in matches if match.holds]
        if len(certain) >= self.count:
            return Match(Truth.TRUE, frozenset().union(*(match.evidence for match in certain)))
        if len(matches) >= self.count:
            return Match(Truth.UNKNOWN, frozenset().union(*(match.evidence for match in matches)))
        return NO_MATCH

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


def region(*regions: Region) -> InRegion:
    return InRegion(frozenset(regions))
