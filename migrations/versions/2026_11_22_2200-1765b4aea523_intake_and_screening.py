"""Intake questionnaires, screening records, therapists' flag decisions, kiosk codes.

Revision ID: 1765b4aea523
Revises: 1b32909c12f4
Create Date: 2026-11-22 22:00:10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "1765b4aea523"
down_revision: str | None = "1b32909c12f4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                name="intake_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "mode",
            sa.Enum("desk", "kiosk", name="intake_mode", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("questionnaire_version", sa.String(length=40), nullable=False),
        sa.Column(
            "answers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "measures",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("current_step", sa.String(length=40), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_intake_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["user_account.id"],
            name=op.f("fk_intake_started_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_intake_submitted_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake")),
        sa.UniqueConstraint("public_id", name=op.f("uq_intake_public_id")),
    )
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.create_index("ix_intake_patient_id", ["patient_id"], unique=False)

    op.create_table(
        "kiosk_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_kiosk_code_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intake.id"], name=op.f("fk_kiosk_code_intake_id_intake")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_kiosk_code_code_hash")),
    )
    op.create_table(
        "screening_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column(
            "tier",
            sa.Enum(
                "NONE",
                "ROUTINE_WITH_FLAG",
                "INCOMPLETE",
                "URGENT",
                "EMERGENCY",
                name="screening_tier",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("ruleset_version", sa.String(length=40), nullable=False),
        sa.Column("questionnaire_version", sa.String(length=40), nullable=False),
        sa.Column(
            "answers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("screened_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intake.id"], name=op.f("fk_screening_record_intake_id_intake")
        ),
        sa.ForeignKeyConstraint(
            ["screened_by_id"],
            ["user_account.id"],
            name=op.f("fk_screening_record_screened_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_record")),
        sa.UniqueConstraint("public_id", name=op.f("uq_screening_record_public_id")),
    )
    with op.batch_alter_table("screening_record", schema=None) as batch_op:
        batch_op.create_index("ix_screening_record_intake_id", ["intake_id"], unique=False)
        batch_op.create_index(
            "ix_screening_record_tier_screened_at", ["tier", "screened_at"], unique=False
        )

    op.create_table(
        "flag_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "referred",
                "cleared",
                "rescreened",
                "reviewed",
                name="decision_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("referred_to", sa.String(length=200), nullable=False),
        sa.Column("referred_when", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind != 'cleared' OR length(reason) > 0",
            name=op.f("ck_flag_decision_cleared_needs_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_flag_decision_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["screening_record.id"],
            name=op.f("fk_flag_decision_replaced_by_id_screening_record"),
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["screening_record.id"],
            name=op.f("fk_flag_decision_screening_id_screening_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag_decision")),
        sa.UniqueConstraint("screening_id", name=op.f("uq_flag_decision_screening_id")),
    )


def downgrade() -> None:
    op.drop_table("flag_decision")
    with op.batch_alter_table("screening_record", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_record_tier_screened_at")
        batch_op.drop_index("ix_screening_record_intake_id")

    op.drop_table("screening_record")
    op.drop_table("kiosk_code")
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.drop_index("ix_intake_patient_id")

    op.drop_table("intake")
