"""Finding plans and their versions, and auditing what happens to them: shared by the
plan use cases. Services flush; the request commits once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.catalogue.vocabulary import REGIONS
from clinic.errors import NotFoundError, PermissionDeniedError
from clinic.plans.models import (
    Plan,
    PlanStatus,
    PlanVersion,
)

ENTITY = "plan"
MAX_ITEMS = 30


def find_plan(session: Session, public_id: str) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.public_id == public_id))
    if plan is None:
        raise NotFoundError("There is no plan at this address.")
    return plan


def find_version(session: Session, plan: Plan, number: int | None = None) -> PlanVersion:
    version = session.scalar(
        select(PlanVersion).where(
            PlanVersion.plan_id == plan.id,
            PlanVersion.version == (plan.current_version if number is None else number),
        )
    )
    if version is None:
        raise NotFoundError("This plan has no such version.")
    return version


def audit_plan(
    session: Session,
    actor: Actor,
    plan: Plan,
    detail: str,
    *,
    action: AuditAction = AuditAction.UPDATE,
    entity_type: str = ENTITY,
    entity_id: str | int | None = None,
) -> None:
    """An audit entry about ``plan`` (its patient's record): no clinical detail, only
    what happened to which version, item or decision."""
    record(
        session,
        actor,
        action,
        entity_type=entity_type,
        entity_id=plan.public_id if entity_id is None else entity_id,
        patient_id=plan.patient_id,
        detail=detail,
    )


def staff_id(actor: Actor) -> int:
    """Plans are written by signed-in staff only (never by the command line)."""
    if actor.user_id is None:
        raise PermissionDeniedError("Sign in to change a plan.")
    return actor.user_id


def display_name(user: User | None) -> str:
    return user.display_name if user is not None else ""


def latest_final_number(session: Session, plan: Plan) -> int:
    number = session.scalar(
        select(PlanVersion.version)
        .where(PlanVersion.plan_id == plan.id, PlanVersion.status == PlanStatus.FINAL)
        .order_by(PlanVersion.version.desc())
        .limit(1)
    )
    if number is None:
        raise NotFoundError("This plan has not been finalised yet.")
    return number


def area_choices(usual: list[str]) -> tuple[str, ...]:
    """The item's usual areas first, then every other body area: an item may go on any
    area the patient has, and the check applies there."""
    return (*usual, *(area.value for area in REGIONS if area.value not in usual))
