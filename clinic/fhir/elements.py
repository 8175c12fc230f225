"""FHIR data types the resources share (references, codings, quantities). Plain Python."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clinic.fhir.vocabulary import UCUM, Code, Naming


def reference(resource_type: str, resource_id: str, display: str | None = None) -> dict[str, Any]:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def named(name: str | None, otherwise: str) -> dict[str, Any]:
    """A person by name only (staff are not exported as resources)."""
    return {"display": name or otherwise}


def coding(naming: Naming, code: Code) -> dict[str, str]:
    system = code.system if "://" in code.system else naming.code_system(code.system)
    return {"system": system, "code": code.code, "display": code.display}


def concept(naming: Naming, code: Code, text: str | None = None) -> dict[str, Any]:
    return {"coding": [coding(naming, code)], "text": text or code.display}


def instant(moment: datetime) -> str:
    return moment.isoformat()


def quantity(value: float, codes_unit: str, codes_unit_code: str) -> dict[str, Any]:
    return {"value": value, "unit": codes_unit, "system": UCUM, "code": codes_unit_code}
