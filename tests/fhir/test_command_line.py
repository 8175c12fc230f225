"""`clinic fhir export CHART -o FILE`, and the FHIR Bundle in the patient's data export."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from clinic.audit.models import AuditAction, AuditEvent
from clinic.db import make_engine
from clinic.patients.models import Patient
from tests.conftest import Databases
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def demo_database(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = databases.create("clinic_fhir_cli")
    instance = tmp_path_factory.mktemp("fhir-cli")
    run_cli(url, instance, "db", "upgrade")
    run_cli(url, instance, "demo")
    return url


def test_the_command_writes_the_patients_bundle_and_audits_it(
    demo_database: str, tmp_path: Path
) -> None:
    url = demo_database
    engine = make_engine(url)
    with engine.connect() as connection:
        chart, public_id = connection.execute(
            select(Patient.chart_number, Patient.public_id).where(Patient.family_name == "Ellison")
        ).one()
    target = tmp_path / "out" / "record.json"
    result = run_cli(url, tmp_path, "fhir", "export", chart, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "FHIR Bundle of" in result.output
    bundle = json.loads(target.read_text())
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    patient = bundle["entry"][0]["resource"]
    assert patient["id"] == public_id and patient["identifier"][0]["value"] == chart
    assert "RiskAssessment" in {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with engine.connect() as connection:
        exported = connection.execute(
            select(AuditEvent.entity_id, AuditEvent.detail).where(
                AuditEvent.action == AuditAction.EXPORT
            )
        ).all()
    engine.dispose()
    assert public_id in [entity_id for entity_id, _ in exported]
    assert any("FHIR record of" in (detail or "") for _, detail in exported)

    unknown = run_cli(url, tmp_path, "fhir", "export", "00000000", "-o", str(tmp_path / "x"))
    assert unknown.exit_code == 1 and "No patient has that chart number" in unknown.output
    assert not (tmp_path / "x").exists()


def test_the_data_export_zip_holds_the_record_as_a_bundle(
    demo_database: str, tmp_path: Path
) -> None:
    url = demo_database
    engine = make_engine(url)
    with engine.connect() as connection:
        chart = connection.scalar(
            select(Patient.chart_number).where(Patient.family_name == "Nowak")
        )
    engine.dispose()
    target = tmp_path / "export.zip"
    assert run_cli(url, tmp_path, "patient", "export", chart, "-o", str(target)).exit_code == 0
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    bundle = json.loads(archive.read(f"patient-{chart}.fhir.json"))
    Bundle.model_validate(bundle)
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == chart
    assert "HL7 FHIR R4" in archive.read("README.txt").decode()
