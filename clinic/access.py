"""Who may open which page, declared on each route in one place.

Every view carries a policy: ``@public`` (login page, static files) or
``@allow(Role...)``. A request to a route that declares no policy is refused with 403,
so a new route is closed until someone decides who may use it; the route-by-role test
walks the URL map and fails on any such route.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from clinic.auth.roles import Role

log = logging.getLogger(__name__)

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., Any])
POLICY_ATTRIBUTE = "clinic_access_policy"


@dataclass(frozen=True)
class AccessPolicy:
    roles: frozenset[Role]
    public: bool = False

    def admits(self, role: Role | None) -> bool:
        return self.public or (role is not None and role in self.roles)


PUBLIC_POLICY = AccessPolicy(roles=frozenset(), public=True)


def public(view: ViewFunction) -> ViewFunction:
    """Open to anyone, signed in or not."""
    setattr(view, POLICY_ATTRIBUTE, PUBLIC_POLICY)
    return view


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
        if policy.public:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if not policy.admits(current_user.role):
            abort(403)
        return None
