"""Request ids and application logging.

Every request gets an id (an incoming ``X-Request-ID`` of safe characters is kept, so a
proxy's id can be followed through). It is sent back in the response, stamped on every
log line and on every audit entry. Log lines carry ids, never patient data.
"""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, Response, current_app, g, has_request_context, request

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def this_app() -> Flask:
    """The app serving this request or command (not the proxy ``current_app`` is): for
    what is handed to code that outlives the proxy's context, such as the renderer."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def configure_logging(level: str) -> None:
    logger = logging.getLogger("clinic")
    if any(isinstance(f, RequestIdFilter) for h in logger.handlers for f in h.filters):
        return
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(level)


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_LEVEL"])

    @app.before_request
    def assign_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def send_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        # Pages show patient data: never cache them in shared or browser caches.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        if app.config["ENV_NAME"] == "production":
            # Served over HTTPS only (behind the TLS proxy): browsers must never fall back.
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        # A view may set a stricter policy of its own (the illustrations do).
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        return response
