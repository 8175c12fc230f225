from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic.auth.roles import Role
from clinic.auth.throttling import Scope
from clinic.db import Base, UTCDateTime, enum_column, utcnow


class SessionEnd(enum.StrEnum):
    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    EXPIRED = "expired"  # the absolute lifetime
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a reason, not a password)
    DEACTIVATED = "deactivated"


class User(Base):
    """A member of staff who signs in."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Throttle(Base):
    """Recent failed attempts of one kind (``Scope``) from one client address and/or for
    one typed username, and until when the next attempt must wait.

    Keyed on the typed username (not the account), so throttling behaves the same for real
    and invented names and reveals nothing about which accounts exist. Held in the
    database: every worker and app server sees the same counts.
    """

    __tablename__ = "throttle"
    __table_args__ = (
        CheckConstraint("failures >= 0", name="failures_not_negative"),
        CheckConstraint("refused >= 0", name="refused_not_negative"),
        Index("ix_throttle_last_failure_at", "last_failure_at"),
    )

    scope: Mapped[Scope] = mapped_column(enum_column(Scope, "throttle_scope"), primary_key=True)
    # "" when the scope does not key on it (ACCOUNT has no address, KIOSK_CODE no name).
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    username_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    # Attempts refused because they came before ``wait_until``.
    refused: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    wait_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StaffSession(Base):
    """A signed-in session, held on the server. The cookie carries a random token; only
    its SHA-256 is stored. Sign-out, a password reset, deactivating the account, the idle
    timeout and the absolute lifetime end the row, and with it every copy of the cookie."""

    __tablename__ = "staff_session"
    __table_args__ = (Index("ix_staff_session_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[SessionEnd | None] = mapped_column(enum_column(SessionEnd, "session_end"))
