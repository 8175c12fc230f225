"""What a handout needs of a plan: its latest finalised version, checked again against
the intake; and the finalised plans to print in a batch."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from clinic.audit.services import record_listing
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.catalogue.vocabulary import Kind, Setting
from clinic.errors import NotFoundError
from clinic.intake.models import Intake
from clinic.intake.review import has_open_flag
from clinic.patients.models import Patient
from clinic.plans.checking import check_version
from clinic.plans.contraindications import STOPPING_TIERS
from clinic.plans.models import (
    Plan,
    PlanSafetyDecision,
    PlanStatus,
    PlanVersion,
)
from clinic.plans.records import display_name, find_plan, find_version, latest_final_number
from clinic.screening.engine import patient_regions


@dataclass(frozen=True)
class PrintableItem:
    title: str
    kind: Kind
    summary: str
    steps: tuple[str, ...]
    safety_cues: tuple[str, ...]
    dosage: dict[str, Any]
    notes: str
    illustration_svg: str | None
    illustration_alt: str
    area: str | None
    setting: Setting


@dataclass(frozen=True)
class PrintableVersion:
    plan_public_id: str
    patient_id: int
    patient_name: str
    large_print_handouts: bool
    title: str
    version_id: int
    version: int
    finalised_at: datetime
    general_advice: str
    review_date: date | None
    finalised_by: str
    items: tuple[PrintableItem, ...]
    answers: dict[str, Any]
    regions: frozenset[str]
    # Problems the check finds now that were not decided at finalising.
    unresolved: tuple[str, ...]


def printable_version(session: Session, public_id: str) -> PrintableVersion:
    """The latest finalised version of a plan, with everything a handout needs, checked
    again against the patient's intake as it is now."""
    plan = find_plan(session, public_id)
    version = find_version(session, plan, latest_final_number(session, plan))
    patient = session.get_one(Patient, plan.patient_id)
    intake = session.get_one(Intake, plan.intake_id)
    check, red_flag, rows = check_version(session, plan, version)
    decided = {
        (catalogue_version_id, code)
        for catalogue_version_id, code in session.execute(
            select(PlanSafetyDecision.catalogue_version_id, PlanSafetyDecision.code).where(
                PlanSafetyDecision.plan_version_id == version.id
            )
        )
    }
    by_id = {item.id: item for item in version.items}
    unresolved = []
    if red_flag:
        unresolved.append("a red flag is awaiting a therapist's decision")
    for finding in check.findings:
        item = by_id[int(finding.item_key)]
        if (item.catalogue_version_id, finding.code) not in decided:
            title = rows[item.catalogue_version_id][2].title
            unresolved.append(f"{title}: {finding.label.lower()} (new since finalising)")
    unresolved.extend(f"the general advice recommends {finding.label}" for finding in check.advice)
    items = []
    for item in version.items:
        _, catalogue, text = rows[item.catalogue_version_id]
        items.append(
            PrintableItem(
                title=text.title,
                kind=catalogue.kind,
                summary=text.summary,
                steps=tuple(text.steps),
                safety_cues=tuple(text.safety_cues),
                dosage=item.dosage,
                notes=item.notes,
                illustration_svg=catalogue.illustration_svg,
                illustration_alt=text.illustration_alt,
                area=item.area,
                setting=item.setting,
            )
        )
    finaliser = session.get(User, version.finalised_by_id) if version.finalised_by_id else None
    return PrintableVersion(
        plan_public_id=plan.public_id,
        patient_id=patient.id,
        patient_name=patient.full_name,
        large_print_handouts=patient.large_print_handouts,
        title=version.title,
        version_id=version.id,
        version=version.version,
        finalised_at=version.finalised_at or version.updated_at,
        general_advice=version.general_advice,
        review_date=version.review_date,
        finalised_by=display_name(finaliser),
        items=tuple(items),
        answers=dict(intake.answers),
        regions=frozenset(region.value for region in patient_regions(intake.answers)),
        unresolved=tuple(unresolved),
    )


@dataclass(frozen=True)
class PrintFacts:
    """What decides whether an archived handout is still the one to give: read in one
    statement (``print_facts``). The findings of the contraindication check depend on the
    plan version (frozen once finalised) and the intake's answers (frozen once sent), both
    here, and on the red flags awaiting a decision (``stopping_flag_open``)."""

    plan_public_id: str
    patient_id: int
    patient_name: str
    large_print_handouts: bool
    version_id: int
    version: int
    finalised_at: datetime
    finalised_by: str
    answers: dict[str, Any]


@functools.cache
def _print_facts_statement() -> Select[Any]:
    """Built once with a parameter: every print asks it (building costs more than running)."""
    latest = (
        select(func.max(PlanVersion.version))
        .where(PlanVersion.plan_id == Plan.id, PlanVersion.status == PlanStatus.FINAL)
        .correlate(Plan)
        .scalar_subquery()
    )
    return (
        select(
            Plan.patient_id,
            Patient.given_name,
            Patient.family_name,
            Patient.large_print_handouts,
            PlanVersion.id,
            PlanVersion.version,
            PlanVersion.finalised_at,
            User.display_name,
            Intake.answers,
        )
        .join(PlanVersion, (PlanVersion.plan_id == Plan.id) & (PlanVersion.version == latest))
        .join(Patient, Patient.id == Plan.patient_id)
        .join(Intake, Intake.id == Plan.intake_id)
        .outerjoin(User, User.id == PlanVersion.finalised_by_id)
        .where(Plan.public_id == bindparam("public_id"))
    )


def print_facts(session: Session, public_id: str) -> PrintFacts:
    """The plan's latest finalised version and what its handout is made of, in one query."""
    row = session.execute(_print_facts_statement(), {"public_id": public_id}).one_or_none()
    if row is None:
        find_plan(session, public_id)  # no such plan: NotFoundError
        raise NotFoundError("This plan has not been finalised yet.")
    patient_id, given, family, large_print, version_id, number, finalised_at, by, answers = row
    return PrintFacts(
        plan_public_id=public_id,
        patient_id=patient_id,
        patient_name=f"{given} {family}",
        large_print_handouts=large_print,
        version_id=version_id,
        version=number,
        finalised_at=finalised_at,
        finalised_by=by or "",
        answers=dict(answers),
    )


def stopping_flag_open(session: Session, patient_id: int) -> bool:
    """Whether an EMERGENCY or URGENT result of the patient awaits a decision: one query."""
    return has_open_flag(session, patient_id, STOPPING_TIERS)


@dataclass(frozen=True)
class FinalisedPlan:
    public_id: str
    patient_name: str
    chart_number: str
    title: str
    version: int
    finalised_at: datetime
    large_print_handouts: bool


def finalised_plans(session: Session, actor: Actor, limit: int = 50) -> list[FinalisedPlan]:
    """The most recently finalised plan versions, for printing handouts in a batch.
    Listing patients is a read of their records: one audit entry names them all."""
    rows = session.execute(
        select(Plan, PlanVersion, Patient)
        .join(
            PlanVersion,
            (PlanVersion.plan_id == Plan.id) & (PlanVersion.status == PlanStatus.FINAL),
        )
        .join(Patient, Patient.id == Plan.patient_id)
        .order_by(PlanVersion.finalised_at.desc())
        .limit(limit)
    ).all()
    listed = []
    seen: set[int] = set()
    for plan, version, patient in rows:
        if plan.id in seen:
            continue  # the newest finalised version of each plan only
        seen.add(plan.id)
        listed.append(
            FinalisedPlan(
                public_id=plan.public_id,
                patient_name=patient.full_name,
                chart_number=patient.chart_number,
                title=version.title,
                version=version.version,
                finalised_at=version.finalised_at or version.updated_at,
                large_print_handouts=patient.large_print_handouts,
            )
        )
    record_listing(session, actor, "plan", {p.patient_id for p, _v, _pt in rows}, "printing")
    return listed
