from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
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
    """One entry of the audit log. Rows are only ever inserted: database triggers refuse
    DELETE, and UPDATE of a sealed entry (see ``clinic.audit.chain``).

    Each entry is sealed when its transaction commits: it takes the next ``sequence`` and
    ``entry_hash = SHA-256(previous_hash, canonical content)``, so an entry edited,
    re-attributed, removed or inserted afterwards breaks the chain (``clinic audit verify``).
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_occurred_at", "occurred_at"),
        Index("ix_audit_event_patient_id", "patient_id"),
        # A user's entries, newest first (the search page's "recently viewed").
        Index("ix_audit_event_user_id_occurred_at", "user_id", "occurred_at"),
        UniqueConstraint("sequence", name="uq_audit_event_sequence"),
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
    # Not a foreign key: the entry outlives a patient record erased as registered in
    # error, and the number then refers to nobody (patient ids are never reused).
    patient_id: Mapped[int | None] = mapped_column()
    request_id: Mapped[str | None] = mapped_column(String(64))
    # A list view (the queue, search results): one entry naming every patient shown, as
    # ",12,15,31," (the commas let a filter match one id exactly).
    patient_ids: Mapped[str | None] = mapped_column(Text())
    # A short, non-clinical note such as "search result" or "throttled".
    detail: Mapped[str | None] = mapped_column(String(200))
    # The chain (NULL only until the writing transaction commits).
    sequence: Mapped[int | None] = mapped_column()
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The last sealed entry: one row, locked by each sealing transaction so that
    concurrent writers extend the chain one after another and it never forks."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column()
    entry_hash: Mapped[str] = mapped_column(String(64))
