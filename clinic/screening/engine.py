"""Screening: answers in, the tier and every fired rule with its evidence out.

Evaluation order follows clinical.md §11.3: the completeness check of the time-critical
clusters, then every enabled rule. All hits are collected; the tier is the highest, with
INCOMPLETE standing in for "no red flag" whenever a time-critical question is unanswered.
Free text is never used to clear anything: it only asks a clinician to read it.

Two designed properties (docs/screening.md, "Incomplete and unasked answers"):

- **A blank never lowers a tier.** A follow-up left blank under a positive answer of a
  time-critical cluster is screened as the worst case it allows, bounded by what is known
  (a symptom new since the pain began is no older than the pain). Rules that fire only in
  that worst case are reported as such; INCOMPLETE is reported beside them, never instead.
- **Unasked answers never fire.** An answer to a question the questionnaire would not
  have asked (a follow-up whose parent is "no", a question for another region) is set
  aside and listed as ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clinic.screening.model import (
    AnswerType,
    Condition,
    Question,
    Tier,
    highest,
    patient_regions,
)
from clinic.screening.policy import ScreeningPolicy
from clinic.screening.predicates import Context, Match, Unknown
from clinic.screening.questions import QUESTIONNAIRE_VERSION, QUESTIONS, QUESTIONS_BY_ID
from clinic.screening.rules import RULES, RULESET_VERSION, Rule

__all__ = ["FiredRule", "ScreeningResult", "is_asked", "patient_regions", "screen"]


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    condition: Condition
    tier: Tier
    staff_action: str
    safety_net: str
    source: str
    evidence: Mapping[str, Any]
    # The rule's trace in the project's clinical reference: for developers, never shown.
    reference: str = ""
    # True when the rule holds only for the worst filling of blank follow-ups.
    worst_case: bool = False


@dataclass(frozen=True)
class ScreeningResult:
    tier: Tier
    fired: tuple[FiredRule, ...]
    unanswered_time_critical: tuple[str, ...]
    free_text_to_review: bool
    ruleset_version: str = RULESET_VERSION
    questionnaire_version: str = QUESTIONNAIRE_VERSION
    policy_changes: Mapping[str, Any] = field(default_factory=dict)
    # Blank follow-ups screened as their worst case: question id -> what was assumed.
    assumed: Mapping[str, str] = field(default_factory=dict)
    # Answers to questions that would not have been asked: never used.
    ignored: tuple[str, ...] = ()

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(dict.fromkeys(rule.condition for rule in self.fired))

    def to_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier.value,
            "conditions": [condition.value for condition in self.conditions],
            "fired_rules": [
                {
                    "rule_id": rule.rule_id,
                    "condition": rule.condition.value,
                    "tier": rule.tier.value,
                    "worst_case": rule.worst_case,
                    "staff_action": rule.staff_action,
                    "safety_net": rule.safety_net,
                    "source": rule.source,
                    "reference": rule.reference,
                    "evidence": dict(rule.evidence),
                }
                for rule in self.fired
            ],
            "unanswered_time_critical": list(self.unanswered_time_critical),
            "assumed_worst_case": dict(self.assumed),
            "ignored_unasked": list(self.ignored),
            "free_text_to_review": self.free_text_to_review,
            "ruleset_version": self.ruleset_version,
            "questionnaire_version": self.questionnaire_version,
            "policy_changes": dict(self.policy_changes),
        }


def is_asked(
    question: Question,
    answers: Mapping[str, Any],
    catalogue: Mapping[str, Question] = QUESTIONS_BY_ID,
) -> bool:
    """Whether the questionnaire asks ``question`` given the answers so far (``catalogue``
    holds the parents of follow-ups: the red-flag questions, or those and the intake's)."""
    if not question.regions & patient_regions(answers):
        return False
    follow_up = question.follow_up_of
    if follow_up is None:
        return True
    parent = catalogue[follow_up.question]
    if not is_asked(parent, answers, catalogue):
        return False
    answer = answers.get(parent.id)
    chosen = set(answer) if isinstance(answer, list) else {answer}
    return bool(chosen & follow_up.values)


def asked_answers(answers: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The answers the questionnaire would have asked for, and the ids of the others.
    Retired questions are judged by the rules of the questionnaire that asked them: they
    were asked of every region, their follow-ups after a positive answer."""
    kept: dict[str, Any] = {}
    ignored: list[str] = []
    for question_id, value in answers.items():
        question = QUESTIONS_BY_ID.get(question_id)
        if question is None or is_asked(question, answers):
            kept[question_id] = value
        else:
            ignored.append(question_id)
    return kept, tuple(sorted(ignored))


def unanswered_time_critical(answers: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(
        question.id
        for question in QUESTIONS
        if question.time_critical
        and not question.retired
        and question.id not in answers
        and is_asked(question, answers)
    )


def _could_be_asked(
    question: Question, answers: Mapping[str, Any], unknown: Mapping[str, Unknown]
) -> bool:
    """Whether some filling of the blanks already found would ask ``question``."""
    follow_up = question.follow_up_of
    if follow_up is None or not question.regions & patient_regions(answers):
        return False
    parent = follow_up.question
    if parent in unknown:
        return bool(unknown[parent].choices & follow_up.values)
    return parent in answers and is_asked(question, answers)


def worst_case_blanks(answers: Mapping[str, Any]) -> dict[str, Unknown]:
    """Blank follow-ups of positive time-critical answers, each with what it may be.

    The catalogue lists parents before their follow-ups, so one pass sees a blank status
    before the onset and trend it would open."""
    unknown: dict[str, Unknown] = {}
    for question in QUESTIONS:
        if (
            question.id in answers
            or question.retired
            or not question.time_critical
            or not _could_be_asked(question, answers, unknown)
        ):
            continue
        if question.type is AnswerType.DURATION:
            unknown[question.id] = _duration_range(question, answers, unknown)
        else:
            unknown[question.id] = Unknown(
                choices=frozenset(option.value for option in question.options)
            )
    return unknown


def _duration_range(
    question: Question, answers: Mapping[str, Any], unknown: Mapping[str, Unknown]
) -> Unknown:
    highest_days = question.maximum if question.maximum is not None else 0
    reason, bound_by = "not answered: any number of days", None
    parent = question.follow_up_of.question if question.follow_up_of else ""
    statuses = unknown[parent].choices if parent in unknown else {answers.get(parent)}
    pain_days = answers.get("pain_duration_days")
    if (
        question.within_episode_when
        and statuses <= question.within_episode_when
        and isinstance(pain_days, int)
    ):
        highest_days, bound_by = pain_days, "pain_duration_days"
        reason = f"not answered: at most {pain_days} days, no older than the pain"
    return Unknown(
        lowest=question.minimum or 0, highest=highest_days, reason=reason, bound_by=bound_by
    )


def _assumption(unknown: Unknown) -> str:
    if unknown.is_range:
        return unknown.reason
    return "not answered: any of " + ", ".join(sorted(unknown.choices))


def effective_tier(rule: Rule, policy: ScreeningPolicy) -> Tier:
    if rule.id in policy.tier_overrides:
        return policy.tier_overrides[rule.id]
    if rule.tier_setting is not None:
        tier: Tier = getattr(policy, rule.tier_setting)
        return tier
    return rule.tier


def screen(
    answers: Mapping[str, Any],
    policy: ScreeningPolicy | None = None,
    rules: tuple[Rule, ...] = RULES,
) -> ScreeningResult:
    """Screen validated answers (see ``answers.validate_answers``)."""
    policy = policy or ScreeningPolicy()
    asked, ignored = asked_answers(answers)
    unknown = worst_case_blanks(asked)
    context = Context(answers=asked, policy=policy, questions=QUESTIONS_BY_ID, unknown=unknown)
    hits: list[tuple[Rule, Tier, Match]] = []
    for rule in rules:
        if not rule.enabled or rule.id in policy.disabled_rules:
            continue
        match = rule.when.evaluate(context)
        if match.possible:
            hits.append((rule, effective_tier(rule, policy), match))

    missing = unanswered_time_critical(asked)
    tiers = [tier for _, tier, _ in hits]
    if missing and policy.incomplete_when_time_critical_unanswered:
        tiers.append(Tier.INCOMPLETE)

    certain = {rule.id for rule, _, match in hits if match.holds}
    worst = {rule.id for rule, _, match in hits if not match.holds}

    def superseded(rule: Rule, match: Match) -> bool:
        # A certain rule hides only behind a certain one; a worst-case one behind either.
        sharper = set(rule.superseded_by)
        return bool(sharper & certain) or (not match.holds and bool(sharper & worst))

    reported = tuple(
        FiredRule(
            rule_id=rule.id,
            condition=rule.condition,
            tier=tier,
            staff_action=rule.staff_action,
            safety_net=rule.safety_net,
            source=rule.source,
            reference=rule.reference,
            evidence={question: asked.get(question) for question in sorted(match.evidence)},
            worst_case=not match.holds,
        )
        for rule, tier, match in sorted(hits, key=lambda hit: (-hit[1].rank, not hit[2].holds))
        if not superseded(rule, match)
    )
    used = {question_id for rule in reported for question_id in rule.evidence}
    return ScreeningResult(
        tier=highest(tiers),
        fired=reported,
        unanswered_time_critical=missing,
        free_text_to_review=bool(str(asked.get("other_concerns", "")).strip()),
        policy_changes=policy.changes_from_default(),
        assumed={
            question_id: _assumption(blank)
            for question_id, blank in unknown.items()
            if question_id in used
        },
        ignored=ignored,
    )
