"""A patient's plans (CarePlan, with each contraindication finding the therapist answered
as a DetectedIssue) and the handouts given (DocumentReference), from plain data. Plain
Python. A plan version is ``<plan id>-v<version>``; a handout ``handout-<issue>``."""

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
from clinic.fhir.elements import concept, instant, named, quantity, reference
from clinic.fhir.vocabulary import (
    BODY_AREA_SYSTEM,
    CATALOGUE_SYSTEM,
    CONTRAINDICATION_SYSTEM,
    DOCUMENT_TYPE_SYSTEM,
    SAFETY_DECISION_SYSTEM,
    Code,
    Naming,
)


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


# Plans ------------------------------------------------------------------------------------

_AREA_LABELS = {option.value: option.text for option in REGIONS}
_SAFETY_LABELS = {code.code: code.label for code in SAFETY_CODES}


def timing(dosage: Mapping[str, Any]) -> dict[str, Any]:
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
            parts.append({"url": url, "valueQuantity": quantity(dosage[key], "s", "s")})
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
        "code": concept(naming, Code(CATALOGUE_SYSTEM, item.slug, item.title)),
        "status": "not-started" if plan.status == "draft" else "scheduled",
        "location": {"display": item.setting.label},
        "performer": [
            reference("Patient", patient_id)
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
                "valueCodeableConcept": concept(
                    naming,
                    Code(BODY_AREA_SYSTEM, item.area, _AREA_LABELS.get(item.area, item.area)),
                ),
            }
        )
    if extensions:
        detail["extension"] = extensions
    schedule = timing(item.dosage)
    if schedule:
        detail["scheduledTiming"] = schedule
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
        "meta": {"lastUpdated": instant(plan.updated_at)},
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
        "subject": reference("Patient", patient_id),
        "created": instant(plan.created_at),
        "author": named(plan.finalised_by or plan.created_by, "Therapist"),
        "supportingInfo": [
            reference("QuestionnaireResponse", plan.intake_public_id),
            *(reference("DetectedIssue", issue_id) for issue_id in issues),
        ],
        "activity": [_activity(naming, plan, item, patient_id) for item in plan.items],
    }
    if plan.version > 1:
        resource["replaces"] = [
            reference("CarePlan", plan_version_id(plan.plan_public_id, plan.version - 1))
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
        "code": concept(
            naming,
            Code(CONTRAINDICATION_SYSTEM, decision.code, label),
            f"{'Contraindication' if override else 'Precaution'}: {label}",
        ),
        "severity": "high" if override else "moderate",
        "patient": reference("Patient", patient_id),
        "identifiedDateTime": instant(decision.decided_at),
        "implicated": [reference("CarePlan", plan.resource_id)],
        "detail": f"{decision.item_title}: {label}",
        "mitigation": [
            {
                "action": concept(
                    naming,
                    Code(
                        SAFETY_DECISION_SYSTEM,
                        decision.kind,
                        "Overridden by the therapist" if override else "Precaution confirmed",
                    ),
                    (f"Overridden: {decision.reason}" if override else "Precaution confirmed")
                    + (f" ({decision.reason})" if decision.reason and not override else ""),
                ),
                "date": instant(decision.decided_at),
                "author": named(decision.decided_by, "Therapist"),
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
        "type": concept(
            naming, Code(DOCUMENT_TYPE_SYSTEM, "patient-handout", "Patient exercise handout")
        ),
        "subject": reference("Patient", patient_id),
        "date": instant(handout.issued_at),
        "author": [named(handout.issued_by, "Printed in a batch")],
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
                    "creation": instant(handout.issued_at),
                }
            }
        ],
        "context": {
            "related": [
                reference("CarePlan", plan_version_id(handout.plan_public_id, handout.plan_version))
            ]
        },
    }
