"""The signed-in session: Flask-Login wiring, rotation at sign-in, idle timeout."""

from __future__ import annotations

import secrets

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, login_user, logout_user

from clinic.auth.identity import Actor, SignedInStaff
from clinic.auth.services import load_signed_in_staff
from clinic.db import get_session, utcnow

LAST_SEEN_KEY = "last_seen"
# Requests a page makes by itself (the alert banner's polling): they are checked against
# the idle timeout but are not activity, or an open page would never time out.
PASSIVE_ENDPOINTS = frozenset({"intake.live_alerts"})


def current_actor() -> Actor:
    """The signed-in staff member as the actor of a use case."""
    staff: SignedInStaff = current_user._get_current_object()
    return Actor(staff.id, staff.username, staff.role, g.get("request_id"))


def start_session(staff: SignedInStaff) -> None:
    # A fresh session at sign-in: nothing from before (a fixed-up id, stale flags) survives,
    # and the cookie's contents, including its random id, are all new.
    session.clear()
    session["sid"] = secrets.token_urlsafe(16)
    session.permanent = True
    login_user(staff)
    session[LAST_SEEN_KEY] = utcnow().timestamp()


def end_session() -> None:
    logout_user()
    session.clear()


def init_app(app: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = "Sign in to continue."
    manager.login_message_category = "info"
    # Flask-Login's own "session protection" would also log users out when their
    # IP changes (tablets roaming between access points); rotation and the idle timeout
    # below give the protection without that.
    manager.session_protection = None
    manager.init_app(app)

    def load_user(token: str) -> SignedInStaff | None:
        return load_signed_in_staff(get_session(), token)

    manager.user_loader(load_user)

    @app.before_request
    def enforce_idle_timeout() -> ResponseReturnValue | None:
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        now = utcnow().timestamp()
        last_seen = session.get(LAST_SEEN_KEY)
        timeout = current_app.config["IDLE_TIMEOUT"].total_seconds()
        if not isinstance(last_seen, float | int) or now - last_seen > timeout:
            end_session()
            minutes = int(timeout // 60)
            flash(f"You were signed out after {minutes} minutes without activity.", "info")
            return redirect(url_for("auth.login", next=request.path))
        if request.endpoint not in PASSIVE_ENDPOINTS:
            session[LAST_SEEN_KEY] = now
        return None
