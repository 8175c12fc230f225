from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic.db import Base, UTCDateTime, enum_column, utcnow


class AuditAction(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    LOGIN = "login"
    LOGOUT = "logout"
    FAILED_LOGIN = "failed_login"
    PRINT = "print"
    EXPORT = "export"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class AuditEvent(Base):
    """One entry of the audit log. Rows are only ever inserted: database triggers
    (see the first migration) refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_occurred_at", "occurred_at"),
        Index("ix_audit_event_patient_id", "patient_id"),
        # A user's entries, newest first (the search page's "recently viewed").
        Index("ix_audit_event_user_id_occurred_at", "user_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Copied, not joined: the entry must read the same after the account changes.
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "audit_action"))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # A short, non-clinical note such as "search result" or "throttled".
    detail: Mapped[str | None] = mapped_column(String(200))
