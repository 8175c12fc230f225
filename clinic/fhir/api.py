"""What the FHIR API says about itself (CapabilityStatement, OpenAPI) and how it reads a
search's parameters. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from clinic.fhir.vocabulary import (
    FHIR_VERSION,
    MEDIA_TYPE,
    PATIENT_EVERYTHING,
    RESOURCE_TYPES,
    Naming,
)

SOFTWARE = "Physiotherapy clinic practice system"
DEFAULT_COUNT, MAX_COUNT = 50, 200
MAX_OFFSET = 10_000_000
JSON_FORMATS = frozenset({"json", MEDIA_TYPE, "application/json"})
COMPARISONS = ("eq", "ne", "ge", "gt", "le", "lt")


class SearchError(ValueError):
    """A search parameter the API cannot use, in words for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UpdatedSince:
    """One ``_lastUpdated`` condition: a comparison ("ge", "lt", ...) with a moment."""

    comparison: str
    moment: datetime


@dataclass(frozen=True)
class PatientSearch:
    # None: any; a chart number matches one patient at most.
    chart_number: str | None = None
    # An identifier of another system: nothing here has one, so nothing matches.
    other_system: bool = False
    last_updated: tuple[UpdatedSince, ...] = ()
    count: int = DEFAULT_COUNT
    offset: int = 0


def _whole(name: str, text: str, low: int, high: int) -> int:
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise SearchError(f"{name} must be a whole number from {low} to {high}.")
    return int(text)


def _moment(text: str) -> tuple[datetime, timedelta]:
    """A FHIR date or dateTime: the moment it starts, and how long it lasts (a day for a
    date, a second or less for a time). Dates and times without a zone are UTC."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time(), tzinfo=UTC), timedelta(days=1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SearchError(
            f"_lastUpdated {text!r} is not a date (2026-11-30) or a date and time "
            "(2026-11-30T09:00:00Z)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC), timedelta(0)


def _updated(value: str) -> list[UpdatedSince]:
    comparison = value[:2] if value[:2] in COMPARISONS else "eq"
    text = value[2:] if value[:2] in COMPARISONS else value
    start, length = _moment(text)
    if not length:
        return [UpdatedSince(comparison, start)]
    end = start + length
    if comparison == "ne":
        raise SearchError("Use ne with a date and time (ne2026-11-30T09:00:00Z), not a day.")
    # A day compares as the range of its moments.
    return {
        "eq": [UpdatedSince("ge", start), UpdatedSince("lt", end)],
        "ge": [UpdatedSince("ge", start)],
        "gt": [UpdatedSince("ge", end)],
        "le": [UpdatedSince("lt", end)],
        "lt": [UpdatedSince("lt", start)],
    }[comparison]


def patient_search(parameters: Iterable[tuple[str, str]], naming: Naming) -> PatientSearch:
    """``GET /fhir/Patient?identifier=...&_lastUpdated=...&_count=...``."""
    chart_number: str | None = None
    other_system = False
    updated: list[UpdatedSince] = []
    count, offset = DEFAULT_COUNT, 0
    for name, value in parameters:
        if name == "identifier":
            system, bar, code = value.rpartition("|")
            if not bar:
                system, code = "", value
            if not code.strip():
                raise SearchError("identifier needs a value: identifier=<system>|<chart number>.")
            if system and system != naming.chart_number_system:
                other_system = True
            chart_number = code.strip()
        elif name == "_lastUpdated":
            updated += _updated(value.strip())
        elif name == "_count":
            count = _whole("_count", value, 1, MAX_COUNT)
        elif name == "_offset":
            offset = _whole("_offset", value, 0, MAX_OFFSET)
        elif name == "_format":
            if value not in JSON_FORMATS:
                raise SearchError("Only JSON is served here: _format=json.")
        else:
            raise SearchError(
                f"{name!r} is not a search parameter of Patient here. Use identifier, "
                "_lastUpdated, _count or _offset."
            )
    return PatientSearch(chart_number, other_system, tuple(updated), count, offset)


def capability_statement(
    naming: Naming, clinic_name: str, software_version: str, now: datetime
) -> dict[str, Any]:
    others = [resource_type for resource_type in RESOURCE_TYPES if resource_type != "Patient"]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": now.isoformat(),
        "publisher": clinic_name,
        "kind": "instance",
        "software": {"name": SOFTWARE, "version": software_version},
        "implementation": {"description": f"{clinic_name}: FHIR API", "url": naming.base_url},
        "fhirVersion": FHIR_VERSION,
        "format": [MEDIA_TYPE, "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read only. Every read is written to the clinic's audit log.",
                "security": {
                    "cors": False,
                    "description": (
                        "Send an API token created by the clinic's administrator as "
                        "'Authorization: Bearer <token>'. A token may read the resource "
                        "types it was given; cookies are not accepted."
                    ),
                },
                "resource": [
                    {
                        "type": "Patient",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {
                                "name": "identifier",
                                "type": "token",
                                "documentation": (
                                    f"The chart number: {naming.chart_number_system}|<number>"
                                ),
                            },
                            {
                                "name": "_lastUpdated",
                                "type": "date",
                                "documentation": "When the patient's details last changed.",
                            },
                        ],
                        "operation": [{"name": "everything", "definition": PATIENT_EVERYTHING}],
                    },
                    *(
                        {
                            "type": resource_type,
                            "documentation": "Read within Patient/[id]/$everything.",
                        }
                        for resource_type in others
                    ),
                ],
            }
        ],
    }


def _response(description: str, schema: str = "Resource") -> dict[str, Any]:
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_ERRORS = {
    "401": _response("No token, or one not known here or revoked", "OperationOutcome"),
    "403": _response("The token may not read this resource type", "OperationOutcome"),
}


def openapi(naming: Naming, software_version: str) -> dict[str, Any]:
    """An OpenAPI 3.0 description of the endpoints (served at /fhir/openapi.json)."""
    patient_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "The patient's FHIR id (random: it says nothing about the patient)",
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9.-]{1,64}$"},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{SOFTWARE}: FHIR R4 API",
            "version": software_version,
            "description": "Read-only FHIR R4 (4.0.1) API. See docs/fhir.md.",
        },
        "servers": [{"url": naming.base_url}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/metadata": {
                "get": {
                    "summary": "The CapabilityStatement",
                    "responses": {"200": _response("CapabilityStatement"), **_ERRORS},
                }
            },
            "/Patient": {
                "get": {
                    "summary": "Search patients by chart number or last update",
                    "parameters": [
                        {
                            "name": "identifier",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": f"{naming.chart_number_system}|<chart number>",
                        },
                        {
                            "name": "_lastUpdated",
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "string"}},
                            "style": "form",
                            "explode": True,
                            "description": "A prefix (eq, ge, gt, le, lt, ne) and a date",
                        },
                        {
                            "name": "_count",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
                        },
                        {
                            "name": "_offset",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
                        },
                    ],
                    "responses": {
                        "200": _response("A searchset Bundle of Patients"),
                        "400": _response("A parameter it cannot use", "OperationOutcome"),
                        **_ERRORS,
                    },
                }
            },
            "/Patient/{id}": {
                "get": {
                    "summary": "One patient",
                    "parameters": [patient_id],
                    "responses": {
                        "200": _response("Patient"),
                        "404": _response("No such patient", "OperationOutcome"),
                        **_ERRORS,
                    },
                }
            },
            "/Patient/{id}/$everything": {
                "get": {
                    "summary": "The patient's whole record, as a collection Bundle",
                    "parameters": [patient_id],
                    "responses": {
                        "200": _response("Bundle"),
                        "404": _response("No such patient", "OperationOutcome"),
                        **_ERRORS,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This description",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.0",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **_ERRORS,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Resource": {
                    "type": "object",
                    "required": ["resourceType"],
                    "properties": {"resourceType": {"type": "string"}},
                },
                "OperationOutcome": {
                    "type": "object",
                    "required": ["resourceType", "issue"],
                    "properties": {
                        "resourceType": {"type": "string", "enum": ["OperationOutcome"]},
                        "issue": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
    }
