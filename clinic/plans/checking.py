"""The contraindication check of a plan version against its intake, as the database has
it now: the intake's answers, the catalogue versions' safety codes, and the red flags
still awaiting a therapist's decision."""

from __future__ import annotations

from sqlalchemy import inspect, select, true
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from clinic.catalogue.models import CatalogueItemVersion
from clinic.catalogue.services import CatalogueRow, versions_by_id, versions_query
from clinic.intake.models import Intake, ScreeningRecord
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
    """Emergency and urgent results awaiting a decision, with their suspected conditions:
    two columns of the open results of the patient's intakes (the partial index)."""
    return [
        OpenRedFlag(tier, frozenset(Condition(c) for c in conditions or ()))
        for tier, conditions in session.execute(
            select(ScreeningRecord.tier, ScreeningRecord.result["conditions"])
            .join(Intake, Intake.id == ScreeningRecord.intake_id)
            .where(
                Intake.patient_id == patient.id,
                ScreeningRecord.awaiting_decision == true(),
                ScreeningRecord.tier.in_(STOPPING_TIERS),
            )
        )
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


def _items_and_catalogue(
    session: Session, version: PlanVersion
) -> tuple[list[PlanItem], dict[int, CatalogueRow]]:
    """The version's items in order, with the catalogue version, item and text of each:
    one statement when the items are not loaded yet (they are then the version's items,
    as loading them would have made them)."""
    if "items" in inspect(version).dict:  # loaded already (an edit in this request)
        items = list(version.items)
        return items, versions_by_id(session, [item.catalogue_version_id for item in items])
    found = session.execute(
        versions_query(current_only=False)
        .add_columns(PlanItem)
        .join(PlanItem, PlanItem.catalogue_version_id == CatalogueItemVersion.id)
        .where(PlanItem.plan_version_id == version.id)
        .order_by(PlanItem.position)
    ).all()
    items = [item for _, _, _, item in found]
    set_committed_value(version, "items", items)
    return items, {catalogue.id: (entry, catalogue, text) for entry, catalogue, text, _ in found}


def check_version(
    session: Session, plan: Plan, version: PlanVersion
) -> tuple[CheckResult, bool, dict[int, CatalogueRow]]:
    """The contraindication check of ``version`` against the plan's intake, as it is now."""
    intake = session.get_one(Intake, plan.intake_id)
    patient = session.get_one(Patient, plan.patient_id)
    items, rows = _items_and_catalogue(session, version)
    flags = _open_red_flags(session, patient)
    facts = [_facts(item, rows[item.catalogue_version_id][1]) for item in items]
    return (
        check_plan(facts, intake.answers, open_flags=flags, general_advice=version.general_advice),
        bool(flags),
        rows,
    )
