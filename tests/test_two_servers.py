"""Two app servers on one database, as a clinic group runs them behind a proxy: nothing
that matters lives in one process's memory. Two gunicorn processes on two loopback ports
against the database under test (a throwaway PostgreSQL server in the PostgreSQL run):
a session signed in on one works on the other and a sign-out on either ends it on both;
an emergency sent on one reaches a page polling the other; a kiosk code claimed on one
cannot be used on the other; sign-in throttling counts failures made on either."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bench.common import clinic_command
from clinic.demo import DEMO_PASSWORD
from clinic.intake.kiosk_codes import USED
from clinic.intake.steps import DETAILS, MEASURES, steps_for
from tests.conftest import Databases
from tests.intake.walk import form_data, web_answers
from tests.screening.stories import symptom
from tests.servers import Browser, csrf_token, free_port, gunicorn


@dataclass(frozen=True)
class Servers:
    first: int
    second: int

    def browser(self, port: int, username: str | None = None) -> Browser:
        browser = Browser(port)
        if username is not None:
            browser.sign_in(username, DEMO_PASSWORD)
        return browser


@pytest.fixture(scope="module")
def servers(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    url = databases.create("two_app_servers")
    instance = tmp_path_factory.mktemp("two-app-servers")
    for command in (("db", "upgrade"), ("catalogue", "load"), ("demo",)):
        clinic_command(url, instance, *command)
    first, second = free_port(), free_port()
    with gunicorn(url, instance, first), gunicorn(url, instance, second):
        yield Servers(first, second)


def _same_cookie(browser: Browser, port: int) -> Browser:
    """The browser's session cookie, sent to the other server (as a proxy would)."""
    other = Browser(port)
    other.cookie = browser.cookie
    return other


def _signed_in(browser: Browser) -> bool:
    status, location, _ = browser.request("GET", "/queue")
    return status == 200 and not location


def test_a_session_works_on_both_servers_and_a_sign_out_on_one_ends_it_on_both(
    servers: Servers,
) -> None:
    on_first = servers.browser(servers.first, "therapist")
    on_second = _same_cookie(on_first, servers.second)
    assert _signed_in(on_first) and _signed_in(on_second)
    _, _, page = on_second.request("GET", "/")
    on_second.token = csrf_token(page)
    status, _, _ = on_second.request("POST", "/logout")
    assert status == 302
    # Signed out on the second server: the first refuses the same cookie.
    assert not _signed_in(on_first)
    assert not _signed_in(on_second)


def _patient_of(browser: Browser, name: str) -> str:
    _, _, page = browser.request("GET", "/patients/")
    browser.token = csrf_token(page)
    status, location, _ = browser.request("POST", "/patients/", {"text": name})
    assert status == 302, status
    _, _, results = browser.request("GET", location[location.index("/patients/") :])
    return re.findall(r'href="/patients/([0-9a-f]{32})"', results)[0]


def test_an_emergency_sent_on_one_server_reaches_a_page_polling_the_other(
    servers: Servers,
) -> None:
    desk = servers.browser(servers.first, "frontdesk")
    watching = servers.browser(servers.second, "therapist")
    _, _, before = watching.request("GET", "/alerts/live")
    waiting_before = json.loads(before)
    patient = _patient_of(desk, "Bennett")
    _, _, record = desk.request("GET", f"/patients/{patient}")
    desk.token = csrf_token(record)
    status, location, _ = desk.request("POST", f"/patients/{patient}/intakes")
    intake = re.search(r"/intakes/([0-9a-f]{32})/steps/", location)
    assert status == 302 and intake is not None
    answers = web_answers(**symptom("saddle_numbness"))
    for step in steps_for(answers):
        data = {} if step in (DETAILS, MEASURES) else form_data(step, answers)
        status, _, _ = desk.request("POST", f"/intakes/{intake.group(1)}/steps/{step.id}", data)
        assert status in (200, 302), (step.id, status)
    _, _, after = watching.request("GET", f"/alerts/live?seen={waiting_before['fingerprint']}")
    polled = json.loads(after)
    assert polled["count"] == waiting_before["count"] + 1
    assert polled["fingerprint"] != waiting_before["fingerprint"]
    assert any("Bennett" in alert["patient"] for alert in polled["alerts"])


def test_a_kiosk_code_claimed_on_one_server_cannot_be_used_on_the_other(
    servers: Servers,
) -> None:
    desk = servers.browser(servers.first, "frontdesk")
    patient = _patient_of(desk, "Pike")
    _, _, record = desk.request("GET", f"/patients/{patient}")
    desk.token = csrf_token(record)
    status, _, page = desk.request("POST", f"/patients/{patient}/kiosk-intakes")
    assert status == 200, status
    code = re.search(r'class="kiosk-code"[^>]*>([^<]+)<', page)
    assert code is not None

    def claim(port: int) -> tuple[int, str, str]:
        tablet = Browser(port)
        _, _, start = tablet.request("GET", "/kiosk/")
        tablet.token = csrf_token(start)
        return tablet.request("POST", "/kiosk/", {"code": code.group(1).strip()})

    status, location, _ = claim(servers.first)
    assert status == 302 and location.endswith("/kiosk/questions/details")
    status, _, refused = claim(servers.second)
    assert status == 200
    assert html.unescape(USED) in html.unescape(refused)


def test_sign_in_failures_on_either_server_count_towards_one_wait(servers: Servers) -> None:
    def fail(port: int) -> str:
        browser = Browser(port)
        _, _, page = browser.request("GET", "/login")
        browser.token = csrf_token(page)
        _, _, answer = browser.request(
            "POST", "/login", {"username": "admin", "password": "not the password"}
        )
        return answer

    for attempt in range(5):
        fail(servers.first if attempt % 2 else servers.second)
    # The sixth, on either server, is told to wait.
    assert "seconds" in fail(servers.first)
    assert "seconds" in fail(servers.second)
