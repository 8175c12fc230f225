"""Editing a draft: details, each item's area, dosage, setting and notes, their order,
removals and additions; a save from a stale page is refused, never merged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from clinic.auth.identity import Actor
from clinic.catalogue.models import CatalogueItemVersion
from clinic.catalogue.safety import Level
from clinic.catalogue.services import version_for_new_plan
from clinic.catalogue.vocabulary import PAIN_REGION_AREAS, Kind, Setting, default_setting
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError
from clinic.intake.models import Intake
from clinic.plans.checking import check_version
from clinic.plans.models import (
    Plan,
    PlanItem,
    PlanStatus,
    PlanVersion,
)
from clinic.plans.reading import PlanView, plan_view
from clinic.plans.records import MAX_ITEMS, audit_plan, find_plan, find_version, staff_id


def patient_areas(answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The body areas of the patient's pain, in the order they gave their regions."""
    chosen = answers.get("pain_regions")
    if not isinstance(chosen, list):
        return ()
    return tuple(PAIN_REGION_AREAS[region] for region in chosen if region in PAIN_REGION_AREAS)


def default_area(
    catalogue: CatalogueItemVersion, preferred: str | None, patients: Sequence[str] = ()
) -> str | None:
    """Where a new item goes: the area asked for (a template's), else the patient's pain
    area where the item is used, else the item's own first area (a hamstring stretch
    stays on the legs); advice has no one place."""
    regions: list[str] = catalogue.document["regions"]
    if preferred in regions:
        return preferred
    if catalogue.kind is Kind.ADVICE or not regions:
        return None
    return next((area for area in patients if area in regions), regions[0])


def append_item(
    session: Session,
    version: PlanVersion,
    catalogue: CatalogueItemVersion,
    area: str | None,
    patients: Sequence[str] = (),
) -> PlanItem:
    if len(version.items) >= MAX_ITEMS:
        raise FieldError("add", f"A plan can hold up to {MAX_ITEMS} items.")
    item = PlanItem(
        position=len(version.items) + 1,
        catalogue_version_id=catalogue.id,
        area=default_area(catalogue, area, patients),
        dosage=dict(catalogue.document["dosage"]),
        notes="",
        setting=default_setting(catalogue.kind, catalogue.document.get("category", "")),
    )
    version.items.append(item)
    session.flush()
    return item


def audit_warnings(
    session: Session, actor: Actor, plan: Plan, version: PlanVersion, item_ids: Sequence[int]
) -> None:
    """Audit the warnings shown for newly added items: counts, not the conditions (the
    plan's own record holds those)."""
    if not item_ids:
        return
    check, _, _ = check_version(session, plan, version)
    for item_id in item_ids:
        findings = check.for_item(str(item_id))
        if findings:
            contraindicated = sum(1 for f in findings if f.level is Level.CONTRAINDICATED)
            audit_plan(
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
    setting: Setting = Setting.HOME


@dataclass(frozen=True)
class DraftChanges:
    title: str
    general_advice: str
    review_date: date | None
    # Every item of the draft, in the order the therapist wants them.
    items: tuple[ItemChange, ...] = ()
    remove: frozenset[int] = frozenset()
    add: tuple[str, ...] = field(default_factory=tuple)


def open_draft(
    session: Session, actor: Actor, public_id: str, edit_count: int
) -> tuple[Plan, PlanVersion]:
    plan = find_plan(session, public_id)
    version = find_version(session, plan)
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
    plan, version = open_draft(session, actor, public_id, edit_count)
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
        item.setting = change.setting
    for item_id in changes.remove:
        if item_id in by_id:
            version.items.remove(by_id[item_id])
    kept = [by_id[item_id] for item_id in order if item_id not in changes.remove]
    for position, item in enumerate(kept, start=1):
        item.position = position
    version.items.sort(key=lambda item: item.position)
    added = []
    areas = patient_areas(session.get_one(Intake, plan.intake_id).answers) if changes.add else ()
    for slug in changes.add:
        catalogue = version_for_new_plan(session, slug)
        added.append(append_item(session, version, catalogue, None, areas).id)
    version.updated_at = utcnow()
    version.updated_by_id = staff_id(actor)
    session.flush()
    audit_plan(session, actor, plan, f"draft version {version.version} saved")
    audit_warnings(session, actor, plan, version, added)
