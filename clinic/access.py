"""Who may open which page, declared on each route in one place.

Every view carries a policy: ``@public`` (login page, static files), ``@allow(Role...)``,
``@kiosk_page`` (the waiting-room tablet), or ``@api_token`` (the FHIR API: a bearer
token, never a cookie; ``clinic.fhir.views`` checks it). While a tablet is in kiosk mode its session
reaches kiosk pages only: every staff page answers 403, whatever cookie it carries.

A request to a route that declares no policy is refused with 403, so a new route is
closed until someone decides who may use it; the route-by-role test walks the URL map
and fails on any such route.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from clinic.auth.roles import Role

log = logging.getLogger(__name__)

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., Any])
POLICY_ATTRIBUTE = "clinic_access_policy"


KIOSK_SESSION_KEY = "kiosk_intake"
# A tablet locked on an EMERGENCY: kiosk pages only, until staff unlock it (kiosk.py).
KIOSK_EMERGENCY_KEY = "kiosk_emergency"


@dataclass(frozen=True)
class AccessPolicy:
    roles: frozenset[Role]
    public: bool = False
    # A patient-facing page of the waiting-room tablet (open without a staff sign-in).
    kiosk: bool = False
    # Read by other systems with an API token: no staff sign-in admits anyone.
    api: bool = False

    def admits(self, role: Role | None) -> bool:
        return self.public or self.kiosk or (role is not None and role in self.roles)


PUBLIC_POLICY = AccessPolicy(roles=frozenset(), public=True)
KIOSK_POLICY = AccessPolicy(roles=frozenset(), kiosk=True)
API_POLICY = AccessPolicy(roles=frozenset(), api=True)


def public(view: ViewFunction) -> ViewFunction:
    """Open to anyone, signed in or not."""
    setattr(view, POLICY_ATTRIBUTE, PUBLIC_POLICY)
    return view


def kiosk_page(view: ViewFunction) -> ViewFunction:
    """A page of the patient's kiosk questionnaire."""
    setattr(view, POLICY_ATTRIBUTE, KIOSK_POLICY)
    return view


def api_token(view: ViewFunction) -> ViewFunction:
    """Read with an API token (``Authorization: Bearer``); a staff session does not admit."""
    setattr(view, POLICY_ATTRIBUTE, API_POLICY)
    return view


def is_api_request(app: Flask) -> bool:
    policy = policy_for(app, request.endpoint) if request.endpoint else None
    return policy is not None and policy.api


def allow(*roles: Role) -> Callable[[ViewFunction], ViewFunction]:
    """Open to signed-in staff holding one of ``roles``."""
    if not roles:
        raise ValueError("allow() needs at least one role; use @public for open pages")

    def decorate(view: ViewFunction) -> ViewFunction:
        setattr(view, POLICY_ATTRIBUTE, AccessPolicy(roles=frozenset(roles)))
        return view

    return decorate


def policy_for(app: Flask, endpoint: str) -> AccessPolicy | None:
    if endpoint == "static":
        return PUBLIC_POLICY
    view = app.view_functions.get(endpoint)
    policy: AccessPolicy | None = getattr(view, POLICY_ATTRIBUTE, None)
    return policy


def init_app(app: Flask) -> None:
    @app.before_request
    def enforce_access_policy() -> ResponseReturnValue | None:
        if request.endpoint is None:
            return None  # no route matched: the 404 handler answers
        policy = policy_for(app, request.endpoint)
        if policy is None:
            log.error(
                "refused request to %s: the route declares no access policy", request.endpoint
            )
            abort(403)
        if policy.api:
            return None  # the API checks its token (clinic.fhir.views); cookies are ignored
        kiosk_session = KIOSK_SESSION_KEY in session or KIOSK_EMERGENCY_KEY in session
        if kiosk_session and not policy.kiosk and request.endpoint != "static":
            abort(403)
        if policy.public or policy.kiosk:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if not policy.admits(current_user.role):
            abort(403)
        return None
