"""Every demo patient's record, read through the API, is valid FHIR R4: each resource and
the bundle parse with the R4 models of fhir.resources (R4B package), every reference in
the bundle resolves, the codes are the ones documented, the handout is the archived PDF,
and each intake's QuestionnaireResponse screens again to its stored result."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.demo import DEMO_PASSWORD, load_demo_data
from clinic.fhir.questionnaire import answers_from_response
from clinic.fhir.vocabulary import RESOURCE_TYPES
from clinic.handouts.models import HandoutPdf
from clinic.intake.models import Intake, ScreeningRecord
from clinic.intake.steps import DERIVED
from clinic.patients.models import Patient
from clinic.plans.models import Plan
from clinic.screening import ScreeningPolicy, screen
from clinic.screening.questions import QUESTIONS_BY_ID
from tests.fhir.conftest import BASE_URL, Api
from tests.helpers import PageClient

LOINC = "http://loinc.org"


@pytest.fixture
def bundles(
    db_session: Session, catalogue: None, api: Api, pages: PageClient
) -> dict[str, dict[str, Any]]:
    """Each demo patient's $everything, by family name, after James Whitfield was given
    the handout of his plan."""
    load_demo_data(db_session)
    db_session.flush()
    whitfield = db_session.scalars(select(Patient).where(Patient.family_name == "Whitfield")).one()
    plan_id = db_session.scalars(
        select(Plan.public_id).where(Plan.patient_id == whitfield.id)
    ).one()
    pages.login("therapist", DEMO_PASSWORD)
    assert pages.get(f"/plans/{plan_id}/handout.pdf").status_code == 200
    found = {}
    for patient in db_session.scalars(select(Patient)):
        response = api.get(f"Patient/{patient.public_id}/$everything")
        assert response.status_code == 200, patient.family_name
        found[patient.family_name] = response.get_json()
    return found


def _resources(bundle: dict[str, Any], resource_type: str | None = None) -> list[dict[str, Any]]:
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if resource_type is None or entry["resource"]["resourceType"] == resource_type
    ]


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def _codings(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            yield value
        for inner in value.values():
            yield from _codings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _codings(inner)


def test_every_resource_of_every_demo_patient_is_valid_r4(
    bundles: dict[str, dict[str, Any]],
) -> None:
    checked = set()
    for name, bundle in bundles.items():
        Bundle.model_validate(bundle)
        for resource in _resources(bundle):
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            checked.add(resource["resourceType"])
        assert _resources(bundle)[0]["resourceType"] == "Patient", name
    assert checked == set(RESOURCE_TYPES)


def test_every_reference_inside_a_bundle_resolves_to_an_entry(
    bundles: dict[str, dict[str, Any]],
) -> None:
    for name, bundle in bundles.items():
        full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
        assert len(set(full_urls)) == len(full_urls), name
        present = {f"{r['resourceType']}/{r['id']}" for r in _resources(bundle)}
        assert {url.removeprefix(f"{BASE_URL}/") for url in full_urls} == present
        for resource in _resources(bundle):
            for reference in _references(resource):
                assert reference in present, (name, resource["resourceType"], reference)
            for canonical in (resource.get("questionnaire"),):
                if canonical:
                    url, _, version = canonical.partition("|")
                    assert any(
                        q["url"] == url and q["version"] == version
                        for q in _resources(bundle, "Questionnaire")
                    ), canonical


def test_scores_carry_the_loinc_codes_confirmed_and_local_codes_otherwise(
    bundles: dict[str, dict[str, Any]],
) -> None:
    observations = [o for b in bundles.values() for o in _resources(b, "Observation")]
    codes = {
        (coding["system"], coding["code"])
        for observation in observations
        for coding in observation["code"]["coding"]
    }
    # The demo intakes hold STarT Back, ODI and the 0-10 pain rating.
    assert {
        (LOINC, "91349-1"),
        (LOINC, "91351-7"),
        (LOINC, "91350-9"),
        (LOINC, "91352-5"),
        (LOINC, "97908-8"),
        (LOINC, "97909-6"),
        (LOINC, "72514-3"),
    } <= codes
    assert {code for system, code in codes if system == LOINC} <= {
        "91349-1",
        "91351-7",
        "91350-9",
        "91352-5",
        "97908-8",
        "97909-6",
        "72514-3",
    }
    local = {code for system, code in codes if system != LOINC}
    assert all(
        system == f"{BASE_URL}/CodeSystem/outcome-measure" for system, c in codes if c in local
    )
    panel = next(o for o in observations if o["code"]["coding"][0]["code"] == "91349-1")
    members = {m["reference"].split("/")[1] for m in panel["hasMember"]}
    parts = {o["id"]: o for o in observations if o["id"] in members}
    by_code = {p["code"]["coding"][0]["code"]: p for p in parts.values()}
    assert set(by_code) == {"91351-7", "91350-9", "91352-5"}
    assert by_code["91351-7"]["valueQuantity"]["code"] == "{score}"
    risk = by_code["91352-5"]["valueCodeableConcept"]["coding"][0]
    assert (risk["system"], risk["code"]) in {
        (LOINC, "LA9194-7"),
        (LOINC, "LA8982-6"),
        (LOINC, "LA9193-9"),
    }
    odi = next(o for o in observations if o["code"]["coding"][0]["code"] == "97909-6")
    assert odi["valueQuantity"]["unit"] == "%"


def _answer_at(response: dict[str, Any], path: str) -> Any:
    """The answer a derivation-reference path names, found by walking the response."""
    group, question = re.fullmatch(
        r"QuestionnaireResponse\.item\.where\(linkId='(\w+)'\)\.item\.where\(linkId='(\w+)'\)",
        path,
    ).groups()  # type: ignore[union-attr]
    for item in response["item"]:
        if item["linkId"] == group:
            for inner in item["item"]:
                if inner["linkId"] == question:
                    return inner["answer"]
    raise AssertionError(f"nothing at {path}")


def test_the_emergency_names_its_rules_guidelines_and_the_answers_they_rest_on(
    bundles: dict[str, dict[str, Any]],
) -> None:
    ellison = bundles["Ellison"]
    [assessment] = _resources(ellison, "RiskAssessment")
    [response] = _resources(ellison, "QuestionnaireResponse")
    tier = assessment["extension"][0]["valueCoding"]
    assert tier["code"] == "EMERGENCY" and tier["display"] == "Emergency"
    cauda = [
        p
        for p in assessment["prediction"]
        if p["outcome"]["coding"][0]["code"] == "cauda_equina_syndrome"
    ]
    assert cauda and all(p["qualitativeRisk"]["coding"][0]["code"] == "EMERGENCY" for p in cauda)
    evidence = [
        {e["url"]: e for e in ext["extension"]}
        for p in cauda
        for ext in p["extension"]
        if ext["url"] == "http://hl7.org/fhir/StructureDefinition/derivation-reference"
    ]
    assert evidence
    for part in evidence:
        assert part["reference"]["valueReference"]["reference"] in (
            f"QuestionnaireResponse/{response['id']}",
            f"Patient/{_resources(ellison, 'Patient')[0]['id']}",
        )
        if part["path"]["valueString"].startswith("QuestionnaireResponse"):
            assert _answer_at(response, part["path"]["valueString"])
    assert any("saddle_numbness" in e["path"]["valueString"] for e in evidence)
    assert all("Source:" in p["rationale"] for p in assessment["prediction"])
    assert "clinical.md" not in str(assessment)


def test_a_decided_result_carries_the_decision(bundles: dict[str, dict[str, Any]]) -> None:
    decided = [
        a for b in bundles.values() for a in _resources(b, "RiskAssessment") if "mitigation" in a
    ]
    assert decided
    for assessment in decided:
        decision = next(
            e for e in assessment["extension"] if e["url"].endswith("/red-flag-decision")
        )
        assert decision["valueCoding"]["code"] in {"referred", "cleared", "rescreened", "reviewed"}
        assert any("time" in note for note in assessment["note"])


def test_a_plan_is_a_care_plan_with_dosage_and_its_confirmed_precautions(
    bundles: dict[str, dict[str, Any]],
) -> None:
    oconnor = bundles["O'Connor"]
    [plan] = _resources(oconnor, "CarePlan")
    issues = _resources(oconnor, "DetectedIssue")
    assert plan["status"] == "active" and plan["intent"] == "plan"
    assert issues and {f"DetectedIssue/{i['id']}" for i in issues} <= {
        r["reference"] for r in plan["supportingInfo"]
    }
    for issue in issues:
        assert issue["implicated"] == [{"reference": f"CarePlan/{plan['id']}"}]
        assert issue["mitigation"][0]["action"]["coding"][0]["code"] == "confirm"
    details = [activity["detail"] for activity in plan["activity"]]
    assert all(d["code"]["coding"][0]["system"].endswith("/treatment-catalogue") for d in details)
    timed = [d for d in details if "scheduledTiming" in d]
    assert timed and all(d["scheduledTiming"]["code"]["text"] for d in timed)
    assert any("repeat" in d["scheduledTiming"] for d in timed)
    assert {d["location"]["display"] for d in details} <= {"At home", "At the clinic"}


def test_the_draft_plan_is_a_draft_care_plan(bundles: dict[str, dict[str, Any]]) -> None:
    [plan] = _resources(bundles["Laurent"], "CarePlan")
    assert plan["status"] == "draft"
    assert all(a["detail"]["status"] == "not-started" for a in plan["activity"])


def test_a_handout_given_is_a_document_reference_with_the_archived_pdf(
    bundles: dict[str, dict[str, Any]], db_session: Session
) -> None:
    [document] = _resources(bundles["Whitfield"], "DocumentReference")
    attachment = document["content"][0]["attachment"]
    pdf = base64.b64decode(attachment["data"])
    archived = db_session.scalars(select(HandoutPdf)).one()
    assert pdf == archived.pdf and pdf.startswith(b"%PDF")
    assert document["masterIdentifier"]["value"] == hashlib.sha256(pdf).hexdigest()
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()  # noqa: S324
    assert attachment["size"] == len(pdf) and attachment["contentType"] == "application/pdf"
    [plan] = _resources(bundles["Whitfield"], "CarePlan")
    assert document["context"]["related"] == [{"reference": f"CarePlan/{plan['id']}"}]


def test_each_questionnaire_response_screens_again_to_its_stored_result(
    bundles: dict[str, dict[str, Any]], db_session: Session
) -> None:
    checked = 0
    for bundle in bundles.values():
        for response in _resources(bundle, "QuestionnaireResponse"):
            intake = db_session.scalars(
                select(Intake).where(Intake.public_id == response["id"])
            ).one()
            stored = db_session.scalars(
                select(ScreeningRecord)
                .where(ScreeningRecord.intake_id == intake.id, ScreeningRecord.interim.is_(False))
                .order_by(ScreeningRecord.id.desc())
            ).first()
            assert stored is not None
            answers = answers_from_response(response)
            assert answers == {k: v for k, v in intake.answers.items() if v not in (None, "", [])}
            # Age and pain duration come from the date of birth and onset date, as screened.
            derived = {k: v for k, v in stored.answers.items() if k in DERIVED}
            screened = {k: v for k, v in answers.items() if k in QUESTIONS_BY_ID} | derived
            assert screen(screened, ScreeningPolicy()).to_json() == stored.result
            checked += 1
    assert checked >= 8
