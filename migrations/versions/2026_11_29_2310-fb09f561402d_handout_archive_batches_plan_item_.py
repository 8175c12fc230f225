"""Handout archive (rendered PDFs, issued handouts), handout batches, plan item setting

Revision ID: fb09f561402d
Revises: b295fc639392
Create Date: 2026-11-29 23:10:39.012832
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "fb09f561402d"
down_revision: str | None = "b295fc639392"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# Frozen copy of clinic.catalogue.vocabulary.CLINIC_CATEGORIES as of this revision.
CLINIC_CATEGORIES = {("massage", "therapist"), ("modality", "ultrasound"), ("modality", "traction")}


def upgrade() -> None:
    op.create_table(
        "handout_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paper", sa.String(length=10), nullable=False),
        sa.Column("large_print", sa.Boolean(), nullable=True),
        sa.Column("plan_ids", JSONDocument, nullable=False),
        sa.Column("results", JSONDocument, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "preparing",
                "ready",
                name="handout_batch_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("edit_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_handout_batch_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handout_batch")),
        sa.UniqueConstraint("public_id", name=op.f("uq_handout_batch_public_id")),
    )
    op.create_table(
        "handout_pdf",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_version_id", sa.Integer(), nullable=False),
        sa.Column("archive_key", sa.String(length=64), nullable=False),
        sa.Column("paper", sa.String(length=10), nullable=False),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("template_version", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_version_id"],
            ["plan_version.id"],
            name=op.f("fk_handout_pdf_plan_version_id_plan_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handout_pdf")),
        sa.UniqueConstraint(
            "plan_version_id", "archive_key", name=op.f("uq_handout_pdf_plan_version_id")
        ),
    )
    op.create_table(
        "handout_issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handout_pdf_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["handout_batch.id"], name=op.f("fk_handout_issue_batch_id_handout_batch")
        ),
        sa.ForeignKeyConstraint(
            ["handout_pdf_id"],
            ["handout_pdf.id"],
            name=op.f("fk_handout_issue_handout_pdf_id_handout_pdf"),
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_handout_issue_issued_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_handout_issue_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handout_issue")),
    )
    op.create_index(
        "ix_handout_issue_patient_id_issued_at",
        "handout_issue",
        ["patient_id", "issued_at"],
        unique=False,
    )
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "setting",
                sa.Enum(
                    "home",
                    "clinic",
                    name="plan_item_setting",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=False,
                server_default="home",
            )
        )
    # Items a therapist delivers (hands-on treatment, clinic machines) are at the clinic.
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT plan_item.id, catalogue_item_version.kind, catalogue_item_version.document "
            "FROM plan_item JOIN catalogue_item_version "
            "ON catalogue_item_version.id = plan_item.catalogue_version_id"
        )
    ).all()
    at_clinic = []
    for item_id, kind, document in rows:
        data = json.loads(document) if isinstance(document, str) else document
        if (kind, data.get("category")) in CLINIC_CATEGORIES:
            at_clinic.append(item_id)
    if at_clinic:
        connection.execute(
            sa.text("UPDATE plan_item SET setting = 'clinic' WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": at_clinic},
        )
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.alter_column("setting", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_plan_item_plan_item_setting"), type_="check")
        batch_op.drop_column("setting")
    op.drop_index("ix_handout_issue_patient_id_issued_at", table_name="handout_issue")
    op.drop_table("handout_issue")
    op.drop_table("handout_pdf")
    op.drop_table("handout_batch")
