"""The code systems, codes and addresses the FHIR resources use. Plain Python.

LOINC codes are used only where LOINC's published tables were checked for them (the term
pages on loinc.org, 2026-11-30): the STarT Back panel and its parts, the ODI panel and
score, and the 0-10 pain rating. NDI, RMDQ, PSFS, QuickDASH and LEFS scores could not be
confirmed there, so they carry a code of this system's own (``SCORE_SYSTEM``), as does
everything the software defines itself (red-flag rules, tiers, conditions, the catalogue).
docs/fhir.md lists every code and where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ISSUE_TYPE = "http://hl7.org/fhir/issue-type"
# A reference to one element inside another resource (an answer inside a response):
# the core extension of FHIR's extension pack, usable on any element.
DERIVATION_REFERENCE = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
PATIENT_EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"

# The resource types of a patient's record: what an API token may be allowed to read.
RESOURCE_TYPES = (
    "Patient",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
    "RiskAssessment",
    "CarePlan",
    "DetectedIssue",
    "DocumentReference",
)


@dataclass(frozen=True)
class Naming:
    """Where this clinic's identifiers and this software's code systems live: under the
    API's public address (``CLINIC_FHIR_BASE_URL``), which the clinic controls."""

    base_url: str

    @property
    def chart_number_system(self) -> str:
        return f"{self.base_url}/NamingSystem/chart-number"

    def code_system(self, name: str) -> str:
        return f"{self.base_url}/CodeSystem/{name}"

    def extension(self, name: str) -> str:
        return f"{self.base_url}/StructureDefinition/{name}"

    def identifier_system(self, name: str) -> str:
        return f"{self.base_url}/NamingSystem/{name}"

    @property
    def questionnaire_url(self) -> str:
        return f"{self.base_url}/Questionnaire/intake"

    def full_url(self, resource_type: str, resource_id: str) -> str:
        return f"{self.base_url}/{resource_type}/{resource_id}"


# This software's own code systems (under Naming.code_system).
ANSWER_SYSTEM = "intake-answer"
SCORE_SYSTEM = "outcome-measure"
RULE_SYSTEM = "red-flag-rule"
TIER_SYSTEM = "screening-tier"
CONDITION_SYSTEM = "red-flag-condition"
DECISION_SYSTEM = "red-flag-decision"
CATALOGUE_SYSTEM = "treatment-catalogue"
BODY_AREA_SYSTEM = "body-area"
CONTRAINDICATION_SYSTEM = "contraindication"
SAFETY_DECISION_SYSTEM = "safety-decision"
DOCUMENT_TYPE_SYSTEM = "document-type"
ASSESSMENT_SYSTEM = "assessment"


@dataclass(frozen=True)
class Code:
    system: str  # LOINC, or the name of one of this software's code systems
    code: str
    display: str


def loinc(code: str, display: str) -> Code:
    return Code(LOINC, code, display)


def local(code: str, display: str) -> Code:
    return Code(SCORE_SYSTEM, code, display)


@dataclass(frozen=True)
class ScoreCodes:
    """How one instrument's score is coded: the panel (when LOINC has one), the score, and
    the unit; STarT Back adds its distress subscore and risk group."""

    score: Code
    # UCUM: "{score}" (an annotation: a number of points) unless the score is a percentage.
    unit: str = "{score}"
    unit_code: str = "{score}"
    panel: Code | None = None
    subscore: Code | None = None
    risk: Code | None = None


STARTBACK_RISK_ANSWERS = {
    # LOINC answer list LL3578-3 (STarT Back Screening risk level, 91352-5).
    "low": loinc("LA9194-7", "Low"),
    "medium": loinc("LA8982-6", "Medium"),
    "high": loinc("LA9193-9", "High"),
}
SCORE_CODES: dict[str, ScoreCodes] = {
    "startback": ScoreCodes(
        panel=loinc("91349-1", "STarT Back Screening Tool panel"),
        score=loinc("91351-7", "Total score [STarT Back]"),
        subscore=loinc("91350-9", "Distress subscore [STarT Back]"),
        risk=loinc("91352-5", "STarT Back Screening risk level"),
    ),
    "odi": ScoreCodes(
        panel=loinc("97908-8", "Oswestry Disability Index"),
        # LOINC's ODI score is the percentage, as this system's ODI score is.
        score=loinc("97909-6", "Oswestry disability index score ODI"),
        unit="%",
        unit_code="%",
    ),
    "nprs": ScoreCodes(
        loinc("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
    ),
    # Not confirmed in LOINC's tables: this system's own codes.
    "ndi": ScoreCodes(local("ndi-score", "Neck Disability Index score (0-50)")),
    "rmdq": ScoreCodes(local("rmdq-score", "Roland-Morris Disability Questionnaire score (0-24)")),
    "psfs": ScoreCodes(local("psfs-score", "Patient-Specific Functional Scale mean score (0-10)")),
    "quickdash": ScoreCodes(local("quickdash-score", "QuickDASH disability/symptom score (0-100)")),
    "lefs": ScoreCodes(local("lefs-score", "Lower Extremity Functional Scale score (0-80)")),
}
NDI_PERCENTAGE = local("ndi-percentage", "Neck Disability Index score as a percentage")
