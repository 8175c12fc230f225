from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, PrimaryKeyConstraint, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from clinic.db import Base, UTCDateTime, utcnow


class Patient(Base):
    __tablename__ = "patient"
    __table_args__ = (
        Index("ix_patient_date_of_birth", "date_of_birth"),
        Index("ix_patient_search_name", "search_name"),
        # The FHIR API's _lastUpdated search reads a range of it.
        Index("ix_patient_updated_at", "updated_at", "id"),
        # Ids are never reused, even after a record is erased: the audit log keeps them.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The only identifier that appears in URLs: random, says nothing about the patient.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    chart_number: Mapped[str] = mapped_column(String(16), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    # Case- and accent-folded "given family", for search and duplicate matching.
    search_name: Mapped[str] = mapped_column(String(210))
    date_of_birth: Mapped[date] = mapped_column(Date())
    sex_or_gender: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(Text(), default="")
    preferred_language: Mapped[str] = mapped_column(String(60), default="English")
    emergency_contact_name: Mapped[str] = mapped_column(String(120), default="")
    emergency_contact_relationship: Mapped[str] = mapped_column(String(60), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(32), default="")
    # Handouts for this patient print in large print unless a print says otherwise.
    large_print_handouts: Mapped[bool] = mapped_column(
        Boolean(), default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Optimistic locking: an edit made from a stale form is refused, never merged silently.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class SavedSearch(Base):
    """A patient search kept on the server for a short while, so its results page is a
    GET of an opaque id (Back works, nothing to resubmit) and the name typed never
    appears in a URL or an access log. Only the user who searched may open it."""

    __tablename__ = "patient_search"
    __table_args__ = (Index("ix_patient_search_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# Byte order on PostgreSQL whatever the server's locale, as on SQLite: a prefix is then a
# range of the index ("smi" <= token < "smi" + the last character).
TOKEN_TYPE = String(100).with_variant(String(100, collation="C"), "postgresql")


class PatientNameToken(Base):
    """One word of a patient's folded name (and each name run together, "vandenberg"),
    so a search for the start of any word is a range scan of an index on both databases
    instead of reading every patient. Rewritten with the name (``patients.services``)."""

    __tablename__ = "patient_name_token"
    __table_args__ = (
        PrimaryKeyConstraint("token", "patient_id"),
        Index("ix_patient_name_token_patient_id", "patient_id", "token"),
    )

    token: Mapped[str] = mapped_column(TOKEN_TYPE)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
