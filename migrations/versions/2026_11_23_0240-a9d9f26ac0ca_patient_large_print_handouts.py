"""A patient's handouts may print in large print by default.

Revision ID: a9d9f26ac0ca
Revises: f94eee088cc7
Create Date: 2026-11-23 02:40:23.101877
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a9d9f26ac0ca"
down_revision: str | None = "f94eee088cc7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "large_print_handouts", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("large_print_handouts")
