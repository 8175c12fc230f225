"""The administrators' API token page: a token is shown once, on the page that answers
the form, and only its hash is kept; revoking refuses its next request; bad input is
explained next to the field with what was typed kept."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.fhir.models import ApiToken
from tests.helpers import PageClient, field_error, html, input_value, text_of


def _create(pages: PageClient, name: str, scopes: list[str]) -> TestResponse:
    return pages.post("/admin/api-tokens/", {"name": name, "scopes": scopes})


def test_an_administrator_creates_a_token_and_sees_it_once(
    pages: PageClient, admin: User, db_session: Session
) -> None:
    pages.login(admin.username)
    response = _create(pages, "Riverside GP practice", ["Patient", "Observation"])
    assert response.status_code == 200
    secret = input_value(response, "created-token")
    assert secret is not None and secret.startswith("clinic_")
    # Never in a cookie (the session cookie is signed, not encrypted) or a redirect.
    assert secret not in response.headers.get("Set-Cookie", "")
    stored = db_session.scalars(select(ApiToken)).one()
    assert stored.name == "Riverside GP practice" and stored.scopes == ["Patient", "Observation"]
    assert secret not in (stored.token_hash, stored.prefix)
    again = pages.get("/admin/api-tokens/")
    assert secret not in again.get_data(as_text=True)
    assert "Riverside GP practice" in text_of(again) and stored.prefix in text_of(again)
    created = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "api_token", AuditEvent.action == AuditAction.CREATE
        )
    ).one()
    assert created.username == admin.username and secret not in (created.detail or "")


def test_a_revoked_token_is_refused_at_once(
    pages: PageClient, admin: User, db_session: Session
) -> None:
    pages.login(admin.username)
    secret = input_value(_create(pages, "Reporting", ["Patient"]), "created-token")
    headers = {"Authorization": f"Bearer {secret}"}
    assert pages.client.get("/fhir/metadata", headers=headers).status_code == 200
    token = db_session.scalars(select(ApiToken)).one()
    response = pages.post(f"/admin/api-tokens/{token.id}/revoke", follow_redirects=True)
    assert "API token Reporting revoked" in text_of(response)
    assert "Revoked" in text_of(response)
    assert pages.client.get("/fhir/metadata", headers=headers).status_code == 401
    assert db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "api_token", AuditEvent.action == AuditAction.UPDATE
        )
    ).one()


def test_a_token_needs_a_name_and_something_to_read(pages: PageClient, admin: User) -> None:
    pages.login(admin.username)
    response = _create(pages, "", [])
    assert field_error(response, "name") == "Enter a name for the token"
    assert field_error(response, "scopes") == (
        "Choose at least one kind of record the token may read"
    )
    assert input_value(response, "created-token") is None


def test_a_name_in_use_is_refused_and_the_choices_are_kept(pages: PageClient, admin: User) -> None:
    pages.login(admin.username)
    _create(pages, "Hospital record", ["Patient"])
    response = _create(pages, "Hospital record", ["Patient", "CarePlan"])
    assert field_error(response, "name") == "A token has that name already. Choose another name"
    assert input_value(response, "name") == "Hospital record"
    checked = {box["value"] for box in html(response).select("input[name=scopes][checked]")}
    assert checked == {"Patient", "CarePlan"}
