"""Administrators create, deactivate and reset staff accounts."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.auth.roles import Role
from tests.helpers import PageClient, field_error, input_value, text_of

NEW_ACCOUNT = {
    "username": "jsmith",
    "display_name": "Jo Smith",
    "role": "therapist",
    "password": "a-long-enough-password",
    "confirm": "a-long-enough-password",
}


def test_an_admin_creates_an_account_that_can_sign_in(
    app: Flask, pages: PageClient, admin: User, db_session: Session, client: FlaskClient
) -> None:
    pages.login(admin.username)
    response = pages.post("/admin/users/new", NEW_ACCOUNT)
    assert response.headers["Location"] == "/admin/users/"
    created = db_session.scalar(select(User).where(User.username == "jsmith"))
    assert created is not None and created.role is Role.THERAPIST
    assert created.password_hash.startswith("scrypt:32768:8:1$")  # the full cost
    pages.post("/logout")
    assert pages.login("jsmith", "a-long-enough-password").status_code == 302


def test_a_short_password_is_refused_and_the_other_fields_are_kept(
    pages: PageClient, admin: User
) -> None:
    pages.login(admin.username)
    response = pages.post(
        "/admin/users/new", {**NEW_ACCOUNT, "password": "short", "confirm": "short"}
    )
    assert response.status_code == 200
    assert field_error(response, "password") == "Password must be 12 to 256 characters long"
    assert input_value(response, "username") == "jsmith"
    assert input_value(response, "display_name") == "Jo Smith"


def test_a_taken_username_is_reported_next_to_the_field(
    pages: PageClient, admin: User, therapist: User
) -> None:
    pages.login(admin.username)
    response = pages.post("/admin/users/new", {**NEW_ACCOUNT, "username": therapist.username})
    assert field_error(response, "username") == "That username is already taken"


def test_mismatched_passwords_are_reported(pages: PageClient, admin: User) -> None:
    pages.login(admin.username)
    response = pages.post("/admin/users/new", {**NEW_ACCOUNT, "confirm": "something-else-entirely"})
    assert field_error(response, "confirm") == "The two passwords do not match"


def test_a_deactivated_account_is_signed_out_at_its_next_request(
    app: Flask, pages: PageClient, admin: User, therapist: User
) -> None:
    therapist_pages = PageClient(app.test_client())
    therapist_pages.login(therapist.username)
    assert therapist_pages.get("/patients/").status_code == 200

    pages.login(admin.username)
    pages.post(f"/admin/users/{therapist.id}/deactivate")

    response = therapist_pages.get("/patients/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_password_reset_signs_the_account_out_and_clears_throttling(
    app: Flask, pages: PageClient, admin: User, therapist: User, db_session: Session
) -> None:
    therapist_pages = PageClient(app.test_client())
    therapist_pages.login(therapist.username)
    for _ in range(5):
        PageClient(app.test_client()).login(therapist.username, "wrong-password-guess")

    pages.login(admin.username)
    pages.post(
        f"/admin/users/{therapist.id}/password",
        {"password": "brand-new-password-1", "confirm": "brand-new-password-1"},
    )

    assert therapist_pages.get("/").status_code == 302
    assert (
        PageClient(app.test_client()).login(therapist.username, "brand-new-password-1").status_code
        == 302
    )
    details = db_session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.action == AuditAction.UPDATE, AuditEvent.entity_id == str(therapist.id)
        )
    ).all()
    assert details == ["password reset"]


def test_an_admin_cannot_deactivate_their_own_account(pages: PageClient, admin: User) -> None:
    pages.login(admin.username)
    response = pages.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 409
    assert "cannot deactivate your own account" in text_of(response)


def test_the_accounts_page_lists_every_account_with_its_role(
    pages: PageClient, admin: User, staff: dict[Role, User]
) -> None:
    pages.login(admin.username)
    page = text_of(pages.get("/admin/users/"))
    for user in staff.values():
        assert user.username in page
    assert "Front desk" in page and "Therapist" in page and "Administrator" in page
