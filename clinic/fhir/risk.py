"""A red-flag screening result as a FHIR RiskAssessment, from plain data. Plain Python.

One prediction per rule that fired: the condition, the tier as its qualitative risk, the
action and guideline as its rationale, and a derivation-reference to each answer it rests
on (inside the intake's QuestionnaireResponse, or the patient's date of birth for age).
The overall tier and the therapist's decision are extensions; the decision is also the
assessment's ``mitigation`` and a note with who decided and when (docs/fhir.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic.fhir.elements import coding, concept, instant, reference
from clinic.fhir.questionnaire import answer_path, group_of
from clinic.fhir.vocabulary import (
    ASSESSMENT_SYSTEM,
    CONDITION_SYSTEM,
    DECISION_SYSTEM,
    DERIVATION_REFERENCE,
    RULE_SYSTEM,
    TIER_SYSTEM,
    Code,
    Naming,
)
from clinic.screening.model import Condition, Tier
from clinic.templating import without_internal_references


@dataclass(frozen=True)
class DecisionData:
    kind: str
    referred_to: str
    referred_when: str
    reason: str
    decided_by: str | None
    decided_at: datetime


@dataclass(frozen=True)
class ScreeningData:
    public_id: str
    intake_public_id: str
    tier: Tier
    result: Mapping[str, Any]
    # The answers screened (the intake's, with age and pain duration filled in).
    answers: Mapping[str, Any]
    screened_at: datetime
    interim: bool
    decision: DecisionData | None


_DECISIONS = {
    "referred": "Referred for urgent or emergency care",
    "cleared": "Cleared by the therapist",
    "rescreened": "Replaced by a new screening",
    "reviewed": "Reviewed",
}


def _evidence(
    naming: Naming, screening: ScreeningData, patient_id: str, question_id: str
) -> dict[str, Any]:
    """Where one piece of a rule's evidence is: the answer in the QuestionnaireResponse,
    or the patient's date of birth (age) and the onset date (pain duration)."""
    if question_id == "age_years":
        target, path = reference("Patient", patient_id), "Patient.birthDate"
    else:
        group = group_of("onset_date" if question_id == "pain_duration_days" else question_id)
        target = reference("QuestionnaireResponse", screening.intake_public_id)
        link_id = "onset_date" if question_id == "pain_duration_days" else question_id
        path = answer_path(group or "", link_id) if group else "QuestionnaireResponse"
    return {
        "url": DERIVATION_REFERENCE,
        "extension": [
            {"url": "reference", "valueReference": target},
            {"url": "path", "valueString": path},
        ],
    }


def _decision_text(decision: DecisionData) -> str:
    words = [_DECISIONS.get(decision.kind, decision.kind)]
    if decision.referred_to:
        words.append(f"to {decision.referred_to}")
    if decision.referred_when:
        words.append(f"({decision.referred_when})")
    text = " ".join(words)
    if decision.reason:
        text += f". Reason: {decision.reason}"
    return text


def risk_assessment(naming: Naming, screening: ScreeningData, patient_id: str) -> dict[str, Any]:
    """The red-flag result: one prediction per rule that fired (the condition, the tier as
    its qualitative risk, the action and guideline as its rationale, and each answer it
    rests on), the overall tier, and the therapist's decision."""
    result = screening.result
    predictions = []
    for rule in result.get("fired_rules", []):
        condition = Condition(rule["condition"])
        tier = Tier(rule["tier"])
        rationale = (
            f"Rule {rule['rule_id']}: {rule['staff_action']} "
            f"Source: {without_internal_references(rule['source'])}."
        )
        if rule.get("worst_case"):
            rationale += " Fires on the worst case of a blank follow-up answer."
        evidence = rule.get("evidence", {})
        blank = [key for key in evidence if screening.answers.get(key) in (None, "", [])]
        if blank:
            assumed = result.get("assumed_worst_case", {})
            rationale += (
                " Left blank, screened as the worst case: "
                + ", ".join(f"{key} ({assumed[key]})" if key in assumed else key for key in blank)
                + "."
            )
        predictions.append(
            {
                "outcome": concept(
                    naming, Code(CONDITION_SYSTEM, condition.value, condition.label)
                ),
                "qualitativeRisk": concept(naming, Code(TIER_SYSTEM, tier.value, tier.label)),
                "rationale": rationale,
                "extension": [
                    {
                        "url": naming.extension("red-flag-rule"),
                        "valueCoding": {
                            "system": naming.code_system(RULE_SYSTEM),
                            "code": rule["rule_id"],
                        },
                    },
                    *(
                        _evidence(naming, screening, patient_id, question_id)
                        for question_id in evidence
                        if question_id not in blank
                    ),
                ],
            }
        )
    notes = []
    unanswered = result.get("unanswered_time_critical", [])
    if unanswered:
        notes.append({"text": "Time-critical questions unanswered: " + ", ".join(unanswered)})
    if result.get("free_text_to_review"):
        notes.append({"text": "Free-text answers to be read by a clinician."})
    decision = screening.decision
    resource: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "id": screening.public_id,
        "extension": [
            {
                "url": naming.extension("screening-tier"),
                "valueCoding": coding(
                    naming, Code(TIER_SYSTEM, screening.tier.value, screening.tier.label)
                ),
            }
        ],
        # An interim result was screened while the intake was still being answered.
        "status": "preliminary" if screening.interim else "final",
        "method": {
            "text": f"Red-flag screening, rule set {result.get('ruleset_version', '')}",
        },
        "code": concept(
            naming, Code(ASSESSMENT_SYSTEM, "red-flag-screening", "Red-flag screening")
        ),
        "subject": reference("Patient", patient_id),
        "occurrenceDateTime": instant(screening.screened_at),
        "basis": [reference("QuestionnaireResponse", screening.intake_public_id)],
        "prediction": predictions,
    }
    if decision is not None:
        resource["mitigation"] = _decision_text(decision)
        notes.append(
            {
                "authorString": decision.decided_by or "Superseded by the intake's next result",
                "time": instant(decision.decided_at),
                "text": _decision_text(decision),
            }
        )
        resource["extension"].append(
            {
                "url": naming.extension("red-flag-decision"),
                "valueCoding": {
                    "system": naming.code_system(DECISION_SYSTEM),
                    "code": decision.kind,
                    "display": _DECISIONS.get(decision.kind, decision.kind),
                },
            }
        )
    elif screening.tier is not Tier.NONE:
        notes.append({"text": "Awaiting a therapist's decision."})
    if notes:
        resource["note"] = notes
    return resource
