"""Treatment plans in the database.

A plan belongs to a patient and starts from one of their intakes. Its content lives in
numbered versions: a draft is edited in place (with an edit counter, so two therapists
saving the same draft cannot overwrite each other), finalising freezes it, and revising
copies it into the next draft. Items point at the exact catalogue version they were
added with, so a later catalogue edit never changes a plan.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic.catalogue.vocabulary import Setting
from clinic.db import Base, UTCDateTime, enum_column, utcnow

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"

    @property
    def label(self) -> str:
        return "Draft" if self is PlanStatus.DRAFT else "Finalised"


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (Index("ix_plan_patient_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"))
    current_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class PlanVersion(Base):
    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    version: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus, "plan_status"))
    title: Mapped[str] = mapped_column(String(120))
    general_advice: Mapped[str] = mapped_column(Text(), default="")
    review_date: Mapped[date | None] = mapped_column(Date())
    template_id: Mapped[int | None] = mapped_column(ForeignKey("plan_template.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Counts saves of a draft: a save from a stale page is refused, never merged.
    edit_count: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": edit_count}

    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan_version", order_by="PlanItem.position", cascade="all, delete-orphan"
    )


class PlanItem(Base):
    __tablename__ = "plan_item"
    __table_args__ = (Index("ix_plan_item_plan_version_id", "plan_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"))
    position: Mapped[int]
    catalogue_version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item_version.id"))
    # The body area the treatment goes to (None: no one place, such as advice).
    area: Mapped[str | None] = mapped_column(String(30))
    dosage: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    notes: Mapped[str] = mapped_column(Text(), default="")
    # Done by the patient at home or by the therapist at the clinic; starts from the
    # catalogue item's sub-type (``default_setting``) and the therapist may change it.
    setting: Mapped[Setting] = mapped_column(
        enum_column(Setting, "plan_item_setting"), default=Setting.HOME
    )

    plan_version: Mapped[PlanVersion] = relationship(back_populates="items")


class SafetyDecisionKind(enum.StrEnum):
    OVERRIDE = "override"
    CONFIRM = "confirm"


class PlanSafetyDecision(Base):
    """A therapist's answer to one finding of the contraindication check: an override of a
    contraindication (with the reason), or the confirmation of a precaution."""

    __tablename__ = "plan_safety_decision"
    __table_args__ = (Index("ix_plan_safety_decision_plan_version_id", "plan_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"))
    catalogue_version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item_version.id"))
    code: Mapped[str] = mapped_column(String(60))
    kind: Mapped[SafetyDecisionKind] = mapped_column(
        enum_column(SafetyDecisionKind, "safety_decision_kind")
    )
    reason: Mapped[str] = mapped_column(Text(), default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class PlanTemplate(Base):
    """A starting point for a plan, chosen by body region and STarT Back risk."""

    __tablename__ = "plan_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text(), default="")
    # Intake pain regions (lumbar, thoracic, cervical) it suits.
    regions: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    # STarT Back risk groups it suits (low, medium, high); empty: any.
    risks: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    general_advice: Mapped[str] = mapped_column(Text(), default="")
    # [{"slug": ..., "area": ..., "dosage": {...}, "notes": ...}, ...] in order.
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
