"""Patient search words; stored open state of screening results

- ``patient_name_token``: each word of every patient's folded name (and multi-word names
  run together), so a search for the start of a word is an index range on both databases.
  Filled here from the names with a frozen copy of the folding.
- ``screening_record.awaiting_decision`` with a partial index: the queue, the emergency
  count and the alert poll read the few open results instead of grouping all of them.
  Set here by the rule the queries used: no decision, and the intake's newest result or
  an interim one.

Revision ID: 389f28398530
Revises: fb09f561402d
Create Date: 2026-11-30 01:31:53.016658
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "389f28398530"
down_revision: str | None = "fb09f561402d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of clinic.patients.matching (fold, name_tokens) as of this revision.
APOSTROPHES = "'\u2019\u2018`"
TOKEN_LENGTH = 100


def _fold(text: str) -> str:
    for mark in APOSTROPHES:
        text = text.replace(mark, "")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in without_marks)
    return " ".join(cleaned.split())


def _name_tokens(given_name: str, family_name: str) -> set[str]:
    words = set(_fold(f"{given_name} {family_name}").split())
    for name in (given_name, family_name):
        parts = _fold(name).split()
        if len(parts) > 1:
            words.add("".join(parts))
        apart = name
        for mark in APOSTROPHES:
            apart = apart.replace(mark, " ")
        words.update(_fold(apart).split())
    return {word[:TOKEN_LENGTH] for word in words}


def _token_rows(connection: sa.Connection) -> Iterator[list[dict[str, object]]]:
    patient = sa.table(
        "patient", sa.column("id"), sa.column("given_name"), sa.column("family_name")
    )
    rows: list[dict[str, object]] = []
    for patient_id, given, family in connection.execute(
        sa.select(patient.c.id, patient.c.given_name, patient.c.family_name)
    ).all():
        rows.extend({"token": t, "patient_id": patient_id} for t in _name_tokens(given, family))
        if len(rows) >= 5000:
            yield rows
            rows = []
    if rows:
        yield rows


def upgrade() -> None:
    token_table = op.create_table(
        "patient_name_token",
        sa.Column(
            "token",
            sa.String(length=100).with_variant(sa.String(length=100, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_patient_name_token_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", "patient_id", name=op.f("pk_patient_name_token")),
    )
    op.create_index(
        "ix_patient_name_token_patient_id", "patient_name_token", ["patient_id", "token"]
    )
    connection = op.get_bind()
    for batch in _token_rows(connection):
        connection.execute(sa.insert(token_table), batch)

    with op.batch_alter_table("screening_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("awaiting_decision", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE screening_record SET awaiting_decision = ("
        " NOT EXISTS (SELECT 1 FROM flag_decision d WHERE d.screening_id = screening_record.id)"
        " AND (screening_record.interim OR screening_record.id = ("
        "  SELECT max(s.id) FROM screening_record s"
        "  WHERE s.intake_id = screening_record.intake_id)))"
    )
    op.create_index(
        "ix_screening_record_open",
        "screening_record",
        ["tier", "screened_at"],
        sqlite_where=sa.text("awaiting_decision = 1"),
        postgresql_where=sa.text("awaiting_decision"),
    )


def downgrade() -> None:
    op.drop_index("ix_screening_record_open", table_name="screening_record")
    with op.batch_alter_table("screening_record", schema=None) as batch_op:
        batch_op.drop_column("awaiting_decision")
    op.drop_index("ix_patient_name_token_patient_id", table_name="patient_name_token")
    op.drop_table("patient_name_token")
