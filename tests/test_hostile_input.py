"""Every route, for every role, with generated hostile input: never a 500, and a request
the app refuses leaves the database as it was.

Hypothesis draws the values (sizes, unicode, NUL and control characters, numbers far
beyond 64 bits, wrong types, JSON where a form is expected, duplicated fields) into path
segments, query strings and form fields: the fields each page's own forms carry plus the
hidden fields the app reads (plan editor, finalise). Deterministic (a seed per route and
role) and bounded per route and role so the suite stays fast.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from clinic.access import KIOSK_SESSION_KEY
from clinic.auth import services as auth_services
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.db import utcnow
from clinic.intake.models import Intake, IntakeStatus
from clinic.models import metadata
from tests.helpers import html

EXAMPLES_PER_CELL = 4
# Tables a refused request may still write: the audit of the refusal, the session's last
# activity, throttles, saved searches (a search that finds nothing is kept to show it).
MAY_CHANGE = {"audit_event", "audit_chain_head", "staff_session", "throttle", "patient_search"}
# Hidden or programmatic fields the views read besides each page's visible form.
EXTRA_FIELDS = (
    "action",
    "edit_count",
    "items-0-item_id",
    "items-0-position",
    "items-0-sets",
    "template",
    "add",
    "page",
    "version",
    "seen",
    "q",
    "kind",
    "next",
)
SESSION_ENDING = {"auth.logout", "kiosk.lock"}

HUGE_NUMBERS = ["99999999999999999999999999", "-9223372036854775809", "2147483648", "1e309"]
NASTY = [
    "\x00",
    "a\x00b",
    "\x07\x1b[31m",
    "²",
    "١٢",
    "NaN",
    "-1",
    "0",
    "up:²",
    "remove:99999999999999999999",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "x" * 5000,
    "",
]
hostile_text = st.one_of(
    st.sampled_from(NASTY + HUGE_NUMBERS),
    st.text(max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)


def _fingerprint(session: Session) -> str:
    """Every row of every table a refused request must not change."""
    digest = hashlib.sha256()
    connection = session.connection()
    for table in metadata.sorted_tables:
        if table.name in MAY_CHANGE:
            continue
        primary = list(table.primary_key.columns)
        for row in connection.execute(select(table).order_by(*primary)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _url(rule: Rule, values: dict[str, str]) -> str:
    url = rule.rule
    for name in rule.arguments:
        for converter in ("int:", "string:", "path:", ""):
            url = url.replace(f"<{converter}{name}>", quote(values[name], safe=""))
    return url


def _harvest_fields(client: FlaskClient, url: str) -> list[str]:
    """The names of the fields the page's forms carry (the walk posts hostile values to
    each), or none when the page has no form for this role."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in (response.content_type or ""):
        return []
    names = {
        str(element.get("name"))
        for element in html(response).select("form input, form select, form textarea")
        if element.get("name") and element.get("name") != "csrf_token"
    }
    return sorted(names)


def _csrf(client: FlaskClient) -> str:
    """A valid CSRF token for this client: the sign-in form, or once signed in the
    sign-out button of the start page, or the tablet's code form."""
    for page in ("/login", "/kiosk/"):
        response = client.get(page, follow_redirects=True)
        token = html(response).find("input", attrs={"name": "csrf_token"})
        if token is not None:
            return str(token["value"])
    return ""


@pytest.fixture
def clients(
    app: Flask, db_session: Session, staff: dict[Role, User], samples: dict[str, object]
) -> dict[str, Callable[[], FlaskClient]]:
    """A way to make a fresh client per role: signed in through a server-side session made
    directly (no password hashing per example), or a tablet holding a draft intake."""

    def staff_client(role: Role) -> Callable[[], FlaskClient]:
        def make() -> FlaskClient:
            user = staff[role]
            user.active = True
            db_session.flush()
            staff_view = auth_services._snapshot(user)
            token = auth_services.open_session(db_session, staff_view, utcnow())
            db_session.commit()
            client = app.test_client()
            with client.session_transaction() as cookie:
                cookie["sid"] = token
                cookie["_user_id"] = str(user.id)
                cookie["_fresh"] = True
            return client

        return make

    def tablet() -> FlaskClient:
        client = app.test_client()
        draft = db_session.scalars(
            select(Intake.public_id).where(Intake.status == IntakeStatus.DRAFT)
        ).first()
        with client.session_transaction() as cookie:
            cookie[KIOSK_SESSION_KEY] = draft or str(samples["intake_id"])
            cookie["kiosk_last_seen"] = utcnow().timestamp()
        return client

    return {
        "anonymous": app.test_client,
        "front_desk": staff_client(Role.FRONT_DESK),
        "therapist": staff_client(Role.THERAPIST),
        "admin": staff_client(Role.ADMIN),
        "tablet": tablet,
    }


class Walk:
    """The walk's shared state: what it found and how many requests it made."""

    def __init__(self, db_session: Session, samples: dict[str, object]) -> None:
        self.db_session = db_session
        self.samples = samples
        self.failures: list[str] = []
        self.requests = 0

    def valid(self, rule: Rule) -> str:
        return _url(rule, {name: str(self.samples.get(name, "x")) for name in rule.arguments})

    def cell(self, rule: Rule, role: str, make: Callable[[], FlaskClient]) -> None:
        """EXAMPLES_PER_CELL generated requests to one route as one role."""
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})

        @seed(int.from_bytes(hashlib.sha256(f"{rule.rule} {role}".encode()).digest()[:4]))
        @settings(
            max_examples=EXAMPLES_PER_CELL,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def walk(data: st.DataObject) -> None:
            client = make()
            values = {
                name: data.draw(
                    st.one_of(st.just(str(self.samples.get(name, "x"))), hostile_text),
                    label=name,
                )
                for name in rule.arguments
            }
            url = _url(rule, values)
            query = data.draw(
                st.dictionaries(st.sampled_from(EXTRA_FIELDS), hostile_text, max_size=3),
                label="query",
            )
            method = data.draw(st.sampled_from(methods), label="method")
            if method == "GET":
                response = client.get(url, query_string=query)
            else:
                names = _harvest_fields(client, self.valid(rule)) if "GET" in methods else []
                fields = data.draw(
                    st.dictionaries(
                        st.sampled_from([*names, *EXTRA_FIELDS]),
                        st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3)),
                        max_size=8,
                    ),
                    label="fields",
                )
                token = _csrf(client)
                shape = data.draw(st.sampled_from(["form", "json", "nested-json"]), label="as")
                before = _fingerprint(self.db_session)
                if shape == "form":
                    response = client.post(url, data={**fields, "csrf_token": token})
                else:
                    body: Any = {**fields, "csrf_token": token}
                    if shape == "nested-json":
                        body = {key: {"nested": [value, {"x": 1}]} for key, value in body.items()}
                    response = client.post(
                        url,
                        data=json.dumps(body),
                        content_type="application/json",
                        headers={"X-CSRFToken": token},
                    )
                self.db_session.expire_all()
                if response.status_code >= 400 and _fingerprint(self.db_session) != before:
                    self.failures.append(
                        f"{role} {method} {rule.rule} -> {response.status_code} changed the "
                        f"database ({values!r:.200}, {fields!r:.200})"
                    )
            self.requests += 1
            if response.status_code >= 500:
                self.failures.append(
                    f"{role} {method} {rule.rule} -> {response.status_code} "
                    f"({values!r:.200}, {query!r:.200})"
                )
            response.close()

        walk()


def test_no_route_answers_500_to_hostile_input_and_refusals_change_nothing(
    app: Flask,
    db_session: Session,
    clients: dict[str, Callable[[], FlaskClient]],
    samples: dict[str, object],
) -> None:
    walk = Walk(db_session, samples)
    rules = sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )
    for rule in rules:
        for role, make_client in clients.items():
            walk.cell(rule, role, make_client)
    assert walk.requests >= len(rules) * len(clients) * EXAMPLES_PER_CELL
    assert walk.failures == [], "\n".join(dict.fromkeys(walk.failures))


# The cases the probe found, each pinned down ---------------------------------------------


@pytest.mark.parametrize("url", ["/login", "/kiosk/"])
def test_a_json_body_is_refused_with_415_not_read_as_a_form(app: Flask, url: str) -> None:
    client = app.test_client()
    token = _csrf(client)
    response = client.post(
        url,
        json={"username": {"$ne": None}, "password": ["a", {"b": 1}], "csrf_token": token},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 415
    assert "takes a form sent from its page" in response.get_data(as_text=True)


def test_nul_in_a_form_field_or_a_path_is_refused_with_a_message(
    app: Flask, clients: dict[str, Callable[[], FlaskClient]], db_session: Session
) -> None:
    client = clients["front_desk"]()
    before = _fingerprint(db_session)
    response = client.post(
        "/patients/new",
        data={"given_name": "Nul\x00led", "family_name": "Person", "csrf_token": _csrf(client)},
    )
    assert response.status_code == 400
    assert "such as a NUL" in response.get_data(as_text=True)
    db_session.expire_all()
    assert _fingerprint(db_session) == before
    assert client.get("/patients/abc%00def").status_code == 400
    assert client.get("/patients/", query_string={"page": "1\x00"}).status_code == 400


def test_tab_and_new_lines_in_free_text_are_allowed() -> None:
    from clinic.edge import has_control_characters

    assert not has_control_characters("Pain worse\r\nat night\tand mornings")
    assert has_control_characters("bell\x07") and has_control_characters("del\x7f")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/admin/users/99999999999999999999999/password", 404),
        ("/admin/users/2147483648/password", 404),
        ("/admin/users/0/password", 404),
        ("/admin/plan-templates/-1", 404),
        ("/catalogue/knee-to-chest?version=99999999999999999999", 200),
        ("/catalogue/knee-to-chest?version=²", 200),
    ],
)
def test_numbers_beyond_what_the_database_holds_are_not_found_not_500(
    clients: dict[str, Callable[[], FlaskClient]],
    samples: dict[str, object],
    path: str,
    expected: int,
) -> None:
    assert clients["admin"]().get(path).status_code == expected


def test_whole_numbers_are_plain_digits_within_range() -> None:
    from clinic.edge import MAX_ID, whole_number

    assert whole_number("42") == 42 and whole_number(str(MAX_ID)) == MAX_ID
    for bad in ("²", "١٢", "-1", "1e3", " 4", "", str(MAX_ID + 1), None, 7):
        assert whole_number(bad) is None, bad
