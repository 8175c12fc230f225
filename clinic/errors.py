"""Domain errors and their mapping to HTTP, in one place.

Error pages never show patient data or stack traces; the 500 handler rolls the request's
session back first, so a failure part-way through leaves the database as it was.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of the errors services raise; ``status_code`` picks the page."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    status_code = 404


class PermissionDeniedError(DomainError):
    status_code = 403


class ConflictError(DomainError):
    status_code = 409


TITLES = {
    400: "The request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not available here",
    409: "Someone else changed this at the same time",
    413: "That upload is too large",
    415: "That kind of request is not accepted here",
    500: "Sorry, something went wrong",
}


def _rollback() -> None:
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _admitted_roles() -> list[str]:
    """Who may open the refused page, in words (the 403 page speaks to the one refused)."""
    from clinic.access import policy_for
    from clinic.auth.roles import Role

    policy = policy_for(current_app, request.endpoint) if request.endpoint else None
    if policy is None:
        return []
    return [role.label.lower() for role in Role if role in policy.roles]


ErrorResponder = Callable[[int, str | None], ResponseReturnValue]
_API_ERRORS = "clinic.api_errors"


def register_api(app: Flask, prefix: str, responder: ErrorResponder) -> None:
    """Errors of requests under ``prefix`` (an API) answered by ``responder`` instead of an
    HTML page: whatever raised them, routing included."""
    app.extensions.setdefault(_API_ERRORS, []).append((prefix, responder))


def _api_responder() -> ErrorResponder | None:
    for prefix, responder in current_app.extensions.get(_API_ERRORS, []):
        if request.path.startswith(prefix):
            found: ErrorResponder = responder
            return found
    return None


def _page(status: int, message: str | None = None) -> ResponseReturnValue:
    api = _api_responder()
    if api is not None:
        return api(status, message)
    title = TITLES.get(status, "Something went wrong")
    admitted = _admitted_roles() if status == 403 else []
    return render_template(
        "errors/error.html", status=status, title=title, message=message, admitted=admitted
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> ResponseReturnValue:
        _rollback()
        return _page(error.status_code, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> ResponseReturnValue:
        _rollback()
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def conflict(_error: Exception) -> ResponseReturnValue:
        _rollback()
        log.warning("write refused by a concurrent change or a database constraint")
        return _page(409)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        _rollback()
        return _page(error.code or 500)

    @app.errorhandler(Exception)
    def internal_error(error: Exception) -> ResponseReturnValue:
        _rollback()
        # The log gets the exception type and where it was raised, never its message:
        # messages can carry the values being processed, and those may be patient data.
        where = "".join(traceback.format_tb(error.__traceback__))
        log.error("unhandled %s\n%s", type(error).__name__, where)
        return _page(500)


class FieldError(DomainError):
    """Input a form could not judge alone (a taken username): shown next to ``field``."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
