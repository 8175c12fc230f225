"""The clinical core imports neither Flask nor SQLAlchemy (house style, principle 2)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE_MODULES = [
    "clinic.screening",
    "clinic.screening.catalogue",
    "clinic.screening.answers",
    "clinic.measures",
    "clinic.measures.wording",
    "clinic.patients.matching",
    "clinic.catalogue.content",
    "clinic.catalogue.cues",
    "clinic.catalogue.dosage",
    "clinic.catalogue.figures",
    "clinic.catalogue.files",
    "clinic.catalogue.safety",
    "clinic.catalogue.search",
    "clinic.catalogue.svg",
    "clinic.catalogue.vocabulary",
    "clinic.fhir.api",
    "clinic.fhir.care",
    "clinic.fhir.elements",
    "clinic.fhir.questionnaire",
    "clinic.fhir.resources",
    "clinic.fhir.risk",
    "clinic.fhir.vocabulary",
    "clinic.handouts.content",
    "clinic.plans.contraindications",
    "clinic.plans.templates_data",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_clinical_module_imports_no_web_or_database_framework(module: str) -> None:
    # A fresh interpreter, so nothing imported by other tests can hide an import.
    frameworks = "{'flask', 'sqlalchemy', 'werkzeug', 'wtforms'}"
    check = (
        f"import sys, {module}; "
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {frameworks})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"
