from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from clinic.db import Base, UTCDateTime, enum_column, utcnow
from clinic.screening.model import Tier

# JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class IntakeStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class IntakeMode(enum.StrEnum):
    DESK = "desk"
    KIOSK = "kiosk"


class Intake(Base):
    """One questionnaire for one patient. Answers are stored raw, keyed by question id,
    with the questionnaire version, so the intake can be screened again under a newer
    rule set. Every step is saved as it is answered (a draft survives a sleeping tablet)."""

    __tablename__ = "intake"
    __table_args__ = (Index("ix_intake_patient_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    status: Mapped[IntakeStatus] = mapped_column(enum_column(IntakeStatus, "intake_status"))
    mode: Mapped[IntakeMode] = mapped_column(enum_column(IntakeMode, "intake_mode"))
    questionnaire_version: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    # Outcome measure responses by instrument name.
    measures: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    current_step: Mapped[str] = mapped_column(String(40))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # None when the patient submitted it themselves on the kiosk.
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # A repeat visit starts from the history answers of this earlier intake (checked
    # again with the patient; symptoms are always asked afresh).
    prefilled_from_id: Mapped[int | None] = mapped_column(ForeignKey("intake.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ScreeningRecord(Base):
    """One run of the screening engine over an intake's answers. Never changed but for
    ``awaiting_decision``: screening again makes a new record, so every result a clinician
    saw stays readable."""

    __tablename__ = "screening_record"
    __table_args__ = (
        Index("ix_screening_record_intake_id", "intake_id"),
        Index("ix_screening_record_tier_screened_at", "tier", "screened_at"),
        # The results awaiting a decision, a few among years of them: the queue, the
        # header's emergency count and the alert poll read this index only.
        Index(
            "ix_screening_record_open",
            "tier",
            "screened_at",
            sqlite_where=text("awaiting_decision = 1"),
            postgresql_where=text("awaiting_decision"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, "screening_tier"))
    ruleset_version: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[str] = mapped_column(String(40))
    # The answers this result was computed from, and the engine's full output.
    answers: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    result: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    screened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Screened as a step was saved, before the intake was sent: an EMERGENCY is raised at
    # once instead of after the last step (the later result supersedes it, see review.py).
    interim: Mapped[bool] = mapped_column(Boolean(), default=False, server_default=false())
    # Whether this result still awaits a therapist: set when it is made, cleared by its
    # decision (``intake.services.close``) or, for a full result, by a newer result of the
    # same intake. The one column of a result that changes; see review.py for the rule.
    awaiting_decision: Mapped[bool] = mapped_column(Boolean(), default=True, server_default=false())


class DecisionKind(enum.StrEnum):
    REFERRED = "referred"
    CLEARED = "cleared"
    RESCREENED = "rescreened"
    REVIEWED = "reviewed"


class FlagDecision(Base):
    """A therapist's decision on a screening result. One per result."""

    __tablename__ = "flag_decision"
    __table_args__ = (
        CheckConstraint("kind != 'cleared' OR length(reason) > 0", name="cleared_needs_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screening_record.id"), unique=True)
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, "decision_kind"))
    referred_to: Mapped[str] = mapped_column(String(200), default="")
    referred_when: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text(), default="")
    # The re-screen that replaced this result, for RESCREENED.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("screening_record.id"))
    # None when the intake's own later result superseded it as the patient (on the
    # kiosk) went on; a therapist's decision always names the therapist.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class KioskCode(Base):
    """A one-time code that opens one patient's intake on the waiting-room tablet.
    Only a hash is stored: the code itself is shown once, to the front desk."""

    __tablename__ = "kiosk_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EmergencyAcknowledgement(Base):
    """The first staff member who took up an intake's EMERGENCY alert, and when. One per
    intake: a later EMERGENCY result of the same intake (the full intake after an interim
    one) does not sound the alarm again. Nothing here decides anything clinically: the
    therapist's decision is a ``FlagDecision``."""

    __tablename__ = "emergency_acknowledgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), unique=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screening_record.id"))
    acknowledged_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # How long the alert waited, from the first EMERGENCY result of the intake.
    waited_seconds: Mapped[int] = mapped_column()
    # Where: "alert" (the staff banner or the alerts page), "result" or "kiosk" (unlocking
    # the waiting-room tablet).
    acknowledged_via: Mapped[str] = mapped_column(String(20))
