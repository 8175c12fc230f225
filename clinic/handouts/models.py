"""The issued-handout archive, and batches of handouts being prepared.

``HandoutPdf`` keeps the exact bytes of a rendered handout of one finalised plan version,
with the options it was rendered with and the key of everything that went into it; a
print whose key matches is served from here without rendering. ``HandoutIssue`` records
each time a handout was given to the patient (who printed it, when): the patient's record
lists these, and opening one serves the identical bytes, a medico-legal copy of what the
patient took home. ``HandoutBatch`` is a batch print in progress: which plans, the
options, and per plan the archived PDF or why it was not printed. All of it is in the
database, so every worker and every app server sees the same archive and the same
progress.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from clinic.db import Base, UTCDateTime, enum_column, utcnow

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class HandoutPdf(Base):
    __tablename__ = "handout_pdf"
    __table_args__ = (UniqueConstraint("plan_version_id", "archive_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"))
    # SHA-256 of everything the handout is made of (``clinic.handouts.archive``): the plan
    # version, the patient's name, the intake answers the stop box is chosen from, the
    # clinic's details, the options and the template. Equal key, equal handout.
    archive_key: Mapped[str] = mapped_column(String(64))
    paper: Mapped[str] = mapped_column(String(10))
    large_print: Mapped[bool]
    language: Mapped[str] = mapped_column(String(10))
    template_version: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the bytes: the fingerprint shown beside an issued handout.
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int]
    size: Mapped[int]
    pdf: Mapped[bytes] = mapped_column(LargeBinary(), deferred=True)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HandoutIssue(Base):
    """One handout given to a patient."""

    __tablename__ = "handout_issue"
    __table_args__ = (Index("ix_handout_issue_patient_id_issued_at", "patient_id", "issued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    handout_pdf_id: Mapped[int] = mapped_column(ForeignKey("handout_pdf.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The batch it was printed in, if any.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("handout_batch.id"))


class BatchStatus(enum.StrEnum):
    PREPARING = "preparing"
    READY = "ready"


class HandoutBatch(Base):
    __tablename__ = "handout_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    # In the page's address: random, never a patient's detail.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paper: Mapped[str] = mapped_column(String(10))
    # None: each patient's own preference.
    large_print: Mapped[bool | None]
    # Plan public ids, in the order chosen.
    plan_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    # Per plan public id: {"pdf": <handout_pdf id>} or {"error": "why it was not printed"}.
    results: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    status: Mapped[BatchStatus] = mapped_column(
        enum_column(BatchStatus, "handout_batch_status"), default=BatchStatus.PREPARING
    )
    # Counts saves of the results, so two workers preparing the same batch never
    # overwrite each other's progress (the later one retries).
    edit_count: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": edit_count}
