"""The FHIR API: tokens (missing, wrong, revoked, out of scope), each endpoint, errors as
OperationOutcome, and an audit entry naming the token for every read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.fhir.models import ApiToken
from clinic.fhir.tokens import revoke_token
from clinic.patients.models import Patient
from tests.clock import MovableClock
from tests.factories import make_patient, make_submitted_intake
from tests.fhir.conftest import BASE_URL, Api, make_token
from tests.helpers import PageClient


def _outcome(response: TestResponse, status: int) -> str:
    assert response.status_code == status
    assert response.mimetype == "application/fhir+json"
    body = response.get_json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["severity"] == "error"
    return str(body["issue"][0]["diagnostics"])


@pytest.fixture
def patient(db_session: Session, front_desk: User) -> Patient:
    return make_patient(db_session, front_desk, given_name="Ada", family_name="Fhirson")


def _entries(session: Session, token_name: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.username == f"API token: {token_name}")
            .order_by(AuditEvent.id)
        )
    )


# Tokens ------------------------------------------------------------------------------


def test_a_request_without_a_token_is_refused_with_401(
    client: FlaskClient, patient: Patient
) -> None:
    response = client.get(f"/fhir/Patient/{patient.public_id}")
    assert "Bearer" in _outcome(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer clinic_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer", "clinic_x", ""],
    ids=["unknown token", "basic auth", "no token after Bearer", "no scheme", "empty"],
)
def test_a_wrong_token_is_refused_with_401(
    client: FlaskClient, patient: Patient, header: str
) -> None:
    response = client.get(f"/fhir/Patient/{patient.public_id}", headers={"Authorization": header})
    _outcome(response, 401)
    assert "Ada" not in response.get_data(as_text=True)


def test_a_revoked_token_is_refused_from_its_next_request(
    api: Api, db_session: Session, admin: User, patient: Patient
) -> None:
    assert api.get(f"Patient/{patient.public_id}").status_code == 200
    token = db_session.scalars(select(ApiToken)).one()
    revoke_token(
        db_session, Actor(admin.id, admin.username, admin.role), token.id, token.created_at
    )
    assert "revoked" in _outcome(api.get(f"Patient/{patient.public_id}"), 401)


def test_a_token_out_of_its_scope_is_refused_with_403(
    client: FlaskClient, db_session: Session, admin: User, patient: Patient
) -> None:
    reporting = Api(client, make_token(db_session, admin, "Outcomes report", ["Observation"]))
    assert "Patient" in _outcome(reporting.get(f"Patient/{patient.public_id}"), 403)
    assert _outcome(reporting.get("Patient?identifier=1"), 403)
    assert _outcome(reporting.get(f"Patient/{patient.public_id}/$everything"), 403)
    # What it may read about the API itself is open to it.
    assert reporting.get("metadata").status_code == 200


def test_a_staff_members_session_cookie_does_not_reach_the_api(
    pages: PageClient, therapist: User, patient: Patient
) -> None:
    pages.login(therapist.username)
    assert pages.get(f"/patients/{patient.public_id}").status_code == 200
    response = pages.get(f"/fhir/Patient/{patient.public_id}")
    _outcome(response, 401)
    assert "Set-Cookie" not in response.headers


def test_an_api_answer_sets_no_cookie(api: Api, patient: Patient) -> None:
    response = api.get(f"Patient/{patient.public_id}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_only_a_hash_of_the_token_is_stored(api: Api, db_session: Session) -> None:
    stored = db_session.scalars(select(ApiToken)).one()
    assert api.token not in (stored.token_hash, stored.prefix)
    assert api.token.startswith(stored.prefix)
    assert len(stored.token_hash) == 64


def test_a_token_records_when_it_was_last_used(
    api: Api, db_session: Session, clock: MovableClock, patient: Patient
) -> None:
    clock.advance(timedelta(minutes=5))
    api.get("metadata")
    token = db_session.scalars(select(ApiToken)).one()
    db_session.refresh(token)
    assert token.last_used_at is not None
    assert abs(token.last_used_at - clock()) < timedelta(seconds=5)


# Reads -------------------------------------------------------------------------------


def test_metadata_is_a_capability_statement_of_fhir_4_0_1(api: Api) -> None:
    response = api.get("metadata")
    statement = response.get_json()
    assert response.mimetype == "application/fhir+json"
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"] == "4.0.1"
    patient_support = statement["rest"][0]["resource"][0]
    assert patient_support["type"] == "Patient"
    assert {p["name"] for p in patient_support["searchParam"]} == {"identifier", "_lastUpdated"}
    assert patient_support["operation"][0]["name"] == "everything"


def test_a_patient_is_read_by_id_and_the_read_is_audited_with_the_token_name(
    api: Api, db_session: Session, patient: Patient
) -> None:
    response = api.get(f"Patient/{patient.public_id}")
    resource = response.get_json()
    assert resource["resourceType"] == "Patient" and resource["id"] == patient.public_id
    assert resource["identifier"][0] == {
        "use": "usual",
        "type": resource["identifier"][0]["type"],
        "system": f"{BASE_URL}/NamingSystem/chart-number",
        "value": patient.chart_number,
    }
    assert resource["name"][0]["family"] == "Fhirson"
    [entry] = _entries(db_session, "GP practice link")
    assert entry.action is AuditAction.VIEW
    assert entry.patient_id == patient.id and entry.user_id is None
    assert entry.detail == "FHIR Patient read"


def test_an_unknown_patient_id_is_a_404_outcome(api: Api) -> None:
    assert "no Patient" in _outcome(api.get("Patient/0123456789abcdef"), 404)


@pytest.mark.parametrize(
    "path",
    [
        "Patient/" + "x" * 65,
        "Patient/%00",
        "Patient/..%2F..%2Fetc",
        "Observation/1",
        "nothing-here",
        "Patient/abc/$export",
    ],
)
def test_bad_ids_and_unknown_addresses_are_outcomes_never_500(api: Api, path: str) -> None:
    response = api.get(path)
    assert response.status_code in (400, 404)
    _outcome(response, response.status_code)


def test_writing_is_not_supported(client: FlaskClient, api: Api, patient: Patient) -> None:
    for method in (client.post, client.put, client.delete, client.patch):
        response = method(
            f"/fhir/Patient/{patient.public_id}",
            headers={"Authorization": f"Bearer {api.token}"},
            json={"resourceType": "Patient"},
        )
        assert response.status_code in (405, 415)
        _outcome(response, response.status_code)


def test_search_by_chart_number_finds_the_one_patient(
    api: Api, db_session: Session, patient: Patient, front_desk: User
) -> None:
    make_patient(db_session, front_desk, given_name="Other", family_name="Person")
    system = f"{BASE_URL}/NamingSystem/chart-number"
    for query in (patient.chart_number, f"{system}|{patient.chart_number}"):
        found = api.get(f"Patient?identifier={query}").get_json()
        assert found["resourceType"] == "Bundle" and found["type"] == "searchset"
        assert found["total"] == 1
        assert [e["resource"]["id"] for e in found["entry"]] == [patient.public_id]
    other_system = api.get(f"Patient?identifier=urn:other|{patient.chart_number}").get_json()
    assert other_system["total"] == 0 and other_system["entry"] == []
    listed = [e for e in _entries(db_session, "GP practice link") if e.patient_ids]
    assert len(listed) == 2 and all(e.patient_ids == f",{patient.id}," for e in listed)


def test_search_by_last_update_pages_oldest_change_first(
    api: Api, db_session: Session, front_desk: User, clock: MovableClock
) -> None:
    made = [make_patient(db_session, front_desk, given_name=f"P{n}") for n in range(5)]
    for days, patient in enumerate(made):
        patient.updated_at = clock() - timedelta(days=10 - days)
    db_session.flush()
    since = (clock() - timedelta(days=8)).date().isoformat()
    first = api.get(f"Patient?_lastUpdated=ge{since}&_count=2").get_json()
    assert "total" not in first  # not counted while more pages follow
    assert [e["resource"]["id"] for e in first["entry"]] == [p.public_id for p in made[2:4]]
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    assert following.startswith(f"{BASE_URL}/Patient?")
    second = api.get(following.removeprefix(f"{BASE_URL}/")).get_json()
    assert [e["resource"]["id"] for e in second["entry"]] == [made[4].public_id]
    assert second["total"] == 3
    assert not any(link["relation"] == "next" for link in second["link"])
    before = api.get(f"Patient?_lastUpdated=lt{since}").get_json()
    assert {e["resource"]["id"] for e in before["entry"]} >= {p.public_id for p in made[:2]}
    assert not {e["resource"]["id"] for e in before["entry"]} & {p.public_id for p in made[2:]}


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("name=Ada", "not a search parameter"),
        ("_lastUpdated=ge2026-13-45", "not a date"),
        ("_lastUpdated=yesterday", "not a date"),
        ("_lastUpdated=ne2026-11-30", "date and time"),
        ("_count=0", "_count"),
        ("_count=100000", "_count"),
        ("_count=ten", "_count"),
        ("_offset=-1", "_offset"),
        ("identifier=", "identifier needs a value"),
        ("_format=xml", "JSON"),
    ],
)
def test_a_search_parameter_it_cannot_use_is_a_400_outcome(api: Api, query: str, says: str) -> None:
    assert says in _outcome(api.get(f"Patient?{query}"), 400)


def test_everything_is_a_collection_bundle_audited_once(
    api: Api, db_session: Session, patient: Patient, front_desk: User
) -> None:
    make_submitted_intake(db_session, front_desk, patient, measures=None)
    bundle = api.get(f"Patient/{patient.public_id}/$everything").get_json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    types = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert types[0] == "Patient"
    assert {"Questionnaire", "QuestionnaireResponse", "RiskAssessment"} <= set(types)
    [entry] = _entries(db_session, "GP practice link")
    assert entry.patient_id == patient.id and "FHIR record of" in (entry.detail or "")


def test_everything_holds_only_the_types_the_token_may_read(
    client: FlaskClient, db_session: Session, admin: User, patient: Patient, front_desk: User
) -> None:
    make_submitted_intake(db_session, front_desk, patient, measures=None)
    narrow = Api(
        client, make_token(db_session, admin, "Screening audit", ["Patient", "RiskAssessment"])
    )
    bundle = narrow.get(f"Patient/{patient.public_id}/$everything").get_json()
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {"Patient", "RiskAssessment"}


def test_the_openapi_description_lists_every_endpoint(api: Api) -> None:
    response = api.get("openapi.json")
    description = response.get_json()
    assert response.mimetype == "application/json"
    assert description["openapi"].startswith("3.")
    assert set(description["paths"]) == {
        "/metadata",
        "/Patient",
        "/Patient/{id}",
        "/Patient/{id}/$everything",
        "/openapi.json",
    }
    assert description["servers"] == [{"url": BASE_URL}]
    assert description["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
