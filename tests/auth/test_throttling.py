"""Failed sign-ins and wrong tablet codes slow the next attempt down; nobody can lock a
colleague out. Time is moved with the app's clock, not slept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.auth.services import UNKNOWN_USERNAME, WRONG_CREDENTIALS
from clinic.auth.throttling import Backoff, wait_message
from clinic.patients.models import Patient
from tests.clock import MovableClock
from tests.factories import make_patient
from tests.helpers import TEST_PASSWORD, PageClient, html, text_of

ATTACKER = "203.0.113.66"
COLLEAGUE = "198.51.100.7"
WRONG = "wrong-password-guess"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(frozen=True)  # waits are exact: no real time passes


def _sign_in(pages: PageClient, username: str, password: str, address: str) -> TestResponse:
    return pages.post(
        "/login",
        {"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _signed_in(response: TestResponse) -> bool:
    return response.status_code == 302


def test_backoff_waits_double_after_the_free_failures_up_to_the_longest() -> None:
    backoff = Backoff(5, timedelta(seconds=2), timedelta(minutes=15), timedelta(minutes=15))
    waits = [backoff.wait_after(n).total_seconds() for n in range(1, 16)]
    assert waits == [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert backoff.wait_after(10_000) == timedelta(minutes=15)
    assert wait_message(timedelta(seconds=1.2)) == "2 seconds"
    assert wait_message(timedelta(seconds=1)) == "1 second"
    assert wait_message(timedelta(minutes=14, seconds=1)) == "15 minutes"


def test_failures_from_one_address_do_not_lock_the_real_user_out_elsewhere(
    app: Flask, therapist: User
) -> None:
    attacker = PageClient(app.test_client())
    # Any case and spacing of the name count as the same name.
    name = therapist.username
    for typed in (name, name.upper(), f"  {name.title()} ", name, name, name):
        response = _sign_in(attacker, typed, WRONG, ATTACKER)
    assert "Wait" in text_of(response)
    # The right password from the attacker's address waits too...
    assert not _signed_in(_sign_in(attacker, therapist.username, TEST_PASSWORD, ATTACKER))
    # ...but the therapist at their own desk signs straight in.
    colleague = PageClient(app.test_client())
    assert _signed_in(_sign_in(colleague, therapist.username, TEST_PASSWORD, COLLEAGUE))


def test_repeated_failures_wait_longer_each_time(
    app: Flask, therapist: User, clock: MovableClock
) -> None:
    attacker = PageClient(app.test_client())
    for _ in range(4):
        assert WRONG_CREDENTIALS in text_of(_sign_in(attacker, therapist.username, WRONG, ATTACKER))
    _sign_in(attacker, therapist.username, WRONG, ATTACKER)  # the fifth: waits begin
    assert "Wait 2 seconds" in text_of(_sign_in(attacker, therapist.username, WRONG, ATTACKER))
    clock.advance(timedelta(seconds=3))
    _sign_in(attacker, therapist.username, WRONG, ATTACKER)  # the sixth: 4 seconds
    assert "Wait 4 seconds" in text_of(_sign_in(attacker, therapist.username, WRONG, ATTACKER))
    clock.advance(timedelta(seconds=5))
    _sign_in(attacker, therapist.username, WRONG, ATTACKER)
    assert "Wait 8 seconds" in text_of(_sign_in(attacker, therapist.username, WRONG, ATTACKER))
    # Once the wait is over, the right password works from there too.
    clock.advance(timedelta(seconds=9))
    assert _signed_in(_sign_in(attacker, therapist.username, TEST_PASSWORD, ATTACKER))


def test_an_attack_from_many_addresses_delays_the_real_user_a_minute_at_most(
    app: Flask, therapist: User, clock: MovableClock
) -> None:
    # Ten failures are free for the name; each one after doubles its wait (1 s, 2 s,
    # 4 s...), which reaches the one-minute ceiling after sixteen.
    bots = 17
    for number in range(bots):
        bot = PageClient(app.test_client())
        _sign_in(bot, therapist.username, WRONG, f"192.0.2.{number}")
        if number < bots - 1:
            clock.advance(timedelta(seconds=61))  # each bot waits its turn, then guesses
    colleague = PageClient(app.test_client())
    waiting = _sign_in(colleague, therapist.username, TEST_PASSWORD, COLLEAGUE)
    assert not _signed_in(waiting)
    assert "Wait 60 seconds" in text_of(waiting)
    clock.advance(timedelta(seconds=61))
    assert _signed_in(_sign_in(colleague, therapist.username, TEST_PASSWORD, COLLEAGUE))


def test_invented_names_are_throttled_the_same_way_and_never_named_in_the_audit_log(
    app: Flask, therapist: User, admin: User, db_session: Session
) -> None:
    attacker = PageClient(app.test_client())
    for _ in range(5):
        _sign_in(attacker, "invented-name", WRONG, ATTACKER)
        _sign_in(attacker, therapist.username, WRONG, ATTACKER)
    invented = text_of(_sign_in(attacker, "invented-name", WRONG, ATTACKER))
    real = text_of(_sign_in(attacker, therapist.username, WRONG, ATTACKER))
    assert "Wait 2 seconds" in invented and "Wait 2 seconds" in real
    names = set(db_session.scalars(select(AuditEvent.username)))
    assert "invented-name" not in names and UNKNOWN_USERNAME in names
    administrator = PageClient(app.test_client())
    _sign_in(administrator, admin.username, TEST_PASSWORD, COLLEAGUE)
    audit_page = administrator.get("/admin/audit/")
    offered = [option.get("value") for option in html(audit_page).select("#username option")]
    assert therapist.username in offered
    assert "invented-name" not in offered and UNKNOWN_USERNAME not in offered


def test_administrators_see_the_accounts_under_attack(
    app: Flask, therapist: User, front_desk: User, admin: User
) -> None:
    for number in range(3):
        bot = PageClient(app.test_client())
        for _ in range(3):
            _sign_in(bot, therapist.username, WRONG, f"192.0.2.{number}")
    _sign_in(PageClient(app.test_client()), "invented-name", WRONG, ATTACKER)
    administrator = PageClient(app.test_client())
    _sign_in(administrator, admin.username, TEST_PASSWORD, COLLEAGUE)
    page = html(administrator.get("/admin/users/"))
    section = page.find("section", attrs={"aria-labelledby": "attacks-heading"})
    assert section is not None
    rows = [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]
        for row in section.select("tbody tr")
    ]
    assert rows[0][:4] == [therapist.username, "9", "0", "3"]
    assert rows[-1][:4] == ["Names that are not accounts", "1", "0", "1"]
    assert all(row[0] != front_desk.username for row in rows)


# The waiting-room tablet ---------------------------------------------------------------


@pytest.fixture
def patient(db_session: Session, front_desk: User) -> Patient:
    return make_patient(db_session, front_desk)


def _code_for(pages: PageClient, patient: Patient) -> str:
    response = pages.post(f"/patients/{patient.public_id}/kiosk-intakes")
    code = html(response).find(class_="kiosk-code")
    assert code is not None
    return code.get_text().strip()


def _enter_code(tablet: PageClient, code: str, address: str = ATTACKER) -> TestResponse:
    return tablet.post("/kiosk/", {"code": code}, environ_base={"REMOTE_ADDR": address})


def test_wrong_tablet_codes_slow_that_tablet_down_and_are_audited_in_aggregate(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    patient: Patient,
    db_session: Session,
    clock: MovableClock,
) -> None:
    tablet = PageClient(app.test_client(), form_page="/kiosk/")
    guesses = [f"ABCD-{n:04d}" for n in range(200)]
    refused_while_waiting = 0
    for guess in guesses:
        page = text_of(_enter_code(tablet, guess))
        if "Wait" in page:
            refused_while_waiting += 1
    # Ten wrong codes are free; then each waits longer, and the clock did not move.
    assert refused_while_waiting == 200 - 10
    entries = db_session.scalars(
        select(AuditEvent.detail).where(AuditEvent.entity_type == "kiosk_code")
    ).all()
    assert entries == [f"10 wrong tablet codes from {ATTACKER} in a row"]

    # Another tablet is not slowed; this one is, even for the right code, until it waits.
    pages.login(front_desk.username)
    code = _code_for(pages, patient)
    assert "Wait" in text_of(_enter_code(tablet, code))
    clock.advance(timedelta(seconds=3))
    other = PageClient(app.test_client(), form_page="/kiosk/")
    opened = _enter_code(other, code, address=COLLEAGUE)
    assert opened.headers["Location"] == "/kiosk/questions/details"


def test_guessing_on_after_each_wait_is_audited_at_each_doubling(
    app: Flask, db_session: Session, clock: MovableClock
) -> None:
    tablet = PageClient(app.test_client(), form_page="/kiosk/")
    for number in range(40):
        _enter_code(tablet, f"WXYZ-{number:04d}")
        clock.advance(timedelta(minutes=5, seconds=1))  # past the longest wait
    details = db_session.scalars(
        select(AuditEvent.detail)
        .where(AuditEvent.entity_type == "kiosk_code")
        .order_by(AuditEvent.id)
    ).all()
    assert [detail.split()[0] for detail in details if detail] == ["10", "20", "40"]
    count = db_session.scalar(select(func.count()).select_from(AuditEvent))
    assert count == 3
    assert AuditAction.FAILED_LOGIN in set(db_session.scalars(select(AuditEvent.action)))
