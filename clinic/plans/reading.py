"""Reading a plan: one version with its check, decisions and history; a patient's plans.
Every read is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from clinic.audit.models import AuditAction
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.catalogue.content import LANGUAGE
from clinic.catalogue.models import CatalogueItem, CatalogueItemText
from clinic.catalogue.safety import CODES, SafetyCode
from clinic.catalogue.vocabulary import Kind, Setting
from clinic.errors import NotFoundError
from clinic.intake.models import Intake
from clinic.pagination import Page, paginate
from clinic.patients.models import Patient
from clinic.patients.services import find_patient
from clinic.plans.checking import check_version
from clinic.plans.contraindications import (
    CheckResult,
    Finding,
)
from clinic.plans.models import (
    Plan,
    PlanSafetyDecision,
    PlanStatus,
    PlanVersion,
    SafetyDecisionKind,
)
from clinic.plans.records import (
    area_choices,
    audit_plan,
    display_name,
    find_plan,
    find_version,
    latest_final_number,
)


@dataclass(frozen=True)
class PlanItemView:
    id: int
    position: int
    slug: str
    title: str
    kind: Kind
    catalogue_version: int
    latest_catalogue_version: int
    retired: bool
    area: str | None
    area_choices: tuple[str, ...]
    dosage: dict[str, Any]
    default_dosage: dict[str, Any]
    notes: str
    setting: Setting
    has_illustration: bool
    findings: tuple[Finding, ...]
    unchecked: tuple[SafetyCode, ...]


@dataclass(frozen=True)
class DecisionView:
    item_title: str
    code: str
    kind: SafetyDecisionKind
    reason: str
    decided_by: str
    decided_at: datetime


HISTORY_PAGE_SIZE = 10


@dataclass(frozen=True)
class VersionEntry:
    version: int
    status: PlanStatus
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class PlanView:
    public_id: str
    patient_public_id: str
    # The intake the plan was built from (the contraindication check reads it).
    intake_public_id: str
    patient_name: str
    chart_number: str
    large_print_handouts: bool
    version: int
    current_version: int
    status: PlanStatus
    title: str
    general_advice: str
    review_date: date | None
    edit_count: int
    items: tuple[PlanItemView, ...]
    check: CheckResult
    red_flag_open: bool
    decisions: tuple[DecisionView, ...]
    # The newest versions first, a page at a time (a plan may have hundreds).
    history: Page[VersionEntry]
    has_final: bool
    updated_by: str
    updated_at: datetime
    finalised_by: str | None
    finalised_at: datetime | None

    @property
    def is_current(self) -> bool:
        return self.version == self.current_version

    @property
    def is_draft(self) -> bool:
        return self.status is PlanStatus.DRAFT


def plan_view(
    session: Session,
    actor: Actor,
    public_id: str,
    version: int | None = None,
    *,
    audit: bool = True,
    history_page: int = 1,
) -> PlanView:
    """One version of a plan (the current one by default), checked against the intake.
    Front desk staff see finalised versions only."""
    plan = find_plan(session, public_id)
    if actor.role is Role.FRONT_DESK and version is None:
        version = latest_final_number(session, plan)
    row = find_version(session, plan, version)
    if actor.role is Role.FRONT_DESK and row.status is not PlanStatus.FINAL:
        raise NotFoundError("This plan has not been finalised yet.")
    patient = session.get_one(Patient, plan.patient_id)
    check, red_flag, rows = check_version(session, plan, row)
    latest = dict(
        session.execute(
            select(CatalogueItem.id, CatalogueItem.current_version).where(
                CatalogueItem.id.in_([item.id for item, _, _ in rows.values()])
            )
        ).all()
    )
    items = []
    for entry in row.items:
        catalogue_item, catalogue, text = rows[entry.catalogue_version_id]
        items.append(
            PlanItemView(
                id=entry.id,
                position=entry.position,
                slug=catalogue_item.slug,
                title=text.title,
                kind=catalogue.kind,
                catalogue_version=catalogue.version,
                latest_catalogue_version=latest[catalogue_item.id],
                retired=catalogue_item.retired_at is not None,
                area=entry.area,
                area_choices=area_choices(catalogue.document["regions"]),
                dosage=entry.dosage,
                default_dosage=catalogue.document["dosage"],
                notes=entry.notes,
                setting=entry.setting,
                has_illustration=catalogue.illustration_svg is not None,
                findings=check.for_item(str(entry.id)),
                unchecked=tuple(CODES[code] for code in check.unchecked.get(str(entry.id), ())),
            )
        )
    decided_by = aliased(User)
    decisions = tuple(
        DecisionView(
            item_title=text.title,
            code=decision.code,
            kind=decision.kind,
            reason=decision.reason,
            decided_by=user.display_name,
            decided_at=decision.decided_at,
        )
        for decision, user, text in session.execute(
            select(PlanSafetyDecision, decided_by, CatalogueItemText)
            .join(decided_by, decided_by.id == PlanSafetyDecision.decided_by_id)
            .join(
                CatalogueItemText,
                (CatalogueItemText.version_id == PlanSafetyDecision.catalogue_version_id)
                & (CatalogueItemText.language == LANGUAGE),
            )
            .where(PlanSafetyDecision.plan_version_id == row.id)
            .order_by(PlanSafetyDecision.id)
        )
    )
    shown = [PlanVersion.plan_id == plan.id]
    if actor.role is Role.FRONT_DESK:
        shown.append(PlanVersion.status == PlanStatus.FINAL)
    versions = paginate(
        session,
        select(PlanVersion).where(*shown).order_by(PlanVersion.version.desc()),
        history_page,
        HISTORY_PAGE_SIZE,
    )
    editors = dict(
        session.execute(
            select(User.id, User.display_name).where(
                User.id.in_({entry.updated_by_id for entry in versions.items})
            )
        ).all()
    )
    history = versions.map(
        lambda entry: VersionEntry(
            entry.version, entry.status, entry.updated_at, editors.get(entry.updated_by_id, "")
        )
    )
    has_final = bool(
        session.scalar(
            select(
                exists().where(
                    PlanVersion.plan_id == plan.id, PlanVersion.status == PlanStatus.FINAL
                )
            )
        )
    )
    if audit:
        audit_plan(session, actor, plan, f"version {row.version}", action=AuditAction.VIEW)
    return PlanView(
        public_id=plan.public_id,
        patient_public_id=patient.public_id,
        intake_public_id=session.get_one(Intake, plan.intake_id).public_id,
        patient_name=patient.full_name,
        chart_number=patient.chart_number,
        large_print_handouts=patient.large_print_handouts,
        version=row.version,
        current_version=plan.current_version,
        status=row.status,
        title=row.title,
        general_advice=row.general_advice,
        review_date=row.review_date,
        edit_count=row.edit_count,
        items=tuple(items),
        check=check,
        red_flag_open=red_flag,
        decisions=decisions,
        history=history,
        has_final=has_final,
        updated_by=display_name(session.get(User, row.updated_by_id)),
        updated_at=row.updated_at,
        finalised_by=display_name(session.get(User, row.finalised_by_id))
        if row.finalised_by_id
        else None,
        finalised_at=row.finalised_at,
    )


@dataclass(frozen=True)
class PlanSummary:
    public_id: str
    title: str
    version: int
    status: PlanStatus
    updated_at: datetime
    has_final: bool


def patient_plans(session: Session, actor: Actor, patient_public_id: str) -> list[PlanSummary]:
    """The patient's plans, newest first (part of the patient's page, which is audited).
    Front desk staff see only plans with a finalised version."""
    patient = find_patient(session, patient_public_id)
    plans = session.scalars(
        select(Plan).where(Plan.patient_id == patient.id).order_by(Plan.created_at.desc())
    ).all()
    summaries = []
    for plan in plans:
        current = find_version(session, plan)
        has_final = current.status is PlanStatus.FINAL or current.version > 1
        if actor.role is Role.FRONT_DESK and not has_final:
            continue
        summaries.append(
            PlanSummary(
                plan.public_id,
                current.title,
                current.version,
                current.status,
                current.updated_at,
                has_final,
            )
        )
    return summaries
