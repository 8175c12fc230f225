"""The catalogue and the rule table as plain data, for the command line and the docs."""

from __future__ import annotations

from typing import Any

from clinic.screening.model import Question
from clinic.screening.questions import QUESTIONNAIRE_VERSION, QUESTIONS
from clinic.screening.rules import RULES, RULESET_VERSION


def question_json(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text,
        "type": question.type.value,
        "cluster": question.cluster.value,
        "time_critical": question.time_critical,
        "retired": question.retired,
        "regions": sorted(region.value for region in question.regions),
        "follow_up_of": (
            {
                "question": question.follow_up_of.question,
                "when_answer_in": sorted(question.follow_up_of.values),
            }
            if question.follow_up_of
            else None
        ),
        "options": [{"value": option.value, "text": option.text} for option in question.options],
        "minimum": question.minimum,
        "maximum": question.maximum,
        "hint": question.hint,
    }


def catalogue_json() -> dict[str, Any]:
    return {
        "questionnaire_version": QUESTIONNAIRE_VERSION,
        "questions": [question_json(question) for question in QUESTIONS],
    }


def rules_markdown() -> str:
    """The rule table as Markdown (docs/screening.md embeds it; a test keeps them equal)."""
    lines = [
        f"Rule set version {RULESET_VERSION}.",
        "",
        "| Rule | Condition | Tier | Fires when | Source |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        tier = rule.tier.value + (f" (policy: `{rule.tier_setting}`)" if rule.tier_setting else "")
        when = rule.when.describe().replace("|", "\\|")
        source = f"{rule.source} ({rule.reference})"
        lines.append(f"| {rule.id} | {rule.condition.label} | {tier} | `{when}` | {source} |")
    return "\n".join(lines) + "\n"
