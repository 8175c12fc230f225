"""Screening: answers in, the tier and every fired rule with its evidence out.

Evaluation order follows clinical.md §11.3: the completeness check of the time-critical
clusters, then every enabled rule. All hits are collected; the tier is the highest, with
INCOMPLETE standing in for "no red flag" whenever a time-critical question is unanswered.
Free text is never used to clear anything: it only asks a clinician to read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clinic.screening.model import ALL_REGIONS, Condition, Question, Region, Tier, highest
from clinic.screening.policy import ScreeningPolicy
from clinic.screening.predicates import Context
from clinic.screening.questions import QUESTIONNAIRE_VERSION, QUESTIONS, QUESTIONS_BY_ID
from clinic.screening.rules import RULES, RULESET_VERSION, Rule


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    condition: Condition
    tier: Tier
    staff_action: str
    safety_net: str
    source: str
    evidence: Mapping[str, Any]


@dataclass(frozen=True)
class ScreeningResult:
    tier: Tier
    fired: tuple[FiredRule, ...]
    unanswered_time_critical: tuple[str, ...]
    free_text_to_review: bool
    ruleset_version: str = RULESET_VERSION
    questionnaire_version: str = QUESTIONNAIRE_VERSION
    policy_changes: Mapping[str, Any] = field(default_factory=dict)

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
                    "staff_action": rule.staff_action,
                    "safety_net": rule.safety_net,
                    "source": rule.source,
                    "evidence": dict(rule.evidence),
                }
                for rule in self.fired
            ],
            "unanswered_time_critical": list(self.unanswered_time_critical),
            "free_text_to_review": self.free_text_to_review,
            "ruleset_version": self.ruleset_version,
            "questionnaire_version": self.questionnaire_version,
            "policy_changes": dict(self.policy_changes),
        }


def patient_regions(answers: Mapping[str, Any]) -> frozenset[Region]:
    chosen = answers.get("pain_regions")
    if not isinstance(chosen, list) or not chosen:
        # Regions unknown: every region's questions apply, so none is silently skipped.
        return ALL_REGIONS
    return frozenset(Region(value) for value in chosen)


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


def unanswered_time_critical(answers: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(
        question.id
        for question in QUESTIONS
        if question.time_critical and question.id not in answers and is_asked(question, answers)
    )


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
    context = Context(answers=answers, policy=policy, questions=QUESTIONS_BY_ID)
    hits: list[tuple[Rule, Tier, frozenset[str]]] = []
    for rule in rules:
        if not rule.enabled or rule.id in policy.disabled_rules:
            continue
        match = rule.when.evaluate(context)
        if match.holds:
            hits.append((rule, effective_tier(rule, policy), match.evidence))

    missing = unanswered_time_critical(answers)
    tiers = [tier for _, tier, _ in hits]
    if missing and policy.incomplete_when_time_critical_unanswered:
        tiers.append(Tier.INCOMPLETE)

    fired_ids = {rule.id for rule, _, _ in hits}
    reported = tuple(
        FiredRule(
            rule_id=rule.id,
            condition=rule.condition,
            tier=tier,
            staff_action=rule.staff_action,
            safety_net=rule.safety_net,
            source=rule.source,
            evidence={question_id: answers[question_id] for question_id in sorted(evidence)},
        )
        for rule, tier, evidence in sorted(hits, key=lambda hit: -hit[1].rank)
        if not fired_ids.intersection(rule.superseded_by)
    )
    return ScreeningResult(
        tier=highest(tiers),
        fired=reported,
        unanswered_time_critical=missing,
        free_text_to_review=bool(str(answers.get("other_concerns", "")).strip()),
        policy_changes=policy.changes_from_default(),
    )
