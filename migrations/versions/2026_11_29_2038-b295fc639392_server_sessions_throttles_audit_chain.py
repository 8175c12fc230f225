"""Sessions held on the server, throttles per address and username, a hash-chained
audit log, patient ids that are never reused.

- ``staff_session``: the cookie's token names a row; sign-out, password reset,
  deactivation, idle timeout and lifetime end it. ``user_account.session_version`` goes.
- ``throttle`` replaces ``login_throttle`` (keyed by scope, address and typed username).
- ``audit_event`` gains ``patient_ids`` (one entry per list view names every patient
  shown) and ``sequence``, ``previous_hash`` and ``entry_hash``; the entries
  already present are sealed here, in id order, with a frozen copy of the canonical
  content. Its ``patient_id`` is no longer a foreign key (the entry outlives a record
  erased as registered in error); the triggers now allow exactly one UPDATE of an entry:
  the sealing of an unsealed one, changing nothing else.
- ``patient`` ids are AUTOINCREMENT on SQLite (PostgreSQL sequences never reuse ids).

Revision ID: b295fc639392
Revises: 3dd789528f02
Create Date: 2026-11-29 20:38:55.044775
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "b295fc639392"
down_revision: str | None = "3dd789528f02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
CONTENT_COLUMNS = (
    "id",
    "occurred_at",
    "user_id",
    "username",
    "role",
    "action",
    "entity_type",
    "entity_id",
    "patient_id",
    "patient_ids",
    "request_id",
    "detail",
)

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The one change allowed: sealing an unsealed entry into the chain.
    IF TG_OP = 'UPDATE' AND OLD.entry_hash IS NULL AND NEW.entry_hash IS NOT NULL
       AND ({new}) IS NOT DISTINCT FROM ({old}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$
""".format(
    new=", ".join(f"NEW.{c}" for c in CONTENT_COLUMNS),
    old=", ".join(f"OLD.{c}" for c in CONTENT_COLUMNS),
)
POSTGRESQL_OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$
"""
SQLITE_UPDATE_TRIGGER = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "WHEN OLD.entry_hash IS NOT NULL OR NEW.entry_hash IS NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT_COLUMNS)
    + " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)
SQLITE_OLD_UPDATE_TRIGGER = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)
SQLITE_DELETE_TRIGGER = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)


def _canonical(row: dict[str, Any], sequence: int) -> str:
    # Frozen copy of clinic.audit.chain.canonical_content as of this revision.
    occurred_at = row["occurred_at"]
    if isinstance(occurred_at, str):
        occurred_at = datetime.fromisoformat(occurred_at)
    occurred_at = (
        occurred_at.replace(tzinfo=UTC) if occurred_at.tzinfo is None else occurred_at
    ).astimezone(UTC)
    return json.dumps(
        {
            "id": row["id"],
            "sequence": sequence,
            "occurred_at": occurred_at.isoformat(timespec="microseconds"),
            "user_id": row["user_id"],
            "username": row["username"],
            "role": row["role"],
            "action": row["action"],
            "entity_type": row["entity_type"],
            "entity_id": row["entity_id"],
            "patient_id": row["patient_id"],
            "patient_ids": None,
            "request_id": row["request_id"],
            "detail": row["detail"],
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _seal_existing_entries() -> None:
    bind = op.get_bind()
    audit = sa.table(
        "audit_event", *(sa.column(name) for name in CONTENT_COLUMNS if name != "patient_ids")
    )
    rows = bind.execute(sa.select(audit).order_by(audit.c.id)).mappings()
    previous, sequence, updates = GENESIS, 0, []
    for row in rows.all():
        sequence += 1
        digest = hashlib.sha256(
            (previous + _canonical(dict(row), sequence)).encode("utf-8")
        ).hexdigest()
        updates.append({"i": row["id"], "s": sequence, "p": previous, "h": digest})
        previous = digest
    if updates:
        bind.execute(
            sa.text(
                "UPDATE audit_event SET sequence = :s, previous_hash = :p, entry_hash = :h "
                "WHERE id = :i"
            ),
            updates,
        )
    bind.execute(
        sa.text("INSERT INTO audit_chain_head (id, sequence, entry_hash) VALUES (1, :s, :h)"),
        {"s": sequence, "h": previous},
    )


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "throttle",
        sa.Column(
            "scope",
            sa.Enum(
                "sign_in",
                "account",
                "kiosk_code",
                name="throttle_scope",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("username_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wait_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_throttle_failures_not_negative")),
        sa.CheckConstraint("refused >= 0", name=op.f("ck_throttle_refused_not_negative")),
        sa.PrimaryKeyConstraint("scope", "address", "username_key", name=op.f("pk_throttle")),
    )
    op.create_index("ix_throttle_last_failure_at", "throttle", ["last_failure_at"])
    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "end_reason",
            sa.Enum(
                "signed_out",
                "idle",
                "expired",
                "password_reset",
                "deactivated",
                name="session_end",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_staff_session_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_session_token_hash")),
    )
    op.create_index("ix_staff_session_user_id_ended_at", "staff_session", ["user_id", "ended_at"])
    op.drop_table("login_throttle")

    if postgresql:
        # The old function refuses every UPDATE; sealing needs one.
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("previous_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("patient_ids", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_audit_event_sequence"), ["sequence"])
        batch_op.drop_constraint(op.f("fk_audit_event_patient_id_patient"), type_="foreignkey")
    if not postgresql:
        # Batch mode rebuilt the table, and SQLite dropped its triggers with the old one.
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    _seal_existing_entries()
    if postgresql:
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        op.execute(SQLITE_UPDATE_TRIGGER)
        op.execute(SQLITE_DELETE_TRIGGER)
        with op.batch_alter_table(
            "patient", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_account_session_version_positive"), type_="check")
        batch_op.drop_column("session_version")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.create_check_constraint("session_version_positive", "session_version >= 1")
    if not postgresql:
        with op.batch_alter_table(
            "patient", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
    if postgresql:
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_audit_event_patient_id_patient"), "patient", ["patient_id"], ["id"]
        )
        batch_op.drop_constraint(op.f("uq_audit_event_sequence"), type_="unique")
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("previous_hash")
        batch_op.drop_column("sequence")
        batch_op.drop_column("patient_ids")
    if postgresql:
        op.execute(POSTGRESQL_OLD_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        op.execute(SQLITE_OLD_UPDATE_TRIGGER)
        op.execute(SQLITE_DELETE_TRIGGER)

    op.create_table(
        "login_throttle",
        sa.Column("username_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_login_throttle_failures_not_negative")),
        sa.PrimaryKeyConstraint("username_key", name=op.f("pk_login_throttle")),
    )
    op.drop_index("ix_staff_session_user_id_ended_at", table_name="staff_session")
    op.drop_table("staff_session")
    op.drop_index("ix_throttle_last_failure_at", table_name="throttle")
    op.drop_table("throttle")
    op.drop_table("audit_chain_head")
