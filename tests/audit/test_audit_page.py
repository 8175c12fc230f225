"""The administrators' audit page and its filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.auth.models import User
from tests.factories import make_patient
from tests.helpers import PageClient, field_error, html, text_of


@pytest.fixture
def history(db_session: Session, front_desk: User, therapist: User) -> dict[str, str]:
    """Some entries: the front desk registers and views a patient, a therapist views another."""
    first = make_patient(db_session, front_desk, family_name="Audited")
    second = make_patient(db_session, front_desk, family_name="Other")
    desk = Actor(front_desk.id, front_desk.username, front_desk.role)
    physio = Actor(therapist.id, therapist.username, therapist.role)
    record(
        db_session,
        desk,
        AuditAction.CREATE,
        entity_type="patient",
        entity_id=first.public_id,
        patient_id=first.id,
    )
    record(
        db_session,
        desk,
        AuditAction.VIEW,
        entity_type="patient",
        entity_id=first.public_id,
        patient_id=first.id,
    )
    record(
        db_session,
        physio,
        AuditAction.VIEW,
        entity_type="patient",
        entity_id=second.public_id,
        patient_id=second.id,
    )
    return {"first": first.chart_number, "second": second.chart_number}


def _rows(response: object) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in html(response).select("tbody tr")
    ]  # type: ignore[arg-type]


def test_the_audit_page_lists_entries_newest_first(
    pages: PageClient, admin: User, history: dict[str, str]
) -> None:
    pages.login(admin.username)
    rows = _rows(pages.get("/admin/audit/"))
    actions = [row[3] for row in rows]
    assert actions[:4] == ["Login", "View", "View", "Create"]


def test_filtering_by_patient_chart_number(
    pages: PageClient, admin: User, history: dict[str, str]
) -> None:
    pages.login(admin.username)
    rows = _rows(pages.post("/admin/audit/", {"chart_number": history["first"]}))
    assert [row[3] for row in rows] == ["View", "Create"]
    assert {row[5] for row in rows} == {history["first"]}


def test_filtering_by_user_and_action(
    pages: PageClient, admin: User, therapist: User, history: dict[str, str]
) -> None:
    pages.login(admin.username)
    rows = _rows(pages.post("/admin/audit/", {"username": therapist.username, "action": "view"}))
    assert [(row[1], row[3], row[5]) for row in rows] == [
        (therapist.username, "View", history["second"])
    ]


def test_filtering_by_date_range(pages: PageClient, admin: User, history: dict[str, str]) -> None:
    pages.login(admin.username)
    today = date.today()
    in_range = _rows(
        pages.post(
            "/admin/audit/",
            {
                "date_from": (today - timedelta(days=1)).isoformat(),
                "date_to": (today + timedelta(days=1)).isoformat(),
            },
        )
    )
    long_ago = pages.post("/admin/audit/", {"date_from": "2001-01-01", "date_to": "2001-12-31"})
    assert len(in_range) >= 4
    assert "0 entries" in text_of(long_ago)


def test_an_unknown_chart_number_and_a_backwards_range_are_explained(
    pages: PageClient, admin: User
) -> None:
    pages.login(admin.username)
    unknown = pages.post("/admin/audit/", {"chart_number": "99999999"})
    backwards = pages.post("/admin/audit/", {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert field_error(unknown, "chart_number") == "No patient has that chart number"
    assert field_error(backwards, "date_to") == "To date must be the same as or after the from date"
