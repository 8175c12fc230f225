"""Route by role: every route in the URL map, for every role and for anonymous visitors.

New routes are covered automatically. A route without a declared policy fails here, and
the app itself refuses requests to it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from clinic.access import AccessPolicy, policy_for
from clinic.auth.models import User
from clinic.auth.roles import Role
from tests.helpers import PageClient

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


# Routes that end the session, walked last so one signed-in client can walk the others.
SESSION_ENDING = {"auth.logout", "kiosk.lock"}


def _rules(app: Flask) -> Iterator[Rule]:
    yield from sorted(
        app.url_map.iter_rules(), key=lambda rule: (rule.endpoint in SESSION_ENDING, rule.rule)
    )


def _url_arguments(rule: Rule, samples: dict[str, object]) -> dict[str, object]:
    missing = rule.arguments - samples.keys()
    if missing:
        raise AssertionError(f"add a sample value for {sorted(missing)} (route {rule.rule})")
    return {name: samples[name] for name in rule.arguments}


def _requests(
    app: Flask, pages: PageClient, samples: dict[str, object]
) -> Iterator[tuple[Rule, AccessPolicy, str, TestResponse]]:
    """Every route with every method it answers, requested once, with its policy."""
    for rule in _rules(app):
        policy = policy_for(app, rule.endpoint)
        assert policy is not None, rule.endpoint
        with app.test_request_context():
            url = url_for(rule.endpoint, **_url_arguments(rule, samples))
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            response = pages.post(url) if method == "POST" else pages.get(url)
            response.close()
            yield rule, policy, method, response


def assert_api_refused(response: TestResponse, method: str, rule: Rule) -> None:
    """Refused for want of an API token (401), as FHIR reports it; a POST to the read-only
    API is not allowed (405)."""
    expected = 405 if method == "POST" else 401
    assert response.status_code == expected, (method, rule.rule, response.status_code)
    assert response.mimetype == "application/fhir+json", (method, rule.rule)
    assert response.get_json()["resourceType"] == "OperationOutcome", (method, rule.rule)
    assert "Set-Cookie" not in response.headers, (method, rule.rule)


def test_every_route_declares_an_access_policy(app: Flask) -> None:
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules() if policy_for(app, rule.endpoint) is None
    ]
    assert undeclared == [], f"routes without an access policy: {undeclared}"


def test_a_route_without_a_policy_is_refused(
    app: Flask, pages: PageClient, front_desk: User
) -> None:
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    pages.login(front_desk.username)
    response = pages.get("/undeclared")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in_from_every_non_public_route(
    app: Flask, pages: PageClient, samples: dict[str, object]
) -> None:
    checked = 0
    for rule, policy, method, response in _requests(app, pages, samples):
        if policy.api:
            assert_api_refused(response, method, rule)
        elif policy.public or policy.kiosk:
            assert response.status_code != 403, (method, rule.rule)
            assert response.status_code < 500, (method, rule.rule)
        else:
            assert response.status_code == 302, (method, rule.rule, response.status_code)
            assert response.headers["Location"].startswith("/login"), (method, rule.rule)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_gets_exactly_its_declared_access(
    app: Flask, pages: PageClient, staff: dict[Role, User], samples: dict[str, object], role: Role
) -> None:
    pages.login(staff[role].username)
    outcomes = []
    for rule, policy, method, response in _requests(app, pages, samples):
        refused = response.status_code == 403
        sent_to_sign_in = response.status_code == 302 and response.headers["Location"].startswith(
            "/login"
        )
        if policy.api:
            # A signed-in member of staff's cookie never reaches the API: it needs a token.
            assert_api_refused(response, method, rule)
        elif policy.admits(role):
            assert not refused, f"{role} refused {method} {rule.rule}"
            if rule.endpoint not in SESSION_ENDING:
                assert not sent_to_sign_in, f"{role} sent to sign in from {method} {rule.rule}"
            assert response.status_code < 500, f"{method} {rule.rule}: {response.status_code}"
        else:
            assert refused, f"{role} was not refused {method} {rule.rule} ({response.status_code})"
        outcomes.append((rule.endpoint, method, response.status_code))
    assert outcomes, "no routes were checked"


def test_front_desk_and_therapists_work_with_patients_and_only_admins_see_accounts_and_audit(
    app: Flask,
) -> None:
    """The declared policies themselves, as a table a reviewer can read."""
    expected = {
        "patients.search": {Role.FRONT_DESK, Role.THERAPIST},
        "patients.register": {Role.FRONT_DESK, Role.THERAPIST},
        "patients.detail": {Role.FRONT_DESK, Role.THERAPIST},
        "patients.edit": {Role.FRONT_DESK, Role.THERAPIST},
        "users.index": {Role.ADMIN},
        "users.create": {Role.ADMIN},
        "audit.index": {Role.ADMIN},
        "intake.start": {Role.FRONT_DESK, Role.THERAPIST},
        "intake.step": {Role.FRONT_DESK, Role.THERAPIST},
        "intake.result": {Role.FRONT_DESK, Role.THERAPIST},
        "intake.queue": {Role.THERAPIST},
        "intake.decide": {Role.THERAPIST},
        "intake.complete": {Role.THERAPIST},
        "intake.rescreen": {Role.THERAPIST},
        "home.index": set(Role),
        "catalogue.index": set(Role),
        "catalogue.item": set(Role),
        "catalogue.illustration": set(Role),
        "catalogue.new": {Role.THERAPIST, Role.ADMIN},
        "catalogue.edit": {Role.THERAPIST, Role.ADMIN},
        "catalogue.retire": {Role.THERAPIST, Role.ADMIN},
        "catalogue.restore": {Role.THERAPIST, Role.ADMIN},
        "plans.start": {Role.THERAPIST},
        "plans.detail": {Role.FRONT_DESK, Role.THERAPIST},
        "plans.edit": {Role.THERAPIST},
        "plans.finalise": {Role.THERAPIST},
        "plans.revise": {Role.THERAPIST},
        "plans.template_list": {Role.ADMIN},
        "plans.template_new": {Role.ADMIN},
        "plans.template_edit": {Role.ADMIN},
        "handouts.plan_handout": {Role.FRONT_DESK, Role.THERAPIST},
        "handouts.batch": {Role.FRONT_DESK, Role.THERAPIST},
        "api_tokens.index": {Role.ADMIN},
        "api_tokens.revoke": {Role.ADMIN},
    }
    for endpoint, roles in expected.items():
        policy = policy_for(app, endpoint)
        assert policy is not None
        assert set(policy.roles) == roles, endpoint
