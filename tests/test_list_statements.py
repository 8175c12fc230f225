"""Every list pages, and a page of a list costs the same number of statements however
long the list is: counted on the database connection for a request with a short list
and with a list of several pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.intake.review import QUEUE_PAGE_SIZE
from clinic.plans.reading import HISTORY_PAGE_SIZE
from tests.factories import add_final_versions, make_patient, make_submitted_intake
from tests.helpers import PageClient, html
from tests.patients.test_pages import search
from tests.plans.test_plan_pages import _patient, _start


@contextmanager
def statements(connection: Connection) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _cost(connection: Connection, get: Callable[[], Any]) -> int:
    with statements(connection) as seen:
        response = get()
    assert response.status_code == 200, response.status_code
    return len(seen)


def test_the_queue_costs_the_same_statements_for_3_results_or_several_pages(
    as_therapist: PageClient, connection: Connection, db_session: Session, front_desk: User
) -> None:
    for _ in range(3):
        make_submitted_intake(db_session, front_desk, make_patient(db_session, front_desk))
    short = _cost(connection, lambda: as_therapist.get("/queue"))
    for _ in range(2 * QUEUE_PAGE_SIZE):
        make_submitted_intake(db_session, front_desk, make_patient(db_session, front_desk))
    first = _cost(connection, lambda: as_therapist.get("/queue"))
    last = _cost(connection, lambda: as_therapist.get("/queue?page=3"))
    page = html(as_therapist.get("/queue?page=3"))
    assert len(page.select("tbody tr")) == 3  # 53 results: 25, 25 and 3
    assert short == first == last
    # An old link past the end shows the last page.
    beyond = html(as_therapist.get("/queue?page=99"))
    assert len(beyond.select("tbody tr")) == 3 and "Page 3 of 3" in beyond.get_text(" ")


def test_a_patient_search_costs_the_same_statements_for_2_patients_or_several_pages(
    app: Flask,
    as_therapist: PageClient,
    connection: Connection,
    db_session: Session,
    front_desk: User,
) -> None:
    for number in range(2):
        make_patient(db_session, front_desk, given_name=f"A{number}", family_name="Fewfold")
    for number in range(3 * app.config["PAGE_SIZE"]):
        make_patient(db_session, front_desk, given_name=f"B{number}", family_name="Lotsfold")
    few = search(as_therapist, {"text": "fewfold"}).request.path
    lots = search(as_therapist, {"text": "lotsfold"}).request.path
    short = _cost(connection, lambda: as_therapist.get(few))
    long = _cost(connection, lambda: as_therapist.get(lots))
    later = _cost(connection, lambda: as_therapist.get(f"{lots}?page=2"))
    assert short == long == later


def test_the_audit_page_costs_the_same_statements_for_a_few_entries_or_many(
    app: Flask, connection: Connection, db_session: Session, admin: User
) -> None:
    client = PageClient(app.test_client())
    client.login(admin.username)
    short = _cost(connection, lambda: client.get("/admin/audit/"))
    system = Actor(None, "system", None)
    for number in range(3 * app.config["PAGE_SIZE"]):
        record(db_session, system, AuditAction.VIEW, entity_type="bench", entity_id=number)
    db_session.flush()
    long = _cost(connection, lambda: client.get("/admin/audit/"))
    assert short == long


def test_the_plan_page_costs_the_same_statements_for_2_versions_or_several_pages(
    as_therapist: PageClient, connection: Connection, db_session: Session, front_desk: User
) -> None:
    plan_id = _start(as_therapist, db_session, _patient(db_session, front_desk))
    add_final_versions(db_session, plan_id, 2)
    short = _cost(connection, lambda: as_therapist.get(f"/plans/{plan_id}"))
    add_final_versions(db_session, plan_id, 3 * HISTORY_PAGE_SIZE)
    long = _cost(connection, lambda: as_therapist.get(f"/plans/{plan_id}"))
    older = _cost(connection, lambda: as_therapist.get(f"/plans/{plan_id}?versions=3"))
    assert len(
        html(as_therapist.get(f"/plans/{plan_id}?versions=3")).select(".version-list li")
    ) == (HISTORY_PAGE_SIZE)
    assert short == long == older
