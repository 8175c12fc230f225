"""Every model, imported so ``Base.metadata`` is complete (for Alembic and the tests)."""

from clinic.audit.models import AuditChainHead, AuditEvent
from clinic.auth.models import StaffSession, Throttle, User
from clinic.catalogue.models import (
    CatalogueFacet,
    CatalogueItem,
    CatalogueItemText,
    CatalogueItemVersion,
)
from clinic.db import Base
from clinic.fhir.models import ApiToken
from clinic.handouts.models import HandoutBatch, HandoutIssue, HandoutPdf
from clinic.intake.models import FlagDecision, Intake, KioskCode, ScreeningRecord
from clinic.patients.models import Patient
from clinic.plans.models import Plan, PlanItem, PlanSafetyDecision, PlanTemplate, PlanVersion

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "CatalogueFacet",
    "CatalogueItem",
    "CatalogueItemText",
    "CatalogueItemVersion",
    "FlagDecision",
    "HandoutBatch",
    "HandoutIssue",
    "HandoutPdf",
    "Intake",
    "KioskCode",
    "Patient",
    "Plan",
    "PlanItem",
    "PlanSafetyDecision",
    "PlanTemplate",
    "PlanVersion",
    "ScreeningRecord",
    "StaffSession",
    "Throttle",
    "User",
    "metadata",
]
