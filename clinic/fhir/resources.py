"""The patient's record as FHIR R4 resources, from plain data. Plain Python.

``clinic.fhir.record`` reads the database into the dataclasses below; these functions
turn them into resources (dicts in FHIR's JSON form). Ids: the patient's random public
id, the intake's, the screening result's; a plan version is ``<plan id>-v<version>``.
Every reference inside a patient's bundle points at a resource in the same bundle, or is
a display name only (staff are not exported as Practitioners).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clinic.catalogue.dosage import dosage_words
from clinic.catalogue.safety import SAFETY_CODES
from clinic.catalogue.vocabulary import REGIONS, Setting
from clinic.fhir.questionnaire import answer_path, group_of, questionnaire_response
from clinic.fhir.vocabulary import (
    ASSESSMENT_SYSTEM,
    BODY_AREA_SYSTEM,
    CATALOGUE_SYSTEM,
    CONDITION_SYSTEM,
    CONTRAINDICATION_SYSTEM,
    DATA_ABSENT_REASON,
    DECISION_SYSTEM,
    DERIVATION_REFERENCE,
    DOCUMENT_TYPE_SYSTEM,
    IDENTIFIER_TYPE,
    NDI_PERCENTAGE,
    OBSERVATION_CATEGORY,
    RULE_SYSTEM,
    SAFETY_DECISION_SYSTEM,
    SCORE_CODES,
    STARTBACK_RISK_ANSWERS,
    TIER_SYSTEM,
    UCUM,
    Code,
    Naming,
)
from clinic.measures.base import ScoreResult
from clinic.measures.registry import INSTRUMENTS
from clinic.screening.model import Condition, Tier
from clinic.templating import without_internal_references

# Plain data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientData:
    public_id: str
    chart_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex_or_gender: str
    phone: str
    email: str
    address: str
    preferred_language: str
    emergency_contact_name: str
    emergency_contact_relationship: str
    emergency_contact_phone: str
    updated_at: datetime


@dataclass(frozen=True)
class IntakeData:
    public_id: str
    questionnaire_version: str
    answers: Mapping[str, Any]
    submitted_at: datetime
    # Who sent it: a member of staff's name, or None for the patient on the kiosk.
    submitted_by: str | None
    scores: Mapping[str, ScoreResult]
    updated_at: datetime


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


@dataclass(frozen=True)
class PlanItemData:
    position: int
    slug: str
    title: str
    kind: str
    area: str | None
    dosage: Mapping[str, Any]
    notes: str
    setting: Setting


@dataclass(frozen=True)
class SafetyDecisionData:
    id: int
    code: str
    kind: str
    reason: str
    item_slug: str
    item_title: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class PlanVersionData:
    plan_public_id: str
    version: int
    status: str  # "draft" or "final"
    # A later finalised version replaces this one.
    superseded: bool
    title: str
    general_advice: str
    review_date: date | None
    intake_public_id: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    finalised_at: datetime | None
    finalised_by: str | None
    items: Sequence[PlanItemData]
    safety: Sequence[SafetyDecisionData] = field(default_factory=tuple)

    @property
    def resource_id(self) -> str:
        return plan_version_id(self.plan_public_id, self.version)


@dataclass(frozen=True)
class HandoutData:
    issue_id: int
    issued_at: datetime
    issued_by: str | None
    plan_public_id: str
    plan_version: int
    pdf: bytes
    sha256: str
    pages: int
    paper: str
    large_print: bool
    language: str
    title: str


def plan_version_id(plan_public_id: str, version: int) -> str:
    return f"{plan_public_id}-v{version}"


def _reference(resource_type: str, resource_id: str, display: str | None = None) -> dict[str, Any]:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def _named(name: str | None, otherwise: str) -> dict[str, Any]:
    """A person by name only (staff are not exported as resources)."""
    return {"display": name or otherwise}


def _coding(naming: Naming, code: Code) -> dict[str, str]:
    system = code.system if "://" in code.system else naming.code_system(code.system)
    return {"system": system, "code": code.code, "display": code.display}


def _concept(naming: Naming, code: Code, text: str | None = None) -> dict[str, Any]:
    return {"coding": [_coding(naming, code)], "text": text or code.display}


def _instant(moment: datetime) -> str:
    return moment.isoformat()


# Patient ----------------------------------------------------------------------------------

_GENDERS = {"female": "female", "woman": "female", "male": "male", "man": "male"}
_LANGUAGES = {
    "english": "en",
    "welsh": "cy",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "portuguese": "pt",
    "italian": "it",
    "polish": "pl",
    "romanian": "ro",
    "arabic": "ar",
    "urdu": "ur",
    "punjabi": "pa",
    "bengali": "bn",
    "gujarati": "gu",
    "hindi": "hi",
    "tamil": "ta",
    "turkish": "tr",
    "somali": "so",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "yue",
}


def patient(naming: Naming, data: PatientData) -> dict[str, Any]:
    """The record's demographics. Gender only where the record's own words say "female"
    or "male" (the record holds the patient's words, not an administrative gender)."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": data.public_id,
        "meta": {"lastUpdated": _instant(data.updated_at)},
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {
                            "system": IDENTIFIER_TYPE,
                            "code": "MR",
                            "display": "Medical record number",
                        }
                    ],
                    "text": "Chart number",
                },
                "system": naming.chart_number_system,
                "value": data.chart_number,
            }
        ],
        "active": True,
        "name": [
            {
                "use": "official",
                "text": f"{data.given_name} {data.family_name}",
                "family": data.family_name,
                "given": [data.given_name],
            }
        ],
        "birthDate": data.date_of_birth.isoformat(),
    }
    telecom = [
        {"system": system, "value": value, "use": "home" if system == "phone" else None}
        for system, value in (("phone", data.phone), ("email", data.email))
        if value
    ]
    if telecom:
        resource["telecom"] = [{k: v for k, v in t.items() if v} for t in telecom]
    gender = _GENDERS.get(data.sex_or_gender.strip().lower())
    if gender:
        resource["gender"] = gender
    if data.sex_or_gender and not gender:
        # Kept in the patient's words, where no administrative gender can be read from them.
        resource["extension"] = [
            {"url": naming.extension("sex-or-gender"), "valueString": data.sex_or_gender}
        ]
    if data.address.strip():
        lines = [line.strip() for line in data.address.splitlines() if line.strip()]
        resource["address"] = [{"use": "home", "text": ", ".join(lines), "line": lines}]
    if data.preferred_language:
        language: dict[str, Any] = {"text": data.preferred_language}
        code = _LANGUAGES.get(data.preferred_language.strip().lower())
        if code:
            language["coding"] = [
                {"system": "urn:ietf:bcp:47", "code": code, "display": data.preferred_language}
            ]
        resource["communication"] = [{"language": language, "preferred": True}]
    if data.emergency_contact_name:
        contact: dict[str, Any] = {"name": {"text": data.emergency_contact_name}}
        if data.emergency_contact_relationship:
            contact["relationship"] = [{"text": data.emergency_contact_relationship}]
        if data.emergency_contact_phone:
            contact["telecom"] = [{"system": "phone", "value": data.emergency_contact_phone}]
        resource["contact"] = [contact]
    return resource


# Intake -----------------------------------------------------------------------------------


def intake_response(naming: Naming, intake: IntakeData, patient_id: str) -> dict[str, Any]:
    author = (
        _named(intake.submitted_by, "")
        if intake.submitted_by
        else _reference("Patient", patient_id, "The patient (waiting-room tablet)")
    )
    resource = questionnaire_response(
        naming,
        intake.public_id,
        intake.questionnaire_version,
        intake.answers,
        f"Patient/{patient_id}",
        intake.submitted_at,
        author,
    )
    resource["meta"] = {"lastUpdated": _instant(intake.updated_at)}
    return resource


def _quantity(value: float, codes_unit: str, codes_unit_code: str) -> dict[str, Any]:
    return {"value": value, "unit": codes_unit, "system": UCUM, "code": codes_unit_code}


def _survey(
    naming: Naming,
    intake: IntakeData,
    patient_id: str,
    suffix: str,
    code: Code,
    value: dict[str, Any] | None,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{intake.public_id}-{suffix}",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": _concept(naming, code),
        "subject": _reference("Patient", patient_id),
        "effectiveDateTime": _instant(intake.submitted_at),
        "derivedFrom": [_reference("QuestionnaireResponse", intake.public_id)],
        **extra,
    }
    if value is not None:
        resource.update(value)
    return resource


def observations(naming: Naming, intake: IntakeData, patient_id: str) -> list[dict[str, Any]]:
    """Each outcome measure of the intake: a score Observation (with a panel holding its
    parts where LOINC has one). A measure that could not be scored says why."""
    resources: list[dict[str, Any]] = []
    for instrument, result in intake.scores.items():
        codes = SCORE_CODES[instrument]

        def observation(
            suffix: str,
            code: Code,
            value: dict[str, Any] | None,
            instrument: str = instrument,
            **extra: Any,
        ) -> dict[str, Any]:
            return _survey(naming, intake, patient_id, f"{instrument}{suffix}", code, value, extra)

        parts: list[dict[str, Any]] = []
        note = [{"text": f"{INSTRUMENTS[instrument].title}, {result.version}. {result.policy}"}]
        if result.scorable and result.score is not None:
            score = observation(
                "-score",
                codes.score,
                {"valueQuantity": _quantity(result.score, codes.unit, codes.unit_code)},
                note=note,
            )
            if result.band and instrument != "startback":
                score["interpretation"] = [{"text": result.band}]
            if instrument == "ndi" and "percentage" in result.details:
                score["component"] = [
                    {
                        "code": _concept(naming, NDI_PERCENTAGE),
                        "valueQuantity": _quantity(result.details["percentage"], "%", "%"),
                    }
                ]
            parts.append(score)
        else:
            reason = result.reason or "Not scored"
            parts.append(
                observation(
                    "-score",
                    codes.score,
                    {
                        "dataAbsentReason": {
                            "coding": [{"system": DATA_ABSENT_REASON, "code": "unknown"}],
                            "text": reason,
                        }
                    },
                    note=[{"text": f"Not scored: {reason}"}, *note],
                )
            )
        subscale = result.details.get("psychosocial_subscale")
        if codes.subscore is not None and isinstance(subscale, int):
            parts.append(
                observation(
                    "-distress",
                    codes.subscore,
                    {"valueQuantity": _quantity(subscale, codes.unit, codes.unit_code)},
                )
            )
        if codes.risk is not None and result.band in STARTBACK_RISK_ANSWERS:
            answer = STARTBACK_RISK_ANSWERS[result.band]
            parts.append(
                observation("-risk", codes.risk, {"valueCodeableConcept": _concept(naming, answer)})
            )
        if codes.panel is not None:
            resources.append(
                observation(
                    "",
                    codes.panel,
                    None,
                    hasMember=[_reference("Observation", part["id"]) for part in parts],
                )
            )
        resources.extend(parts)
    return resources


# Red-flag screening -----------------------------------------------------------------------

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
        target, path = _reference("Patient", patient_id), "Patient.birthDate"
    else:
        group = group_of("onset_date" if question_id == "pain_duration_days" else question_id)
        target = _reference("QuestionnaireResponse", screening.intake_public_id)
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
                "outcome": _concept(
                    naming, Code(CONDITION_SYSTEM, condition.value, condition.label)
                ),
                "qualitativeRisk": _concept(naming, Code(TIER_SYSTEM, tier.value, tier.label)),
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
                "valueCoding": _coding(
                    naming, Code(TIER_SYSTEM, screening.tier.value, screening.tier.label)
                ),
            }
        ],
        # An interim result was screened while the intake was still being answered.
        "status": "preliminary" if screening.interim else "final",
        "method": {
            "text": f"Red-flag screening, rule set {result.get('ruleset_version', '')}",
        },
        "code": _concept(
            naming, Code(ASSESSMENT_SYSTEM, "red-flag-screening", "Red-flag screening")
        ),
        "subject": _reference("Patient", patient_id),
        "occurrenceDateTime": _instant(screening.screened_at),
        "basis": [_reference("QuestionnaireResponse", screening.intake_public_id)],
        "prediction": predictions,
    }
    if decision is not None:
        resource["mitigation"] = _decision_text(decision)
        notes.append(
            {
                "authorString": decision.decided_by or "Superseded by the intake's next result",
                "time": _instant(decision.decided_at),
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


# Plans ------------------------------------------------------------------------------------

_AREA_LABELS = {option.value: option.text for option in REGIONS}
_SAFETY_LABELS = {code.code: code.label for code in SAFETY_CODES}


def _timing(dosage: Mapping[str, Any]) -> dict[str, Any]:
    """How often, as a Timing: "twice a day" is 2 per day; "on 5 days a week" 5 per week;
    "twice a day, on 5 days a week" 10 per week. The words are the Timing's text."""
    per_day, days = dosage.get("times_per_day"), dosage.get("days_per_week")
    if days == 7:
        per_day, days = per_day or 1, None  # every day
    repeat: dict[str, Any] = {}
    if per_day and days:
        repeat = {"frequency": per_day * days, "period": 1, "periodUnit": "wk"}
    elif per_day:
        repeat = {"frequency": per_day, "period": 1, "periodUnit": "d"}
    elif days:
        repeat = {"frequency": days, "period": 1, "periodUnit": "wk"}
    if dosage.get("duration_minutes"):
        repeat.update(duration=dosage["duration_minutes"], durationUnit="min")
    elif dosage.get("hold_seconds") and not dosage.get("reps"):
        repeat.update(duration=dosage["hold_seconds"], durationUnit="s")
    timing: dict[str, Any] = {}
    if repeat:
        timing["repeat"] = repeat
    words = dosage_words(dosage)
    if words:
        timing["code"] = {"text": words}
    return timing


def _dosage_extension(naming: Naming, dosage: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Sets, repetitions, hold, rest, side and load: what a Timing cannot say."""
    parts: list[dict[str, Any]] = []
    for key, url in (("sets", "sets"), ("reps", "repetitions")):
        if dosage.get(key):
            parts.append({"url": url, "valueInteger": dosage[key]})
    for key, url in (("hold_seconds", "hold"), ("rest_seconds", "rest")):
        if dosage.get(key):
            parts.append({"url": url, "valueQuantity": _quantity(dosage[key], "s", "s")})
    if dosage.get("side"):
        parts.append({"url": "side", "valueCode": str(dosage["side"])})
    if dosage.get("load"):
        parts.append({"url": "load", "valueString": str(dosage["load"])})
    return [{"url": naming.extension("exercise-dosage"), "extension": parts}] if parts else []


def _activity(
    naming: Naming, plan: PlanVersionData, item: PlanItemData, patient_id: str
) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "kind": "ServiceRequest" if item.setting is Setting.CLINIC else "Task",
        "code": _concept(naming, Code(CATALOGUE_SYSTEM, item.slug, item.title)),
        "status": "not-started" if plan.status == "draft" else "scheduled",
        "location": {"display": item.setting.label},
        "performer": [
            _reference("Patient", patient_id)
            if item.setting is Setting.HOME
            else {"display": "The treating therapist"}
        ],
        "description": " ".join(
            part for part in (item.title + ".", dosage_words(item.dosage)) if part
        ),
    }
    extensions = _dosage_extension(naming, item.dosage)
    if item.area:
        extensions.append(
            {
                "url": "http://hl7.org/fhir/StructureDefinition/bodySite",
                "valueCodeableConcept": _concept(
                    naming,
                    Code(BODY_AREA_SYSTEM, item.area, _AREA_LABELS.get(item.area, item.area)),
                ),
            }
        )
    if extensions:
        detail["extension"] = extensions
    timing = _timing(item.dosage)
    if timing:
        detail["scheduledTiming"] = timing
    if item.dosage.get("reps"):
        detail["quantity"] = {"value": item.dosage["reps"], "unit": "repetitions"}
    activity: dict[str, Any] = {"detail": detail}
    if item.notes:
        activity["progress"] = [{"text": item.notes}]
    return activity


def care_plan(
    naming: Naming, plan: PlanVersionData, patient_id: str, issues: Sequence[str]
) -> dict[str, Any]:
    """One version of a plan. The newest finalised version is active; an earlier one that
    a later version replaced is revoked (and named by the later one's ``replaces``)."""
    status = "draft" if plan.status == "draft" else "revoked" if plan.superseded else "active"
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": plan.resource_id,
        "meta": {"lastUpdated": _instant(plan.updated_at)},
        "identifier": [
            {"system": naming.identifier_system("plan"), "value": plan.plan_public_id},
            {
                "system": naming.identifier_system("plan-version"),
                "value": f"{plan.plan_public_id}/{plan.version}",
            },
        ],
        "status": status,
        "intent": "plan",
        "title": plan.title,
        "subject": _reference("Patient", patient_id),
        "created": _instant(plan.created_at),
        "author": _named(plan.finalised_by or plan.created_by, "Therapist"),
        "supportingInfo": [
            _reference("QuestionnaireResponse", plan.intake_public_id),
            *(_reference("DetectedIssue", issue_id) for issue_id in issues),
        ],
        "activity": [_activity(naming, plan, item, patient_id) for item in plan.items],
    }
    if plan.version > 1:
        resource["replaces"] = [
            _reference("CarePlan", plan_version_id(plan.plan_public_id, plan.version - 1))
        ]
    period: dict[str, str] = {}
    if plan.finalised_at:
        period["start"] = plan.finalised_at.date().isoformat()
    if plan.review_date:
        period["end"] = plan.review_date.isoformat()
    if period:
        resource["period"] = period
    if plan.general_advice.strip():
        resource["description"] = plan.general_advice.strip()
    return resource


def detected_issue(
    naming: Naming, plan: PlanVersionData, decision: SafetyDecisionData, patient_id: str
) -> dict[str, Any]:
    """A finding of the contraindication check the therapist answered: an override of a
    contraindication (with the reason) or the confirmation of a precaution."""
    label = _SAFETY_LABELS.get(decision.code, decision.code)
    override = decision.kind == "override"
    return {
        "resourceType": "DetectedIssue",
        "id": f"{plan.resource_id}-safety-{decision.id}",
        "status": "final",
        "code": _concept(
            naming,
            Code(CONTRAINDICATION_SYSTEM, decision.code, label),
            f"{'Contraindication' if override else 'Precaution'}: {label}",
        ),
        "severity": "high" if override else "moderate",
        "patient": _reference("Patient", patient_id),
        "identifiedDateTime": _instant(decision.decided_at),
        "implicated": [_reference("CarePlan", plan.resource_id)],
        "detail": f"{decision.item_title}: {label}",
        "mitigation": [
            {
                "action": _concept(
                    naming,
                    Code(
                        SAFETY_DECISION_SYSTEM,
                        decision.kind,
                        "Overridden by the therapist" if override else "Precaution confirmed",
                    ),
                    (f"Overridden: {decision.reason}" if override else "Precaution confirmed")
                    + (f" ({decision.reason})" if decision.reason and not override else ""),
                ),
                "date": _instant(decision.decided_at),
                "author": _named(decision.decided_by, "Therapist"),
            }
        ],
    }


# Handouts ---------------------------------------------------------------------------------


def document_reference(naming: Naming, handout: HandoutData, patient_id: str) -> dict[str, Any]:
    """A handout given to the patient, with the exact PDF printed (from the archive)."""
    return {
        "resourceType": "DocumentReference",
        "id": f"handout-{handout.issue_id}",
        "masterIdentifier": {
            "system": naming.identifier_system("handout-sha256"),
            "value": handout.sha256,
        },
        "status": "current",
        "docStatus": "final",
        "type": _concept(
            naming, Code(DOCUMENT_TYPE_SYSTEM, "patient-handout", "Patient exercise handout")
        ),
        "subject": _reference("Patient", patient_id),
        "date": _instant(handout.issued_at),
        "author": [_named(handout.issued_by, "Printed in a batch")],
        "description": (
            f"{handout.title}, version {handout.plan_version}: {handout.pages} pages, "
            f"{handout.paper.upper()}{', large print' if handout.large_print else ''}"
        ),
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "language": handout.language,
                    "data": base64.b64encode(handout.pdf).decode("ascii"),
                    "size": len(handout.pdf),
                    # FHIR R4's attachment hash is SHA-1; the SHA-256 is the masterIdentifier.
                    "hash": base64.b64encode(hashlib.sha1(handout.pdf).digest()).decode(),  # noqa: S324
                    "title": f"{handout.title} (handout)",
                    "creation": _instant(handout.issued_at),
                }
            }
        ],
        "context": {
            "related": [
                _reference(
                    "CarePlan", plan_version_id(handout.plan_public_id, handout.plan_version)
                )
            ]
        },
    }


# Bundles and outcomes ---------------------------------------------------------------------


def bundle(
    naming: Naming,
    bundle_type: str,
    resources: Sequence[Mapping[str, Any]],
    timestamp: datetime,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": bundle_type,
        "timestamp": _instant(timestamp),
        **extra,
        "entry": [
            {
                "fullUrl": naming.full_url(resource["resourceType"], resource["id"]),
                "resource": resource,
                **({"search": {"mode": "match"}} if bundle_type == "searchset" else {}),
            }
            for resource in resources
        ],
    }


def operation_outcome(code: str, message: str, severity: str = "error") -> dict[str, Any]:
    """An error as FHIR reports one: ``code`` from FHIR's issue types (not-found,
    security, forbidden, invalid, not-supported, exception...), in words for people."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }
