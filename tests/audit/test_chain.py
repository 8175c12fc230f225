"""The audit log's hash chain: entries are sealed when their transaction commits, and
`clinic audit verify` names the first entry edited, re-attributed, removed or inserted
by someone who switched the database's triggers off. Anchored heads catch a chain that
was rewritten from the tampered entry on."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from clinic.audit import chain
from clinic.audit.models import AuditAction, AuditChainHead, AuditEvent
from clinic.audit.services import record
from clinic.auth.identity import Actor
from tests.conftest import Databases, own_database
from tests.helpers import run_cli

ENTRIES = 6
ALICE = Actor(None, "(command line)", None)


@pytest.fixture
def audited(databases: Databases) -> Iterator[tuple[str, sessionmaker[Session]]]:
    name = "clinic_chain"
    with own_database(databases, name) as factory:
        for number in range(ENTRIES):
            with factory() as session:
                record(session, ALICE, AuditAction.VIEW, entity_type="thing", entity_id=number)
                session.commit()
        yield str(factory.kw["bind"].url.render_as_string(hide_password=False)), factory


def _ids(factory: sessionmaker[Session]) -> list[int]:
    with factory() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.sequence)))


def _tamper(factory: sessionmaker[Session], *statements: str) -> None:
    """Run SQL as the table's owner with the append-only triggers switched off."""
    with factory() as session:
        connection: Connection = session.connection()
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            saved = (
                connection.execute(
                    text(
                        "SELECT sql FROM sqlite_master "
                        "WHERE type = 'trigger' AND tbl_name = 'audit_event'"
                    )
                )
                .scalars()
                .all()
            )
            connection.execute(text("DROP TRIGGER audit_event_no_update"))
            connection.execute(text("DROP TRIGGER audit_event_no_delete"))
        for statement in statements:
            connection.execute(text(statement))
        if postgresql:
            connection.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        else:
            for definition in saved:
                connection.execute(text(definition))
        session.commit()


def _verify(url: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    result = run_cli(url, tmp_path, "audit", "verify", *args)
    return result.exit_code, result.output


def test_entries_are_sealed_in_order_when_they_commit(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    with factory() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        head = session.get(AuditChainHead, 1)
    assert [row.sequence for row in rows] == list(range(1, ENTRIES + 1))
    assert rows[0].previous_hash == chain.GENESIS
    assert all(later.previous_hash == earlier.entry_hash for earlier, later in pairwise(rows))
    assert head is not None and head.entry_hash == rows[-1].entry_hash
    status, output = _verify(url, tmp_path)
    assert status == 0 and f"Audit log intact: {ENTRIES} entries" in output


def test_an_entry_rolled_back_is_not_sealed_and_leaves_no_gap(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    with factory() as session:
        record(session, ALICE, AuditAction.VIEW, entity_type="thing", entity_id="gone")
        session.rollback()
    with factory() as session:
        record(session, ALICE, AuditAction.VIEW, entity_type="thing", entity_id="kept")
        session.commit()
    assert _verify(url, tmp_path)[0] == 0


def test_a_sealed_entry_cannot_be_updated_even_to_reseal_it(
    audited: tuple[str, sessionmaker[Session]],
) -> None:
    _url, factory = audited
    with factory() as session, pytest.raises(DatabaseError, match="append-only"):
        session.execute(update(AuditEvent).values(entry_hash="0" * 64))


def test_an_edited_entry_is_named(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    third = _ids(factory)[2]
    _tamper(factory, f"UPDATE audit_event SET entity_id = '99' WHERE id = {third}")
    status, output = _verify(url, tmp_path)
    assert status == 1
    assert f"First: entry id {third} (sequence 3) was changed after it was written" in output


def test_a_re_attributed_entry_is_named(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    fourth = _ids(factory)[3]
    _tamper(factory, f"UPDATE audit_event SET username = 'someone-else' WHERE id = {fourth}")
    status, output = _verify(url, tmp_path)
    assert status == 1
    assert f"First: entry id {fourth} (sequence 4) was changed" in output


def test_a_deleted_entry_is_named(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    ids = _ids(factory)
    _tamper(factory, f"DELETE FROM audit_event WHERE id = {ids[2]}")
    status, output = _verify(url, tmp_path)
    assert status == 1
    assert f"First: entry id {ids[3]} (sequence 4) follows a gap: entry 3 was removed" in output


def test_the_last_entry_deleted_is_noticed(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    _tamper(factory, f"DELETE FROM audit_event WHERE id = {_ids(factory)[-1]}")
    status, output = _verify(url, tmp_path)
    assert status == 1 and f"entry {ENTRIES} was removed" in output


def test_an_inserted_entry_is_named(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    _tamper(
        factory,
        "INSERT INTO audit_event (id, occurred_at, username, action) "
        "VALUES (9999, CURRENT_TIMESTAMP, 'someone', 'view')",
    )
    status, output = _verify(url, tmp_path)
    assert status == 1
    assert "First: entry id 9999 was inserted outside the application" in output


def test_an_inserted_entry_with_a_forged_place_in_the_chain_is_named(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    ids = _ids(factory)
    with factory() as session:
        third = session.get(AuditEvent, ids[2])
        assert third is not None
        forged_previous = third.entry_hash
    # Squeezed in after entry 3: later entries renumbered, its own hash made up.
    _tamper(
        factory,
        "UPDATE audit_event SET sequence = sequence + 100 WHERE sequence > 3",
        "INSERT INTO audit_event (id, occurred_at, username, action, sequence, previous_hash,"
        " entry_hash) VALUES (9999, CURRENT_TIMESTAMP, 'someone', 'view', 4,"
        f" '{forged_previous}', '{'a' * 64}')",
        "UPDATE audit_event SET sequence = sequence - 99 WHERE sequence > 103",
    )
    status, output = _verify(url, tmp_path)
    assert status == 1
    assert "First: entry id 9999 (sequence 4) was changed after it was written" in output
    assert f"entry id {ids[3]}: does not follow the entry before it" in output


def test_an_anchored_head_catches_a_chain_rewritten_after_tampering(
    audited: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, factory = audited
    anchors = tmp_path / "audit-anchors.txt"
    status, output = _verify(url, tmp_path, "--anchor", str(anchors))
    assert status == 0 and "Head anchored" in output
    assert len(anchors.read_text().splitlines()) == 1

    # An owner edits entry 2, then recomputes every hash after it: the chain verifies...
    ids = _ids(factory)
    _tamper(factory, f"UPDATE audit_event SET entity_id = 'x' WHERE id = {ids[1]}")
    with factory() as session:
        rows = [
            {**dict(row._mapping)}
            for row in session.execute(
                select(*[getattr(AuditEvent, name) for name in chain._FIELDS]).order_by(
                    AuditEvent.sequence
                )
            )
        ]
    previous, statements = chain.GENESIS, []
    for row in rows:
        digest = chain.entry_hash(previous, chain.canonical_content(row))
        statements.append(
            f"UPDATE audit_event SET previous_hash = '{previous}', entry_hash = '{digest}' "
            f"WHERE id = {row['id']}"
        )
        previous = digest
    statements.append(f"UPDATE audit_chain_head SET entry_hash = '{previous}'")
    _tamper(factory, *statements)
    assert _verify(url, tmp_path)[0] == 0
    # ...but not against the head written down before.
    status, output = _verify(url, tmp_path, "--anchor", str(anchors))
    assert status == 1
    assert f"(sequence {ENTRIES}) does not match the hash anchored on" in output
