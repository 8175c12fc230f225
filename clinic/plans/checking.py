"""The contraindication check of a plan version against its intake, as the database has
it now: the intake's answers, the catalogue versions' safety codes, and the red flags
still awaiting a therapist's decision."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic.catalogue.models import CatalogueItemVersion
from clinic.catalogue.services import CatalogueRow, versions_by_id
from clinic.intake.models import Intake
from clinic.intake.review import open_flags
from clinic.patients.models import Patient
from clinic.plans.contraindications import (
    STOPPING_TIERS,
    CheckResult,
    OpenRedFlag,
    PlanItemFacts,
    check_plan,
)
from clinic.plans.models import (
    Plan,
    PlanItem,
    PlanVersion,
)
from clinic.screening.model import Condition


def _open_red_flags(session: Session, patient: Patient) -> list[OpenRedFlag]:
    """Emergency and urgent results awaiting a decision, with their suspected conditions."""
    return [
        OpenRedFlag(flag.tier, frozenset(Condition(c) for c in flag.result.get("conditions", [])))
        for flag in open_flags(session, patient.public_id)
        if flag.tier in STOPPING_TIERS
    ]


def _facts(item: PlanItem, catalogue: CatalogueItemVersion) -> PlanItemFacts:
    codes = tuple((entry["code"], tuple(entry["areas"])) for entry in catalogue.document["codes"])
    return PlanItemFacts(
        key=str(item.id),
        kind=catalogue.kind,
        area=item.area,
        codes=codes,
        usual_areas=tuple(catalogue.document["regions"]),
    )


def check_version(
    session: Session, plan: Plan, version: PlanVersion
) -> tuple[CheckResult, bool, dict[int, CatalogueRow]]:
    """The contraindication check of ``version`` against the plan's intake, as it is now."""
    intake = session.get_one(Intake, plan.intake_id)
    patient = session.get_one(Patient, plan.patient_id)
    rows = versions_by_id(session, [item.catalogue_version_id for item in version.items])
    flags = _open_red_flags(session, patient)
    facts = [_facts(item, rows[item.catalogue_version_id][1]) for item in version.items]
    return (
        check_plan(facts, intake.answers, open_flags=flags, general_advice=version.general_advice),
        bool(flags),
        rows,
    )
