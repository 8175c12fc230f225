"""The administrators' audit page and its filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.patients.models import Patient
from tests.factories import make_patient, make_submitted_intake
from tests.helpers import PageClient, field_error, html, listings, text_of


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


def test_reading_and_filtering_the_audit_log_is_itself_audited(
    pages: PageClient, admin: User, history: dict[str, str], db_session: Session
) -> None:
    pages.login(admin.username)
    pages.get("/admin/audit/")
    pages.post("/admin/audit/", {"chart_number": history["first"], "action": "view"})
    reads = db_session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "audit_log").order_by(AuditEvent.id)
    ).all()
    assert [read.username for read in reads] == [admin.username] * 2
    assert reads[0].detail == "page 1, 4 entries; no filter"
    assert reads[0].patient_id is None
    patient = db_session.scalar(select(Patient).where(Patient.chart_number == history["first"]))
    assert patient is not None and reads[1].patient_id == patient.id
    assert reads[1].detail == "page 1, 1 entries; filtered by patient, action"
    assert history["first"] not in (reads[1].detail or "")


def test_a_list_view_writes_one_entry_naming_every_patient_it_showed(
    pages: PageClient,
    therapist: User,
    admin: User,
    front_desk: User,
    db_session: Session,
) -> None:
    patients = [make_patient(db_session, front_desk, family_name=f"Queued{n}") for n in range(7)]
    for patient in patients:
        make_submitted_intake(db_session, front_desk, patient)
    before = db_session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    pages.login(therapist.username)
    pages.get("/queue")
    written = db_session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[before:]
    assert [(entry.action, entry.detail) for entry in written] == [
        (AuditAction.LOGIN, None),
        (AuditAction.VIEW, "7 patients listed in review queue"),
    ]
    assert listings(db_session, "review queue") == [{patient.id for patient in patients}]
    # The administrators' patient filter finds the list among that patient's entries.
    administrator = PageClient(pages.client.application.test_client())
    administrator.login(admin.username)
    rows = _rows(administrator.post("/admin/audit/", {"chart_number": patients[3].chart_number}))
    assert [row[6] for row in rows if row[1] == therapist.username] == [
        "7 patients listed in review queue"
    ]
    assert all(row[5] == patients[3].chart_number for row in rows)


def test_starting_a_plan_shows_the_intake_and_is_audited(
    pages: PageClient, therapist: User, front_desk: User, db_session: Session, catalogue: None
) -> None:
    patient = make_patient(db_session, front_desk, family_name="Planned")
    intake_id = make_submitted_intake(db_session, front_desk, patient)
    pages.login(therapist.username)
    assert pages.get(f"/patients/{patient.public_id}/plans/new").status_code == 200
    entry = db_session.scalars(
        select(AuditEvent).where(AuditEvent.detail == "shown to start a plan")
    ).one()
    assert (entry.username, entry.patient_id, entry.entity_id) == (
        therapist.username,
        patient.id,
        intake_id,
    )
