"""Signing in and out: messages, redirects, rotation, and the audit of each (throttling:
test_throttling.py; sessions ending: test_sessions.py)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.auth.services import UNKNOWN_USERNAME, WRONG_CREDENTIALS
from tests.helpers import PageClient, text_of


def _audit_actions(db_session: Session, username: str) -> list[AuditAction]:
    return list(
        db_session.scalars(
            select(AuditEvent.action).where(AuditEvent.username == username).order_by(AuditEvent.id)
        )
    )


def test_signing_in_with_the_right_password_opens_the_start_page(
    pages: PageClient, front_desk: User, db_session: Session
) -> None:
    response = pages.login(front_desk.username)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert front_desk.display_name in text_of(pages.get("/"))
    assert _audit_actions(db_session, front_desk.username) == [AuditAction.LOGIN]


def test_signing_in_returns_to_the_page_first_asked_for(pages: PageClient, therapist: User) -> None:
    first = pages.get("/patients/")
    assert first.headers["Location"] == "/login?next=/patients/"
    response = pages.post(
        "/login?next=/patients/",
        {"username": therapist.username, "password": "test-password-long-enough"},
    )
    assert response.headers["Location"] == "/patients/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_signing_in_never_redirects_off_site(
    pages: PageClient, therapist: User, target: str
) -> None:
    response = pages.post(
        f"/login?next={target}",
        {"username": therapist.username, "password": "test-password-long-enough"},
    )
    assert response.headers["Location"] == "/"


def test_a_wrong_password_and_an_unknown_username_get_the_same_message(
    pages: PageClient, front_desk: User, db_session: Session
) -> None:
    wrong_password = pages.login(front_desk.username, "not-the-password-at-all")
    unknown_user = pages.login("nobody-by-this-name", "not-the-password-at-all")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert WRONG_CREDENTIALS in text_of(wrong_password)
    assert WRONG_CREDENTIALS in text_of(unknown_user)
    assert _audit_actions(db_session, front_desk.username) == [AuditAction.FAILED_LOGIN]
    # What was typed as an unknown name is not kept (it may be a password in the wrong box).
    assert _audit_actions(db_session, "nobody-by-this-name") == []
    assert _audit_actions(db_session, UNKNOWN_USERNAME) == [AuditAction.FAILED_LOGIN]


def test_a_deactivated_account_cannot_sign_in(
    pages: PageClient, front_desk: User, db_session: Session
) -> None:
    front_desk.active = False
    db_session.flush()
    response = pages.login(front_desk.username)
    assert response.status_code == 401
    assert WRONG_CREDENTIALS in text_of(response)


def test_empty_fields_are_reported_next_to_each_field(pages: PageClient) -> None:
    response = pages.post("/login", {"username": "", "password": ""})
    page = text_of(response)
    assert "Enter your username" in page
    assert "Enter your password" in page


def test_signing_in_starts_a_fresh_session(
    client: FlaskClient, pages: PageClient, therapist: User
) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    pages.login(therapist.username)
    with client.session_transaction() as session:
        assert "planted" not in session
        first_id = session["sid"]
    pages.post("/logout")
    pages.login(therapist.username)
    with client.session_transaction() as session:
        assert session["sid"] != first_id


def test_the_session_cookie_is_http_only_and_same_site(pages: PageClient, therapist: User) -> None:
    response = pages.login(therapist.username)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_signing_out_ends_the_session_and_is_audited(
    pages: PageClient, therapist: User, db_session: Session
) -> None:
    pages.login(therapist.username)
    response = pages.post("/logout")
    assert response.headers["Location"] == "/login"
    assert pages.get("/").status_code == 302
    assert _audit_actions(db_session, therapist.username) == [AuditAction.LOGIN, AuditAction.LOGOUT]


def test_signing_out_needs_a_csrf_token(
    client: FlaskClient, pages: PageClient, therapist: User
) -> None:
    pages.login(therapist.username)
    response = client.post("/logout")
    assert response.status_code == 400
    assert "This form has expired" in text_of(response)
    assert pages.get("/").status_code == 200
