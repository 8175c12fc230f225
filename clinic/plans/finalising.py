"""Finalising a draft past the contraindication check (each finding decided and
recorded), and revising a finalised plan into the next draft."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clinic.auth.identity import Actor
from clinic.catalogue.safety import Level
from clinic.db import utcnow
from clinic.plans.checking import check_version
from clinic.plans.contraindications import (
    Finding,
)
from clinic.plans.editing import open_draft
from clinic.plans.models import (
    PlanItem,
    PlanSafetyDecision,
    PlanStatus,
    PlanVersion,
    SafetyDecisionKind,
)
from clinic.plans.records import audit_plan, find_plan, find_version, staff_id


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
    plan, version = open_draft(session, actor, public_id, edit_count)
    if not version.items:
        raise FinaliseRefusedError("Add at least one item before finalising.", {})
    check, red_flag, _ = check_version(session, plan, version)
    if red_flag:
        raise FinaliseRefusedError(
            "A red flag awaits a therapist's decision: record it on the patient's screening "
            "result before finalising this plan.",
            {},
        )
    if check.advice:
        raise FinaliseRefusedError(
            "The general advice recommends "
            + "; ".join(
                f"{finding.label} ({finding.level.label.lower()})" for finding in check.advice
            )
            + ". Take it out of the general advice, or add the catalogue item instead, "
            "where you can record your decision.",
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
            decided_by_id=staff_id(actor),
        )
        session.add(decision)
        session.flush()
        audit_plan(
            session,
            actor,
            plan,
            kind.value,
            entity_type="plan_safety_decision",
            entity_id=decision.id,
        )
    version.status = PlanStatus.FINAL
    version.finalised_at = utcnow()
    version.finalised_by_id = staff_id(actor)
    version.updated_at = version.finalised_at
    version.updated_by_id = staff_id(actor)
    session.flush()
    audit_plan(session, actor, plan, f"version {version.version} finalised")
    return version.version


def revise(session: Session, actor: Actor, public_id: str) -> int:
    """Start the next version as a draft copy of the finalised one; earlier versions stay."""
    plan = find_plan(session, public_id)
    current = find_version(session, plan)
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
        created_by_id=staff_id(actor),
        updated_by_id=staff_id(actor),
        items=[
            PlanItem(
                position=item.position,
                catalogue_version_id=item.catalogue_version_id,
                area=item.area,
                dosage=dict(item.dosage),
                notes=item.notes,
                setting=item.setting,
            )
            for item in current.items
        ],
    )
    session.add(draft)
    plan.current_version = draft.version
    session.flush()
    audit_plan(session, actor, plan, f"version {draft.version} started")
    return draft.version
