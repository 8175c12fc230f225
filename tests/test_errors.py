"""Error pages: friendly, free of patient data and stack traces; failures leave no trace."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.access import allow
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.patients import services as patient_services
from clinic.patients.models import Patient
from tests.helpers import PageClient, text_of
from tests.patients.test_pages import VALID


def test_an_unknown_address_gets_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_a_refused_page_gets_a_friendly_403(pages: PageClient, front_desk: User) -> None:
    pages.login(front_desk.username)
    response = pages.get("/admin/audit/")
    assert response.status_code == 403
    assert "You do not have access to this page" in text_of(response)


def test_a_form_with_a_missing_or_stale_csrf_token_gets_the_expired_page(
    client: FlaskClient, pages: PageClient, front_desk: User, db_session: Session
) -> None:
    pages.login(front_desk.username)
    response = client.post("/patients/new", data={**VALID, "csrf_token": "stale-token"})
    assert response.status_code == 400
    assert "This form has expired" in text_of(response)
    assert db_session.scalar(select(Patient).where(Patient.family_name == "Quill")) is None


def test_a_failure_part_way_through_a_write_leaves_the_database_as_it_was(
    pages: PageClient,
    front_desk: User,
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The patient row is flushed, then writing its audit entry fails: nothing is kept."""

    def failing_audit(*_args: object, **_kwargs: object) -> None:
        # A message carrying patient data, as a careless exception might.
        raise RuntimeError(" ".join(VALID[name] for name in ("given_name", "family_name")))

    pages.login(front_desk.username)
    monkeypatch.setattr(patient_services, "record", failing_audit)
    with caplog.at_level(logging.DEBUG):
        response = pages.post("/patients/new", VALID)

    assert response.status_code == 500
    page = text_of(response)
    assert "Sorry, something went wrong" in page and "Nothing was saved" in page
    assert "Quill" not in page and "Traceback" not in page
    assert db_session.scalar(select(Patient).where(Patient.family_name == "Quill")) is None
    assert any("unhandled RuntimeError" in record.getMessage() for record in caplog.records)
    assert not any("Quill" in record.getMessage() for record in caplog.records)


def test_application_logs_never_carry_patient_data(
    app: Flask, pages: PageClient, front_desk: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        pages.login(front_desk.username)
        registered = pages.post("/patients/new", VALID)
        pages.get(registered.headers["Location"])
        pages.post("/patients/", {"text": "quill"})
        pages.post("/patients/new", {**VALID, "email": "bad@"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in ("Harriet", "Quill", "07700 900461", "harriet.quill@example.com", "1972-04-18"):
        assert value not in logged


def test_every_response_carries_a_request_id_and_no_store(client: FlaskClient) -> None:
    response = client.get("/login")
    assert len(response.headers["X-Request-ID"]) >= 8
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_domain_error_maps_to_its_status_page(
    app: Flask, pages: PageClient, front_desk: User
) -> None:
    from clinic.errors import ConflictError

    @allow(*Role)
    def conflicted() -> str:
        raise ConflictError("Two people changed this at once.")

    app.add_url_rule("/conflicted", "conflicted", conflicted)
    pages.login(front_desk.username)
    response = pages.get("/conflicted")
    assert response.status_code == 409
    assert "Two people changed this at once." in text_of(response)
