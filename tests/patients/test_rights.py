"""A patient's data rights: the export ZIP (JSON of everything held and a readable PDF),
from the command line and the administrators' page, audited; erasure of a record
registered in error, refused with the reason for a clinical record."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.patients.models import Patient
from tests.conftest import Databases
from tests.factories import make_patient, make_submitted_intake
from tests.helpers import PageClient, field_error, run_cli, text_of


def _open(data: bytes) -> tuple[dict[str, object], str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    document = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    pdf = PdfReader(io.BytesIO(archive.read(next(n for n in names if n.endswith(".pdf")))))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    return document, text


def test_an_administrator_downloads_everything_held_about_a_patient(
    pages: PageClient, admin: User, front_desk: User, therapist: User, db_session: Session
) -> None:
    patient = make_patient(db_session, front_desk, given_name="Erin", family_name="Exported")
    intake_id = make_submitted_intake(db_session, front_desk, patient, measures=None)
    pages.login(therapist.username)
    pages.get(f"/patients/{patient.public_id}")
    pages.post("/logout")
    pages.login(admin.username)
    assert "Patients' data" in text_of(pages.get("/admin/patient-data/"))
    response = pages.post(
        "/admin/patient-data/export", {"export-chart_number": patient.chart_number}
    )
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert patient.chart_number not in response.headers["Content-Disposition"]
    document, summary = _open(response.data)
    assert document["format"] == "clinic-patient-export/1"
    assert document["patient"]["family_name"] == "Exported"  # type: ignore[index]
    assert [i["public_id"] for i in document["intakes"]] == [intake_id]  # type: ignore[union-attr,index]
    assert document["intakes"][0]["answers"]  # type: ignore[index]
    assert len(document["screening_results"]) == 1  # type: ignore[arg-type]
    audit = document["audit_entries"]
    assert any(e["username"] == therapist.username for e in audit)  # type: ignore[union-attr,index]
    assert "code_hash" not in json.dumps(document)
    assert "Your record at" in summary and "Erin Exported" in summary
    assert "Who looked at or changed your record" in summary
    export = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT)
    ).one()
    assert (export.username, export.patient_id) == (admin.username, patient.id)


def test_an_unknown_chart_number_is_shown_next_to_the_field(pages: PageClient, admin: User) -> None:
    pages.login(admin.username)
    response = pages.post("/admin/patient-data/export", {"export-chart_number": "00000000"})
    assert response.status_code == 422
    assert field_error(response, "export-chart_number") == "No patient has that chart number."
    assert 'value="00000000"' in response.get_data(as_text=True)


def test_only_administrators_reach_the_patient_data_page(
    pages: PageClient, therapist: User
) -> None:
    pages.login(therapist.username)
    assert pages.get("/admin/patient-data/").status_code == 403


def test_a_record_registered_in_error_is_erased_and_its_audit_entries_stay(
    pages: PageClient, admin: User, front_desk: User, db_session: Session
) -> None:
    duplicate = make_patient(db_session, front_desk, family_name="Duplicate")
    duplicate_id = duplicate.id
    pages.login(front_desk.username)
    pages.get(f"/patients/{duplicate.public_id}")
    pages.post(f"/patients/{duplicate.public_id}/intakes")  # a draft, never sent
    pages.post("/logout")
    pages.login(admin.username)
    response = pages.post(
        "/admin/patient-data/erase",
        {"erase-chart_number": duplicate.chart_number, "erase-reason": "A duplicate record"},
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Patient, duplicate_id) is None
    kept = db_session.scalars(
        select(AuditEvent.detail).where(AuditEvent.patient_id == duplicate_id)
    ).all()
    assert "record erased: A duplicate record" in kept and len(kept) >= 3


def test_a_clinical_record_cannot_be_erased_and_the_refusal_says_why(
    pages: PageClient, admin: User, front_desk: User, db_session: Session
) -> None:
    patient = make_patient(db_session, front_desk)
    make_submitted_intake(db_session, front_desk, patient)
    pages.login(admin.username)
    response = pages.post(
        "/admin/patient-data/erase",
        {"erase-chart_number": patient.chart_number, "erase-reason": "Patient asked"},
    )
    assert response.status_code == 422
    message = field_error(response, "erase-chart_number") or ""
    assert "clinical record (1 intakes sent, 1 screening results)" in message
    assert "kept for 8 years after the last contact" in message
    assert db_session.scalar(select(func.count()).select_from(Patient)) == 1


def test_the_command_line_export_writes_the_zip(databases: Databases, tmp_path: Path) -> None:
    url = databases.create("clinic_rights_cli")
    run_cli(url, tmp_path, "db", "upgrade")
    run_cli(url, tmp_path, "demo")
    from clinic.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        chart = connection.scalar(select(Patient.chart_number).order_by(Patient.id).limit(1))
    engine.dispose()
    target = tmp_path / "out" / "export.zip"
    result = run_cli(url, tmp_path, "patient", "export", str(chart), "-o", str(target))
    assert result.exit_code == 0, result.output
    document, summary = _open(target.read_bytes())
    assert document["patient"]["chart_number"] == chart  # type: ignore[index]
    assert f"Chart number {chart}" in summary
    refused = run_cli(url, tmp_path, "patient", "erase", str(chart), "--reason", "Asked to")
    assert refused.exit_code != 0 and "has a clinical record" in refused.output
