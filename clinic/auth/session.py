"""The signed-in session: held on the server, named by a random token in the cookie.

Every request looks the token up (``services.resume_session``): sign-out, a password
reset, deactivating the account, the idle timeout and the absolute lifetime each end the
server's record, and a copied cookie ends with it. Flask-Login supplies ``current_user``
and the ``login_required`` plumbing; it is handed the staff member this check found.
"""

from __future__ import annotations

from flask import (
    Flask,
    Request,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, login_user, logout_user

from clinic.access import is_api_request
from clinic.auth import services
from clinic.auth.identity import Actor, SignedInStaff
from clinic.auth.models import SessionEnd
from clinic.db import get_session

SESSION_ID_KEY = "sid"
# Requests a page makes by itself (the alert banner's polling): they are checked like any
# other but are not activity, or an open page would never time out.
PASSIVE_ENDPOINTS = frozenset({"intake.live_alerts"})
_STAFF_KEY = "signed_in_staff"


def current_actor() -> Actor:
    """The signed-in staff member as the actor of a use case."""
    staff: SignedInStaff = current_user._get_current_object()
    return Actor(staff.id, staff.username, staff.role, g.get("request_id"))


def session_policy() -> services.SessionPolicy:
    return services.SessionPolicy(
        idle=current_app.config["IDLE_TIMEOUT"], lifetime=current_app.config["SESSION_LIFETIME"]
    )


def sign_in_policy() -> services.SignInPolicy:
    config = current_app.config
    return services.SignInPolicy(config["SIGN_IN_BACKOFF"], config["ACCOUNT_BACKOFF"])


def client_address() -> str:
    """The client's address (the proxy's X-Forwarded-For when CLINIC_PROXY_COUNT says
    which proxies to trust), for throttling."""
    return (request.remote_addr or "unknown")[:64]


def start_session(staff: SignedInStaff, token: str) -> None:
    """Put a new server-side session's token in a fresh cookie. Nothing from before (a
    fixed-up id, stale flags) survives: the cookie's contents are all new."""
    session.clear()
    session[SESSION_ID_KEY] = token
    session.permanent = True
    g.pop(_STAFF_KEY, None)
    login_user(staff)


def end_session() -> None:
    """End this browser's session on the server (when it has one) and clear the cookie.
    The caller commits."""
    token = session.get(SESSION_ID_KEY)
    if isinstance(token, str):
        services.close_session(get_session(), token, current_app.config["CLOCK"]())
    logout_user()
    session.clear()


_ENDED_MESSAGES = {
    SessionEnd.IDLE: "You were signed out after {idle} minutes without activity.",
    SessionEnd.EXPIRED: "You were signed out: sessions last {lifetime} hours. Sign in again.",
}


class ClinicSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, with two exceptions.

    - Paths under ``cookieless_prefixes`` (the FHIR API, which reads with tokens) never
      read the cookie and never set one.
    - A passive request (the alert poll) does not send the cookie back unless it changed
      it: a poll answered just after a form's redirect would otherwise put back the cookie
      as the poll found it, losing what the form stored there (its "Saved" message).
      The poll is not activity, so the cookie's expiry is not its to extend.
    """

    cookieless_prefixes: tuple[str, ...] = ()

    def _cookieless(self, path: str) -> bool:
        return path.startswith(self.cookieless_prefixes) if self.cookieless_prefixes else False

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if self._cookieless(request.path):
            return self.session_class()
        return super().open_session(app, request)

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        passive = has_request_context() and (
            self._cookieless(request.path) or request.endpoint in PASSIVE_ENDPOINTS
        )
        return (
            False if passive and not session.modified else super().should_set_cookie(app, session)
        )


def init_app(app: Flask) -> None:
    app.session_interface = ClinicSessionInterface()
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = "Sign in to continue."
    manager.login_message_category = "info"
    # Flask-Login's own "session protection" would also log users out when their
    # IP changes (tablets roaming between access points); the server-side session gives
    # the protection without that.
    manager.session_protection = None
    manager.init_app(app)

    def load_user(_user_id: str) -> SignedInStaff | None:
        staff: SignedInStaff | None = g.get(_STAFF_KEY)
        return staff

    manager.user_loader(load_user)

    @app.before_request
    def resume() -> ResponseReturnValue | None:
        if request.endpoint == "static" or is_api_request(app):
            return None  # the API reads with tokens: no cookie session reaches it
        token = session.get(SESSION_ID_KEY)
        if not isinstance(token, str):
            if "_user_id" in session:  # a cookie from before server-side sessions
                session.clear()
            return None
        db = get_session()
        resumed = services.resume_session(
            db,
            token,
            session_policy(),
            app.config["CLOCK"](),
            active=request.endpoint not in PASSIVE_ENDPOINTS,
        )
        if db.dirty:
            # The session's last activity (or its end) is kept whatever this request does
            # (its own commit: the request's one commit is still to come).
            db.commit()
        if resumed.staff is not None:
            setattr(g, _STAFF_KEY, resumed.staff)
            return None
        logout_user()
        session.clear()
        if resumed.ended is None:
            return None  # signed out elsewhere: the page's own access check decides
        config = app.config
        flash(
            _ENDED_MESSAGES[resumed.ended].format(
                idle=int(config["IDLE_TIMEOUT"].total_seconds() // 60),
                lifetime=int(config["SESSION_LIFETIME"].total_seconds() // 3600),
            ),
            "info",
        )
        return redirect(url_for("auth.login", next=request.path))
