"""API tokens: how a system outside the clinic (the GP's record, the hospital's, the
clinic's reporting) reads the FHIR API. Only a hash of a token is kept; the token itself
is shown once, to the administrator who created it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from clinic.db import Base, UTCDateTime, utcnow

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who reads with it ("GP practice link", "Monthly outcomes report"): audit entries name it.
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # SHA-256 of the token (256 random bits: a fast hash is enough, nothing to guess).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, so an administrator can tell which one a client holds.
    prefix: Mapped[str] = mapped_column(String(16))
    # The FHIR resource types it may read.
    scopes: Mapped[list[str]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
