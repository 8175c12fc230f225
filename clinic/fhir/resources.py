"""The patient, an intake's answers and its scores as FHIR R4 resources, from plain data;
bundles and outcomes. Plain Python (red-flag results: ``clinic.fhir.risk``; plans and
handouts: ``clinic.fhir.care``).

``clinic.fhir.record`` reads the database into the dataclasses below; these functions
turn them into resources (dicts in FHIR's JSON form). Ids: the patient's random public
id, the intake's; a score is ``<intake id>-<instrument>[-part]``.
Every reference inside a patient's bundle points at a resource in the same bundle, or is
a display name only (staff are not exported as Practitioners).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic.fhir.elements import concept, instant, named, quantity, reference
from clinic.fhir.questionnaire import questionnaire_response
from clinic.fhir.vocabulary import (
    DATA_ABSENT_REASON,
    IDENTIFIER_TYPE,
    NDI_PERCENTAGE,
    OBSERVATION_CATEGORY,
    SCORE_CODES,
    STARTBACK_RISK_ANSWERS,
    Code,
    Naming,
)
from clinic.measures.base import ScoreResult
from clinic.measures.registry import INSTRUMENTS

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
        "meta": {"lastUpdated": instant(data.updated_at)},
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
        named(intake.submitted_by, "")
        if intake.submitted_by
        else reference("Patient", patient_id, "The patient (waiting-room tablet)")
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
    resource["meta"] = {"lastUpdated": instant(intake.updated_at)}
    return resource


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
        "code": concept(naming, code),
        "subject": reference("Patient", patient_id),
        "effectiveDateTime": instant(intake.submitted_at),
        "derivedFrom": [reference("QuestionnaireResponse", intake.public_id)],
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
                {"valueQuantity": quantity(result.score, codes.unit, codes.unit_code)},
                note=note,
            )
            if result.band and instrument != "startback":
                score["interpretation"] = [{"text": result.band}]
            if instrument == "ndi" and "percentage" in result.details:
                score["component"] = [
                    {
                        "code": concept(naming, NDI_PERCENTAGE),
                        "valueQuantity": quantity(result.details["percentage"], "%", "%"),
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
                    {"valueQuantity": quantity(subscale, codes.unit, codes.unit_code)},
                )
            )
        if codes.risk is not None and result.band in STARTBACK_RISK_ANSWERS:
            answer = STARTBACK_RISK_ANSWERS[result.band]
            parts.append(
                observation("-risk", codes.risk, {"valueCodeableConcept": concept(naming, answer)})
            )
        if codes.panel is not None:
            resources.append(
                observation(
                    "",
                    codes.panel,
                    None,
                    hasMember=[reference("Observation", part["id"]) for part in parts],
                )
            )
        resources.extend(parts)
    return resources


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
        "timestamp": instant(timestamp),
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
