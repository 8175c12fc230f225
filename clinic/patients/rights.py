"""A patient's data rights: a copy of everything held (GDPR Art. 15, and Art. 20 in a
machine-readable form), and erasure where the law allows it.

Erasure: a record registered in error, holding no clinical record (no intake sent, no
screening result, no plan), may be erased. Its audit entries stay (the audit log is
append-only and hash-chained); they keep the record's number, which then refers to
nobody, since patient ids are never reused. A patient with a clinical record is refused
with the reason: clinical records are kept for the clinic's retention period after the
last contact (CLINIC_RECORD_RETENTION_YEARS, 8 by default, the NHS records-management
code's period for adult health records).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, inspect, or_, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.errors import ConflictError, NotFoundError
from clinic.fhir.record import export_bundle
from clinic.fhir.vocabulary import Naming
from clinic.handouts.models import HandoutIssue, HandoutPdf
from clinic.intake.models import (
    EmergencyAcknowledgement,
    FlagDecision,
    Intake,
    IntakeStatus,
    KioskCode,
    ScreeningRecord,
)
from clinic.patients.models import Patient, PatientNameToken
from clinic.patients.services import audit_patient
from clinic.plans.models import Plan, PlanItem, PlanSafetyDecision, PlanVersion

FORMAT = "clinic-patient-export/1"
# Columns never handed out: secrets and internal bookkeeping, not data about the patient.
WITHHELD = {"code_hash", "search_name", "version", "entry_hash", "previous_hash", "sequence"}


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, dict | list):
        return value.value  # enums
    return value


def _row(entity: Any) -> dict[str, Any]:
    columns = inspect(entity).mapper.column_attrs
    return {
        column.key: _value(getattr(entity, column.key))
        for column in columns
        if column.key not in WITHHELD
    }


def _patient_by_chart(session: Session, chart_number: str) -> Patient:
    patient = session.scalar(select(Patient).where(Patient.chart_number == chart_number.strip()))
    if patient is None:
        raise NotFoundError("No patient has that chart number.")
    return patient


@dataclass(frozen=True)
class PatientExport:
    chart_number: str
    document: dict[str, Any]
    # The handouts given to the patient, byte for byte, by file name.
    handouts: dict[str, bytes] = field(default_factory=dict)
    # The same record as a FHIR R4 Bundle (type collection), for another system to read.
    fhir_bundle: dict[str, Any] | None = None

    def json_bytes(self) -> bytes:
        return json.dumps(self.document, indent=2, sort_keys=True, ensure_ascii=False).encode()

    def fhir_bytes(self) -> bytes:
        return json.dumps(self.fhir_bundle, indent=2, ensure_ascii=False).encode()


def collect(
    session: Session, actor: Actor, chart_number: str, now: datetime, naming: Naming
) -> PatientExport:
    """Everything held about the patient, as one JSON-ready document and as a FHIR Bundle.
    Audited (EXPORT)."""
    patient = _patient_by_chart(session, chart_number)
    fhir_bundle = export_bundle(session, naming, patient, now)
    intakes = session.scalars(
        select(Intake).where(Intake.patient_id == patient.id).order_by(Intake.id)
    ).all()
    intake_ids = [intake.id for intake in intakes]
    screenings = session.scalars(
        select(ScreeningRecord)
        .where(ScreeningRecord.intake_id.in_(intake_ids))
        .order_by(ScreeningRecord.id)
    ).all()
    screening_ids = [screening.id for screening in screenings]
    decisions = session.scalars(
        select(FlagDecision)
        .where(FlagDecision.screening_id.in_(screening_ids))
        .order_by(FlagDecision.id)
    ).all()
    acknowledgements = session.scalars(
        select(EmergencyAcknowledgement)
        .where(EmergencyAcknowledgement.intake_id.in_(intake_ids))
        .order_by(EmergencyAcknowledgement.id)
    ).all()
    plans = session.scalars(
        select(Plan).where(Plan.patient_id == patient.id).order_by(Plan.id)
    ).all()
    versions = session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_id.in_([plan.id for plan in plans]))
        .order_by(PlanVersion.plan_id, PlanVersion.version)
    ).all()
    version_ids = [version.id for version in versions]
    items = session.scalars(
        select(PlanItem)
        .where(PlanItem.plan_version_id.in_(version_ids))
        .order_by(PlanItem.plan_version_id, PlanItem.position)
    ).all()
    safety = session.scalars(
        select(PlanSafetyDecision)
        .where(PlanSafetyDecision.plan_version_id.in_(version_ids))
        .order_by(PlanSafetyDecision.id)
    ).all()
    issued = session.execute(
        select(HandoutIssue, HandoutPdf)
        .join(HandoutPdf, HandoutPdf.id == HandoutIssue.handout_pdf_id)
        .where(HandoutIssue.patient_id == patient.id)
        .order_by(HandoutIssue.id)
    ).all()
    handouts = {f"handouts/issued-handout-{issue.id}.pdf": pdf.pdf for issue, pdf in issued}
    audit = session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.patient_id == patient.id,
                AuditEvent.patient_ids.contains(f",{patient.id},", autoescape=True),
            )
        )
        .order_by(AuditEvent.id)
    ).all()
    staff_ids = {
        value
        for entity in (
            *intakes,
            *screenings,
            *decisions,
            *acknowledgements,
            *plans,
            *versions,
            *(issue for issue, _ in issued),
        )
        for key, value in _row(entity).items()
        if key.endswith("_by_id") and isinstance(value, int)
    } | {patient.created_by_id, patient.updated_by_id}
    staff = {
        str(user.id): {"name": user.display_name, "role": user.role.label}
        for user in session.scalars(select(User).where(User.id.in_(staff_ids)))
    }
    document = {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "patient": _row(patient),
        "intakes": [_row(intake) for intake in intakes],
        "screening_results": [_row(screening) for screening in screenings],
        "flag_decisions": [_row(decision) for decision in decisions],
        "emergency_acknowledgements": [_row(ack) for ack in acknowledgements],
        "plans": [_row(plan) for plan in plans],
        "plan_versions": [_row(version) for version in versions],
        "plan_items": [_row(item) for item in items],
        "plan_safety_decisions": [_row(decision) for decision in safety],
        "handouts_given": [
            {
                **_row(issue),
                "file": f"handouts/issued-handout-{issue.id}.pdf",
                "handout": {k: v for k, v in _row(pdf).items() if k != "pdf"},
            }
            for issue, pdf in issued
        ],
        "audit_entries": [
            {key: value for key, value in _row(entry).items() if key != "patient_ids"}
            for entry in audit
        ],
        "staff": staff,
    }
    audit_patient(
        session,
        actor,
        AuditAction.EXPORT,
        patient,
        "data held, exported for the patient (GDPR Art. 15/20)",
    )
    return PatientExport(patient.chart_number, document, handouts, fhir_bundle)


def write_zip(export: PatientExport, summary_pdf: bytes) -> bytes:
    """The ZIP handed to the patient: the JSON document and the readable summary."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"patient-{export.chart_number}.json", export.json_bytes())
        archive.writestr(f"patient-{export.chart_number}-summary.pdf", summary_pdf)
        if export.fhir_bundle is not None:
            archive.writestr(f"patient-{export.chart_number}.fhir.json", export.fhir_bytes())
        for name, pdf in export.handouts.items():
            archive.writestr(name, pdf)
        archive.writestr(
            "README.txt",
            "Everything this clinic's practice system holds about you.\n\n"
            f"patient-{export.chart_number}.json: the complete record, machine-readable "
            f"({FORMAT}).\n"
            f"patient-{export.chart_number}-summary.pdf: the same, to read.\n"
            f"patient-{export.chart_number}.fhir.json: the clinical record as HL7 FHIR R4 "
            "(a Bundle), which other health records can read.\n"
            "handouts/: each handout you were given, exactly as printed.\n",
        )
    return buffer.getvalue()


# Erasure --------------------------------------------------------------------------------


def clinical_record_counts(session: Session, patient_id: int) -> dict[str, int]:
    """What makes this a clinical record: intakes sent, screening results, plans."""
    sent = session.scalar(
        select(func.count())
        .select_from(Intake)
        .where(Intake.patient_id == patient_id, Intake.status != IntakeStatus.DRAFT)
    )
    screened = session.scalar(
        select(func.count())
        .select_from(ScreeningRecord)
        .join(Intake, Intake.id == ScreeningRecord.intake_id)
        .where(Intake.patient_id == patient_id)
    )
    planned = session.scalar(
        select(func.count()).select_from(Plan).where(Plan.patient_id == patient_id)
    )
    return {"intakes sent": sent or 0, "screening results": screened or 0, "plans": planned or 0}


def erase(
    session: Session, actor: Actor, chart_number: str, reason: str, retention_years: int
) -> None:
    """Erase a record registered in error. Refused, with the reason, when the patient has a
    clinical record."""
    reason = reason.strip()
    if len(reason) < 5:
        raise ConflictError("Give the reason for erasing this record (for example: a duplicate).")
    patient = _patient_by_chart(session, chart_number)
    held = {
        name: count for name, count in clinical_record_counts(session, patient.id).items() if count
    }
    if held:
        what = ", ".join(f"{count} {name}" for name, count in held.items())
        raise ConflictError(
            f"This patient has a clinical record ({what}). Clinical records are kept for "
            f"{retention_years} years after the last contact and cannot be erased; "
            "correct the record instead, or note the patient's objection on it."
        )
    drafts = select(Intake.id).where(Intake.patient_id == patient.id).scalar_subquery()
    session.execute(delete(KioskCode).where(KioskCode.intake_id.in_(drafts)))
    session.execute(delete(Intake).where(Intake.patient_id == patient.id))
    session.execute(delete(PatientNameToken).where(PatientNameToken.patient_id == patient.id))
    audit_patient(session, actor, AuditAction.UPDATE, patient, f"record erased: {reason[:150]}")
    session.delete(patient)
    session.flush()
