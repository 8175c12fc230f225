"""Sessions are held on the server: sign-out, a password reset, deactivation, the idle
timeout and the absolute lifetime each end the session for good, and a copied cookie with
it. Time is moved with the app's clock, not slept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.auth.models import SessionEnd, StaffSession, User
from tests.clock import MovableClock
from tests.helpers import PageClient, text_of

COOKIE = "clinic_session"
PATIENT_LIST = "/patients/"


def _copy_of(pages: PageClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of this one's session cookie (a stolen cookie)."""
    cookie = pages.client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def _signed_in(response: Any) -> bool:
    return bool(response.status_code == 200)


def _ended(db_session: Session, user: User) -> list[SessionEnd | None]:
    rows = db_session.scalars(
        select(StaffSession).where(StaffSession.user_id == user.id).order_by(StaffSession.id)
    )
    return [row.end_reason for row in rows]


def test_the_cookie_holds_a_random_token_and_the_server_only_its_hash(
    app: Flask, pages: PageClient, therapist: User, db_session: Session
) -> None:
    pages.login(therapist.username)
    with pages.client.session_transaction() as session:
        token = session["sid"]
    held = db_session.scalars(select(StaffSession)).one()
    assert len(token) >= 40 and token not in held.token_hash
    assert held.user_id == therapist.id and held.ended_at is None


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(
    app: Flask, pages: PageClient, therapist: User, db_session: Session
) -> None:
    pages.login(therapist.username)
    thief = _copy_of(pages, app)
    assert _signed_in(thief.get(PATIENT_LIST))
    pages.post("/logout")
    refused = thief.get(PATIENT_LIST)
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert _ended(db_session, therapist) == [SessionEnd.SIGNED_OUT]


def test_a_password_reset_ends_every_session_of_the_account(
    app: Flask, pages: PageClient, therapist: User, admin: User, db_session: Session
) -> None:
    pages.login(therapist.username)
    other_browser = PageClient(app.test_client())
    other_browser.login(therapist.username)
    administrator = PageClient(app.test_client())
    administrator.login(admin.username)
    new_password = "a-brand-new-password-2026"
    administrator.post(
        f"/admin/users/{therapist.id}/password",
        {"password": new_password, "confirm": new_password},
    )
    assert pages.get(PATIENT_LIST).status_code == 302
    assert other_browser.get(PATIENT_LIST).status_code == 302
    assert _ended(db_session, therapist) == [SessionEnd.PASSWORD_RESET] * 2
    assert _signed_in(administrator.get("/admin/users/"))


def test_deactivating_an_account_ends_its_sessions(
    app: Flask, pages: PageClient, therapist: User, admin: User, db_session: Session
) -> None:
    pages.login(therapist.username)
    thief = _copy_of(pages, app)
    administrator = PageClient(app.test_client())
    administrator.login(admin.username)
    administrator.post(f"/admin/users/{therapist.id}/deactivate")
    assert pages.get(PATIENT_LIST).status_code == 302
    assert thief.get(PATIENT_LIST).status_code == 302
    assert _ended(db_session, therapist) == [SessionEnd.DEACTIVATED]
    # Reactivating does not bring the old session back.
    administrator.post(f"/admin/users/{therapist.id}/activate")
    assert thief.get(PATIENT_LIST).status_code == 302


def test_after_thirty_idle_minutes_the_next_request_signs_out(
    pages: PageClient, therapist: User, clock: MovableClock, db_session: Session
) -> None:
    pages.login(therapist.username)
    clock.advance(timedelta(minutes=31))
    response = pages.get(PATIENT_LIST)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert "signed out after 30 minutes" in text_of(pages.get(response.headers["Location"]))
    assert _ended(db_session, therapist) == [SessionEnd.IDLE]


def test_activity_within_the_idle_timeout_keeps_the_session(
    pages: PageClient, therapist: User, clock: MovableClock
) -> None:
    pages.login(therapist.username)
    for _ in range(3):
        clock.advance(timedelta(minutes=29))
        assert _signed_in(pages.get(PATIENT_LIST))


def test_a_cookie_in_constant_use_still_ends_at_the_absolute_lifetime(
    app: Flask, pages: PageClient, therapist: User, clock: MovableClock, db_session: Session
) -> None:
    pages.login(therapist.username)
    thief = _copy_of(pages, app)
    lifetime = app.config["SESSION_LIFETIME"]
    assert lifetime == timedelta(hours=12)
    step = timedelta(minutes=20)  # well inside the idle timeout, all day long
    used = timedelta(0)
    while used + step < lifetime:
        clock.advance(step)
        used += step
        assert _signed_in(thief.get("/"))
    clock.advance(step)
    refused = thief.get(PATIENT_LIST)
    assert refused.status_code == 302
    page = text_of(thief.get(refused.headers["Location"]))
    assert "sessions last 12 hours" in page
    assert _ended(db_session, therapist) == [SessionEnd.EXPIRED]
    assert pages.get(PATIENT_LIST).status_code == 302  # the owner's copy ended with it


def test_a_cookie_from_a_session_the_server_does_not_know_is_ignored(
    app: Flask, pages: PageClient, therapist: User
) -> None:
    forged = app.test_client()
    with forged.session_transaction() as session:
        session["sid"] = "a-token-the-server-never-issued-" + "x" * 20
        session["_user_id"] = str(therapist.id)
    response = forged.get(PATIENT_LIST)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
