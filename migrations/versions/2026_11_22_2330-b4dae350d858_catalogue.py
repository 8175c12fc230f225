"""Treatment catalogue: items, immutable versions, per-language text and facets.

Revision ID: b4dae350d858
Revises: 1765b4aea523
Create Date: 2026-11-22 23:30:26.817200
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "b4dae350d858"
down_revision: str | None = "1765b4aea523"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["retired_by_id"],
            ["user_account.id"],
            name=op.f("fk_catalogue_item_retired_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_item")),
        sa.UniqueConstraint("slug", name=op.f("uq_catalogue_item_slug")),
    )
    op.create_table(
        "catalogue_item_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "exercise",
                "stretch",
                "massage",
                "modality",
                "advice",
                name="catalogue_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "document",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("illustration_svg", sa.Text(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_catalogue_item_version_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalogue_item.id"],
            name=op.f("fk_catalogue_item_version_item_id_catalogue_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_item_version")),
        sa.UniqueConstraint("item_id", "version", name=op.f("uq_catalogue_item_version_item_id")),
    )
    op.create_table(
        "catalogue_facet",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["catalogue_item_version.id"],
            name=op.f("fk_catalogue_facet_version_id_catalogue_item_version"),
        ),
        sa.PrimaryKeyConstraint("version_id", "facet", "value", name=op.f("pk_catalogue_facet")),
    )
    with op.batch_alter_table("catalogue_facet", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_facet_facet_value", ["facet", "value"], unique=False)

    op.create_table(
        "catalogue_item_text",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column(
            "steps",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "safety_cues",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("illustration_alt", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["catalogue_item_version.id"],
            name=op.f("fk_catalogue_item_text_version_id_catalogue_item_version"),
        ),
        sa.PrimaryKeyConstraint("version_id", "language", name=op.f("pk_catalogue_item_text")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_item_text")
    with op.batch_alter_table("catalogue_facet", schema=None) as batch_op:
        batch_op.drop_index("ix_catalogue_facet_facet_value")

    op.drop_table("catalogue_facet")
    op.drop_table("catalogue_item_version")
    op.drop_table("catalogue_item")
