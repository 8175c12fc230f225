"""Reading a plan: one version with its check, decisions and history; a patient's plans.
Every read is audited."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, Select, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from clinic.audit.models import AuditAction
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.catalogue.content import LANGUAGE
from clinic.catalogue.models import CatalogueItemText
from clinic.catalogue.safety import CODES, SafetyCode
from clinic.catalogue.vocabulary import Kind, Setting
from clinic.errors import NotFoundError
from clinic.intake.models import Intake
from clinic.pagination import Page, paginate
from clinic.patients.models import Patient
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


@functools.cache
def _plan_version_statement(
    front_desk: bool, *, given: bool
) -> Select[Plan, PlanVersion, Patient, Intake, bool, str, str]:
    """Built once per kind (a version asked for; the latest final one for the front desk;
    the current one), with parameters: every plan page asks it."""
    other = aliased(PlanVersion)
    number: Any
    if given:
        number = bindparam("version", type_=Integer)
    elif front_desk:
        number = (
            select(func.max(other.version))
            .where(other.plan_id == Plan.id, other.status == PlanStatus.FINAL)
            .correlate(Plan)
            .scalar_subquery()
        )
    else:
        number = Plan.current_version
    final = (
        exists().where(other.plan_id == Plan.id, other.status == PlanStatus.FINAL).correlate(Plan)
    )
    updated_by, finalised_by = aliased(User), aliased(User)
    return (
        select(
            Plan,
            PlanVersion,
            Patient,
            Intake,
            final.label("has_final"),
            updated_by.display_name,
            finalised_by.display_name,
        )
        .select_from(Plan)
        .join(PlanVersion, (PlanVersion.plan_id == Plan.id) & (PlanVersion.version == number))
        .join(Patient, Patient.id == Plan.patient_id)
        .join(Intake, Intake.id == Plan.intake_id)
        .outerjoin(updated_by, updated_by.id == PlanVersion.updated_by_id)
        .outerjoin(finalised_by, finalised_by.id == PlanVersion.finalised_by_id)
        .where(Plan.public_id == bindparam("public_id"))
    )


def _plan_version_row(
    session: Session, actor: Actor, public_id: str, version: int | None
) -> tuple[Plan, PlanVersion, Patient, Intake, bool, str, str | None]:
    """The plan, the version to show (the current one unless told; front desk staff see
    finalised versions only), its patient, its intake, whether any version is final, and
    who last changed and who finalised the version, in one statement."""
    front_desk = actor.role is Role.FRONT_DESK
    found = session.execute(
        _plan_version_statement(front_desk, given=version is not None),
        {"public_id": public_id, "version": version},
    ).first()
    if found is None:
        if session.scalar(select(Plan.id).where(Plan.public_id == public_id)) is None:
            raise NotFoundError("There is no plan at this address.")
        if front_desk and version is None:
            raise NotFoundError("This plan has not been finalised yet.")
        raise NotFoundError("This plan has no such version.")
    plan, row, patient, intake, has_final, updated_by, finalised_by = found
    if front_desk and row.status is not PlanStatus.FINAL:
        raise NotFoundError("This plan has not been finalised yet.")
    return plan, row, patient, intake, bool(has_final), updated_by or "", finalised_by


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
    # The plan, the version shown, its patient and intake, and whether any version is
    # final: one statement (the contraindication check finds the patient and intake in
    # the session).
    # (Holding the intake keeps it in the session for the check: no second look-up.)
    plan, row, patient, intake, has_final, updated_by, finalised_by = _plan_version_row(
        session, actor, public_id, version
    )
    check, red_flag, rows = check_version(session, plan, row)
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
                latest_catalogue_version=catalogue_item.current_version,
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
    history = paginate(
        session,
        select(  # type: ignore[arg-type]
            PlanVersion.version, PlanVersion.status, PlanVersion.updated_at, User.display_name
        )
        .outerjoin(User, User.id == PlanVersion.updated_by_id)
        .where(*shown)
        .order_by(PlanVersion.version.desc()),
        history_page,
        HISTORY_PAGE_SIZE,
        whole_rows=True,
    ).map(lambda entry: VersionEntry(entry[0], entry[1], entry[2], entry[3] or ""))
    if audit:
        audit_plan(session, actor, plan, f"version {row.version}", action=AuditAction.VIEW)
    return PlanView(
        public_id=plan.public_id,
        patient_public_id=patient.public_id,
        intake_public_id=intake.public_id,
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
        updated_by=updated_by,
        updated_at=row.updated_at,
        finalised_by=(finalised_by or "") if row.finalised_by_id else None,
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
    """The patient's plans with each one's current version, newest first, in one
    statement (part of the patient's page, which is audited). Front desk staff see only
    plans with a finalised version."""
    summaries = []
    for plan, current in session.execute(
        select(Plan, PlanVersion)
        .join(
            PlanVersion,
            (PlanVersion.plan_id == Plan.id) & (PlanVersion.version == Plan.current_version),
        )
        .join(Patient, Patient.id == Plan.patient_id)
        .where(Patient.public_id == patient_public_id)
        .order_by(Plan.created_at.desc(), Plan.id.desc())
    ):
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
