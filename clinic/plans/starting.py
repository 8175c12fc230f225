"""Starting a plan from the patient's latest intake, blank or from a template that suits
their regions and STarT Back risk."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.catalogue.services import version_for_new_plan
from clinic.errors import ConflictError, FieldError, NotFoundError
from clinic.intake.models import Intake, IntakeStatus
from clinic.measures.registry import score as score_measure
from clinic.patients.models import Patient
from clinic.patients.services import find_patient
from clinic.plans.editing import append_item, audit_warnings, patient_areas
from clinic.plans.models import (
    Plan,
    PlanStatus,
    PlanTemplate,
    PlanVersion,
)
from clinic.plans.records import audit_plan, staff_id
from clinic.screening.engine import patient_regions


@dataclass(frozen=True)
class TemplateChoice:
    id: int
    name: str
    description: str
    suggested: bool


def startback_risk(measures: Mapping[str, Any]) -> str | None:
    responses = measures.get("startback")
    if not responses:
        return None
    result = score_measure("startback", responses, band_when_determined=True)
    return result.band if result.scorable or result.band else None


def template_choices(session: Session, intake: Intake) -> list[TemplateChoice]:
    """Active templates, those suiting the intake's regions and STarT Back risk first."""
    regions = {region.value for region in patient_regions(intake.answers)}
    risk = startback_risk(intake.measures)
    choices = []
    for template in session.scalars(
        select(PlanTemplate).where(PlanTemplate.active.is_(True)).order_by(PlanTemplate.name)
    ):
        suits_region = bool(set(template.regions) & regions)
        suits_risk = not template.risks or risk is None or risk in template.risks
        choices.append(
            TemplateChoice(
                template.id, template.name, template.description, suits_region and suits_risk
            )
        )
    return sorted(choices, key=lambda choice: not choice.suggested)


def latest_intake(session: Session, patient: Patient) -> Intake:
    intake = session.scalar(
        select(Intake)
        .where(Intake.patient_id == patient.id, Intake.status == IntakeStatus.SUBMITTED)
        .order_by(Intake.submitted_at.desc(), Intake.id.desc())
        .limit(1)
    )
    if intake is None:
        raise ConflictError("Take the patient's intake before starting a plan.")
    return intake


def intake_for_new_plan(session: Session, actor: Actor, patient_public_id: str) -> Intake:
    """The intake a new plan starts from. The start page shows its risk group and pain
    regions: a read of the patient's record, audited."""
    intake = latest_intake(session, find_patient(session, patient_public_id))
    record(
        session,
        actor,
        AuditAction.VIEW,
        entity_type="intake",
        entity_id=intake.public_id,
        patient_id=intake.patient_id,
        detail="shown to start a plan",
    )
    return intake


def create_plan(
    session: Session, actor: Actor, patient_public_id: str, template_id: int | None
) -> str:
    """A new draft plan from the patient's latest submitted intake, optionally filled
    from a template. Returns the plan's public id."""
    patient = find_patient(session, patient_public_id)
    intake = latest_intake(session, patient)
    template = session.get(PlanTemplate, template_id) if template_id else None
    if template_id and (template is None or not template.active):
        raise FieldError("template", "Choose one of the templates shown")
    plan = Plan(
        public_id=uuid.uuid4().hex,
        patient_id=patient.id,
        intake_id=intake.id,
        created_by_id=staff_id(actor),
    )
    session.add(plan)
    session.flush()
    version = PlanVersion(
        plan_id=plan.id,
        version=1,
        status=PlanStatus.DRAFT,
        title=template.name if template else "Treatment plan",
        general_advice=template.general_advice if template else "",
        template_id=template.id if template else None,
        created_by_id=staff_id(actor),
        updated_by_id=staff_id(actor),
    )
    session.add(version)
    session.flush()
    if template is not None:
        areas = patient_areas(intake.answers)
        for entry in template.items:
            try:
                catalogue = version_for_new_plan(session, entry["slug"])
            except (NotFoundError, FieldError):
                continue  # retired or removed since the template was written
            append_item(session, version, catalogue, entry.get("area"), areas)
    audit_plan(
        session,
        actor,
        plan,
        f"from template {template.id}" if template else "blank",
        action=AuditAction.CREATE,
    )
    audit_warnings(session, actor, plan, version, [item.id for item in version.items])
    return plan.public_id
