"""Use cases of treatment plans: start one from an intake (optionally from a template),
edit the draft, finalise it past the contraindication check, revise it, read it.
Services flush; the request commits once. Every read and change is audited."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from clinic.audit.models import AuditAction
from clinic.audit.services import record, record_listing
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.catalogue.content import LANGUAGE
from clinic.catalogue.models import CatalogueItem, CatalogueItemText, CatalogueItemVersion
from clinic.catalogue.safety import CODES, Level, SafetyCode
from clinic.catalogue.services import CatalogueRow, version_for_new_plan, versions_by_id
from clinic.catalogue.vocabulary import REGIONS, Kind
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from clinic.intake.models import Intake, IntakeStatus
from clinic.intake.review import open_flags
from clinic.measures.registry import score as score_measure
from clinic.patients.models import Patient
from clinic.patients.services import find_patient
from clinic.plans.contraindications import (
    STOPPING_TIERS,
    CheckResult,
    Finding,
    OpenRedFlag,
    PlanItemFacts,
    check_plan,
)
from clinic.plans.models import (
    Plan,
    PlanItem,
    PlanSafetyDecision,
    PlanStatus,
    PlanTemplate,
    PlanVersion,
    SafetyDecisionKind,
)
from clinic.screening.engine import patient_regions
from clinic.screening.model import Condition

ENTITY = "plan"
MAX_ITEMS = 30


# --- Reading ---------------------------------------------------------------------------


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
    history: tuple[VersionEntry, ...]
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


def _plan(session: Session, public_id: str) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.public_id == public_id))
    if plan is None:
        raise NotFoundError("There is no plan at this address.")
    return plan


def _version(session: Session, plan: Plan, number: int | None = None) -> PlanVersion:
    version = session.scalar(
        select(PlanVersion).where(
            PlanVersion.plan_id == plan.id,
            PlanVersion.version == (plan.current_version if number is None else number),
        )
    )
    if version is None:
        raise NotFoundError("This plan has no such version.")
    return version


def _audit(
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


def _user_id(actor: Actor) -> int:
    """Plans are written by signed-in staff only (never by the command line)."""
    if actor.user_id is None:
        raise PermissionDeniedError("Sign in to change a plan.")
    return actor.user_id


def _name(user: User | None) -> str:
    return user.display_name if user is not None else ""


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


def _check(
    session: Session, plan: Plan, version: PlanVersion
) -> tuple[CheckResult, bool, dict[int, CatalogueRow]]:
    """The contraindication check of ``version`` against the plan's intake, as it is now."""
    intake = session.get_one(Intake, plan.intake_id)
    patient = session.get_one(Patient, plan.patient_id)
    rows = versions_by_id(session, [item.catalogue_version_id for item in version.items])
    flags = _open_red_flags(session, patient)
    facts = [_facts(item, rows[item.catalogue_version_id][1]) for item in version.items]
    return check_plan(facts, intake.answers, open_flags=flags), bool(flags), rows


def plan_view(
    session: Session,
    actor: Actor,
    public_id: str,
    version: int | None = None,
    *,
    audit: bool = True,
) -> PlanView:
    """One version of a plan (the current one by default), checked against the intake.
    Front desk staff see finalised versions only."""
    plan = _plan(session, public_id)
    if actor.role is Role.FRONT_DESK and version is None:
        version = _latest_final(session, plan)
    row = _version(session, plan, version)
    if actor.role is Role.FRONT_DESK and row.status is not PlanStatus.FINAL:
        raise NotFoundError("This plan has not been finalised yet.")
    patient = session.get_one(Patient, plan.patient_id)
    check, red_flag, rows = _check(session, plan, row)
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
    editor = aliased(User)
    history = tuple(
        VersionEntry(entry.version, entry.status, entry.updated_at, user.display_name)
        for entry, user in session.execute(
            select(PlanVersion, editor)
            .join(editor, editor.id == PlanVersion.updated_by_id)
            .where(PlanVersion.plan_id == plan.id)
            .order_by(PlanVersion.version.desc())
        )
        if actor.role is not Role.FRONT_DESK or entry.status is PlanStatus.FINAL
    )
    if audit:
        _audit(session, actor, plan, f"version {row.version}", action=AuditAction.VIEW)
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
        updated_by=_name(session.get(User, row.updated_by_id)),
        updated_at=row.updated_at,
        finalised_by=_name(session.get(User, row.finalised_by_id)) if row.finalised_by_id else None,
        finalised_at=row.finalised_at,
    )


def _latest_final(session: Session, plan: Plan) -> int:
    number = session.scalar(
        select(PlanVersion.version)
        .where(PlanVersion.plan_id == plan.id, PlanVersion.status == PlanStatus.FINAL)
        .order_by(PlanVersion.version.desc())
        .limit(1)
    )
    if number is None:
        raise NotFoundError("This plan has not been finalised yet.")
    return number


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
        current = _version(session, plan)
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


# --- Templates -------------------------------------------------------------------------


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


# --- Writing ---------------------------------------------------------------------------


def _latest_intake(session: Session, patient: Patient) -> Intake:
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
    intake = _latest_intake(session, find_patient(session, patient_public_id))
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


def area_choices(usual: list[str]) -> tuple[str, ...]:
    """The item's usual areas first, then every other body area: an item may go on any
    area the patient has, and the check applies there."""
    return (*usual, *(area.value for area in REGIONS if area.value not in usual))


def _default_area(catalogue: CatalogueItemVersion, preferred: str | None) -> str | None:
    regions: list[str] = catalogue.document["regions"]
    if preferred in regions:
        return preferred
    return regions[0] if regions and catalogue.kind is not Kind.ADVICE else None


def _append_item(
    session: Session, version: PlanVersion, catalogue: CatalogueItemVersion, area: str | None
) -> PlanItem:
    if len(version.items) >= MAX_ITEMS:
        raise FieldError("add", f"A plan can hold up to {MAX_ITEMS} items.")
    item = PlanItem(
        position=len(version.items) + 1,
        catalogue_version_id=catalogue.id,
        area=_default_area(catalogue, area),
        dosage=dict(catalogue.document["dosage"]),
        notes="",
    )
    version.items.append(item)
    session.flush()
    return item


def create_plan(
    session: Session, actor: Actor, patient_public_id: str, template_id: int | None
) -> str:
    """A new draft plan from the patient's latest submitted intake, optionally filled
    from a template. Returns the plan's public id."""
    patient = find_patient(session, patient_public_id)
    intake = _latest_intake(session, patient)
    template = session.get(PlanTemplate, template_id) if template_id else None
    if template_id and (template is None or not template.active):
        raise FieldError("template", "Choose one of the templates shown")
    plan = Plan(
        public_id=uuid.uuid4().hex,
        patient_id=patient.id,
        intake_id=intake.id,
        created_by_id=_user_id(actor),
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
        created_by_id=_user_id(actor),
        updated_by_id=_user_id(actor),
    )
    session.add(version)
    session.flush()
    if template is not None:
        for entry in template.items:
            try:
                catalogue = version_for_new_plan(session, entry["slug"])
            except (NotFoundError, FieldError):
                continue  # retired or removed since the template was written
            _append_item(session, version, catalogue, entry.get("area"))
    _audit(
        session,
        actor,
        plan,
        f"from template {template.id}" if template else "blank",
        action=AuditAction.CREATE,
    )
    _audit_warnings(session, actor, plan, version, [item.id for item in version.items])
    return plan.public_id


def _audit_warnings(
    session: Session, actor: Actor, plan: Plan, version: PlanVersion, item_ids: Sequence[int]
) -> None:
    """Audit the warnings shown for newly added items: counts, not the conditions (the
    plan's own record holds those)."""
    if not item_ids:
        return
    check, _, _ = _check(session, plan, version)
    for item_id in item_ids:
        findings = check.for_item(str(item_id))
        if findings:
            contraindicated = sum(1 for f in findings if f.level is Level.CONTRAINDICATED)
            _audit(
                session,
                actor,
                plan,
                f"warning shown: {contraindicated} contraindicated, "
                f"{len(findings) - contraindicated} precaution",
                entity_type="plan_item",
                entity_id=item_id,
            )


class PlanEditConflictError(Exception):
    """The draft was saved by someone else since this page was opened."""

    def __init__(self, current: PlanView) -> None:
        super().__init__("the plan changed since it was opened")
        self.current = current


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    area: str | None
    dosage: dict[str, Any]
    notes: str


@dataclass(frozen=True)
class DraftChanges:
    title: str
    general_advice: str
    review_date: date | None
    # Every item of the draft, in the order the therapist wants them.
    items: tuple[ItemChange, ...] = ()
    remove: frozenset[int] = frozenset()
    add: tuple[str, ...] = field(default_factory=tuple)


def _draft(
    session: Session, actor: Actor, public_id: str, edit_count: int
) -> tuple[Plan, PlanVersion]:
    plan = _plan(session, public_id)
    version = _version(session, plan)
    if version.status is not PlanStatus.DRAFT:
        raise ConflictError("This version is finalised. Revise the plan to change it.")
    if version.edit_count != edit_count:
        raise PlanEditConflictError(plan_view(session, actor, public_id, audit=False))
    return plan, version


def save_draft(
    session: Session, actor: Actor, public_id: str, edit_count: int, changes: DraftChanges
) -> None:
    """Save the therapist's changes to the draft: details, each item's area, dosage and
    notes, their order, removals and additions. Refused if the draft was saved since."""
    plan, version = _draft(session, actor, public_id, edit_count)
    by_id = {item.id: item for item in version.items}
    if {change.item_id for change in changes.items} - set(by_id):
        raise ConflictError("The plan's items changed since this page was opened. Reload it.")
    version.title = changes.title
    version.general_advice = changes.general_advice
    version.review_date = changes.review_date
    order = [change.item_id for change in changes.items]
    order += [item.id for item in version.items if item.id not in order]
    for change in changes.items:
        item = by_id[change.item_id]
        item.area = change.area
        item.dosage = change.dosage
        item.notes = change.notes
    for item_id in changes.remove:
        if item_id in by_id:
            version.items.remove(by_id[item_id])
    kept = [by_id[item_id] for item_id in order if item_id not in changes.remove]
    for position, item in enumerate(kept, start=1):
        item.position = position
    version.items.sort(key=lambda item: item.position)
    added = []
    for slug in changes.add:
        added.append(_append_item(session, version, version_for_new_plan(session, slug), None).id)
    version.updated_at = utcnow()
    version.updated_by_id = _user_id(actor)
    session.flush()
    _audit(session, actor, plan, f"draft version {version.version} saved")
    _audit_warnings(session, actor, plan, version, added)


@dataclass(frozen=True)
class SafetyAnswer:
    """The therapist's answer to one finding at finalising."""

    item_id: int
    code: str
    confirmed: bool = False
    override_reason: str = ""


class FinaliseRefusedError(Exception):
    """Why the plan cannot be finalised, per finding (key: "<item id>:<code>")."""

    def __init__(self, message: str, problems: dict[str, str]) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


def finalise(
    session: Session,
    actor: Actor,
    public_id: str,
    edit_count: int,
    answers: Sequence[SafetyAnswer],
) -> int:
    """Finalise the draft after checking it again against the intake. A red flag awaiting
    a decision refuses outright; each contraindication needs an override with a reason,
    each precaution a confirmation. Every decision is recorded and audited."""
    plan, version = _draft(session, actor, public_id, edit_count)
    if not version.items:
        raise FinaliseRefusedError("Add at least one item before finalising.", {})
    check, red_flag, _ = _check(session, plan, version)
    if red_flag:
        raise FinaliseRefusedError(
            "A red flag awaits a therapist's decision: record it on the patient's screening "
            "result before finalising this plan.",
            {},
        )
    given = {(answer.item_id, answer.code): answer for answer in answers}
    problems: dict[str, str] = {}
    decisions: list[tuple[Finding, SafetyDecisionKind, str]] = []
    for finding in check.findings:
        answer = given.get((int(finding.item_key), finding.code))
        key = f"{finding.item_key}:{finding.code}"
        reason = " ".join((answer.override_reason if answer else "").split())
        if finding.level is Level.CONTRAINDICATED:
            if len(reason) < 10:
                problems[key] = (
                    "Give the reason for going ahead (at least 10 characters), or remove the item"
                )
                continue
            decisions.append((finding, SafetyDecisionKind.OVERRIDE, reason[:1000]))
        elif reason:
            decisions.append((finding, SafetyDecisionKind.OVERRIDE, reason[:1000]))
        elif answer is not None and answer.confirmed:
            decisions.append((finding, SafetyDecisionKind.CONFIRM, ""))
        else:
            problems[key] = "Confirm you have checked this precaution, or remove the item"
    if problems:
        raise FinaliseRefusedError("Some items need your decision before finalising.", problems)
    items = {item.id: item for item in version.items}
    for finding, kind, reason in decisions:
        decision = PlanSafetyDecision(
            plan_version_id=version.id,
            catalogue_version_id=items[int(finding.item_key)].catalogue_version_id,
            code=finding.code,
            kind=kind,
            reason=reason,
            decided_by_id=_user_id(actor),
        )
        session.add(decision)
        session.flush()
        _audit(
            session,
            actor,
            plan,
            kind.value,
            entity_type="plan_safety_decision",
            entity_id=decision.id,
        )
    version.status = PlanStatus.FINAL
    version.finalised_at = utcnow()
    version.finalised_by_id = _user_id(actor)
    version.updated_at = version.finalised_at
    version.updated_by_id = _user_id(actor)
    session.flush()
    _audit(session, actor, plan, f"version {version.version} finalised")
    return version.version


def revise(session: Session, actor: Actor, public_id: str) -> int:
    """Start the next version as a draft copy of the finalised one; earlier versions stay."""
    plan = _plan(session, public_id)
    current = _version(session, plan)
    if current.status is PlanStatus.DRAFT:
        return current.version
    draft = PlanVersion(
        plan_id=plan.id,
        version=current.version + 1,
        status=PlanStatus.DRAFT,
        title=current.title,
        general_advice=current.general_advice,
        review_date=current.review_date,
        template_id=current.template_id,
        created_by_id=_user_id(actor),
        updated_by_id=_user_id(actor),
        items=[
            PlanItem(
                position=item.position,
                catalogue_version_id=item.catalogue_version_id,
                area=item.area,
                dosage=dict(item.dosage),
                notes=item.notes,
            )
            for item in current.items
        ],
    )
    session.add(draft)
    plan.current_version = draft.version
    session.flush()
    _audit(session, actor, plan, f"version {draft.version} started")
    return draft.version


# --- Printing --------------------------------------------------------------------------


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


@dataclass(frozen=True)
class PrintableVersion:
    plan_public_id: str
    patient_id: int
    patient_name: str
    large_print_handouts: bool
    title: str
    version: int
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
    plan = _plan(session, public_id)
    version = _version(session, plan, _latest_final(session, plan))
    patient = session.get_one(Patient, plan.patient_id)
    intake = session.get_one(Intake, plan.intake_id)
    check, red_flag, rows = _check(session, plan, version)
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
            )
        )
    finaliser = session.get(User, version.finalised_by_id) if version.finalised_by_id else None
    return PrintableVersion(
        plan_public_id=plan.public_id,
        patient_id=patient.id,
        patient_name=patient.full_name,
        large_print_handouts=patient.large_print_handouts,
        title=version.title,
        version=version.version,
        general_advice=version.general_advice,
        review_date=version.review_date,
        finalised_by=_name(finaliser),
        items=tuple(items),
        answers=dict(intake.answers),
        regions=frozenset(region.value for region in patient_regions(intake.answers)),
        unresolved=tuple(unresolved),
    )


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
