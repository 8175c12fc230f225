"""The audit log's hash chain: sealing entries as their transaction commits, and
verifying the chain (``clinic audit verify``).

Entry *n* stores ``sequence = n``, the previous entry's hash, and
``entry_hash = SHA-256(previous_hash + canonical content)``. Sealing happens in a
``before_commit`` hook, last thing in the transaction: it locks the one-row chain head
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite transactions already write one at a
time), so concurrent writers extend the chain one after another, and no lock on the head
is held while a request does its other work (no deadlocks with row locks taken later).

The canonical content must never change: verifying an old entry recomputes it. The first
migration that introduced the chain sealed the entries already present with a copy of it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from clinic.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
_UNSEALED_KEY = "clinic.audit.unsealed"


def canonical_content(entry: dict[str, Any]) -> str:
    """The fields an entry's hash covers, as one JSON text (sorted keys, UTC times)."""
    occurred_at: datetime = entry["occurred_at"]
    return json.dumps(
        {
            "id": entry["id"],
            "sequence": entry["sequence"],
            "occurred_at": occurred_at.isoformat(timespec="microseconds"),
            "user_id": entry["user_id"],
            "username": entry["username"],
            "role": entry["role"],
            "action": str(entry["action"]),
            "entity_type": entry["entity_type"],
            "entity_id": entry["entity_id"],
            "patient_id": entry["patient_id"],
            "patient_ids": entry["patient_ids"],
            "request_id": entry["request_id"],
            "detail": entry["detail"],
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def entry_hash(previous_hash: str, content: str) -> str:
    return hashlib.sha256((previous_hash + content).encode("utf-8")).hexdigest()


_FIELDS = (
    "id",
    "sequence",
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


def _fields(event_row: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event_row, name) for name in _FIELDS}


# Sealing -------------------------------------------------------------------------------


def mark_unsealed(session: Session, entry: AuditEvent) -> None:
    """Called by ``record``: seal this entry when the session commits."""
    session.info.setdefault(_UNSEALED_KEY, []).append(entry)


def _locked_head(session: Session) -> AuditChainHead:
    query = (
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = session.scalars(query).one_or_none()
    if head is not None:
        return head
    # The first entry ever (the migration creates the head; a database built otherwise
    # gets it here, once, whichever writer comes first).
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(AuditChainHead).values(id=1, sequence=0, entry_hash=GENESIS).on_conflict_do_nothing()
    )
    return session.scalars(query).one()


def seal(session: Session) -> None:
    entries: list[AuditEvent] = session.info.pop(_UNSEALED_KEY, [])
    if not entries:
        return
    session.flush()
    head = _locked_head(session)
    # The head is written once, by the flush at the end.
    with session.no_autoflush:
        _seal_each(session, head, entries)
    session.flush()


def _seal_each(session: Session, head: AuditChainHead, entries: list[AuditEvent]) -> None:
    for entry in sorted(entries, key=lambda e: e.id):
        # The sequence is part of what is hashed.
        set_committed_value(entry, "sequence", head.sequence + 1)
        sealed: dict[str, Any] = {
            "sequence": entry.sequence,
            "previous_hash": head.entry_hash,
            "entry_hash": entry_hash(head.entry_hash, canonical_content(_fields(entry))),
        }
        # One guarded statement per entry; the object learns the values as saved ones
        # (not as changes for the ORM to write a second time).
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id == entry.id, AuditEvent.entry_hash.is_(None))
            .values(**sealed)
            .execution_options(synchronize_session=False)
        )
        for name, value in sealed.items():
            set_committed_value(entry, name, value)
        head.sequence = sealed["sequence"]
        head.entry_hash = sealed["entry_hash"]


def _forget_unsealed(session: Session, *_args: Any) -> None:
    session.info.pop(_UNSEALED_KEY, None)


def install(session_class: type[Session] = Session) -> None:
    """Seal on every commit, forget on rollback (the entries are gone with it)."""
    if not event.contains(session_class, "before_commit", seal):
        event.listen(session_class, "before_commit", seal)
        event.listen(session_class, "after_rollback", _forget_unsealed)


# Verifying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    entry_id: int | None
    sequence: int | None
    what: str


@dataclass(frozen=True)
class Verification:
    entries: int
    head_sequence: int
    head_hash: str
    problems: tuple[Problem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def _walk(rows: Iterator[dict[str, Any]], head: AuditChainHead | None) -> Verification:
    problems: list[Problem] = []
    expected, previous, count = 1, GENESIS, 0
    for row in rows:
        count += 1
        entry_id, sequence = row["id"], row["sequence"]
        if sequence is None or row["entry_hash"] is None:
            problems.append(
                Problem(entry_id, None, "was inserted outside the application (it is not sealed)")
            )
            continue
        if sequence < expected:
            problems.append(
                Problem(entry_id, sequence, f"was inserted: sequence {sequence} is taken already")
            )
            continue
        if sequence > expected:
            missing = (
                f"entry {expected} was"
                if sequence == expected + 1
                else f"entries {expected} to {sequence - 1} were"
            )
            problems.append(Problem(entry_id, sequence, f"follows a gap: {missing} removed"))
        elif row["previous_hash"] != previous:
            problems.append(
                Problem(
                    entry_id,
                    sequence,
                    "does not follow the entry before it: an entry was removed or inserted",
                )
            )
        if entry_hash(row["previous_hash"] or "", canonical_content(row)) != row["entry_hash"]:
            problems.append(
                Problem(
                    entry_id,
                    sequence,
                    "was changed after it was written (who, what, when or whom it is about "
                    "no longer matches its hash)",
                )
            )
        expected, previous = sequence + 1, row["entry_hash"]
    head_sequence = head.sequence if head else 0
    head_hash = head.entry_hash if head else GENESIS
    if head_sequence >= expected:
        missing = (
            f"entry {expected} was"
            if head_sequence == expected
            else f"entries {expected} to {head_sequence} were"
        )
        problems.append(Problem(None, head_sequence, f"is missing at the end: {missing} removed"))
    elif head_sequence < expected - 1 or (count and head_hash != previous):
        problems.append(
            Problem(None, expected - 1, "the chain's head does not match its last entry")
        )
    return Verification(count, head_sequence, head_hash, tuple(problems))


def verify(session: Session, batch: int = 5000) -> Verification:
    """Walk the whole chain in sequence order (unsealed entries last), in batches."""
    head = session.get(AuditChainHead, 1)
    columns = [getattr(AuditEvent, name) for name in (*_FIELDS, "previous_hash", "entry_hash")]
    query = (
        select(*columns)
        .order_by(AuditEvent.sequence.is_(None), AuditEvent.sequence, AuditEvent.id)
        .execution_options(yield_per=batch)
    )

    def rows() -> Iterator[dict[str, Any]]:
        for row in session.execute(query):
            yield dict(row._mapping)

    return _walk(rows(), head)


# Anchors: the head written somewhere the database's owner cannot rewrite ------------------


def anchor_line(verification: Verification, now: datetime) -> str:
    stamp = now.isoformat(timespec="seconds")
    return f"{stamp} {verification.head_sequence} {verification.head_hash}\n"


def check_anchors(session: Session, text: str) -> list[Problem]:
    """Each anchored head (``time sequence hash`` per line) must still be in the chain: a
    chain recomputed after tampering no longer matches the hashes written down before."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or not parts[1].isdigit():
            problems.append(Problem(None, None, f"anchor line {number} cannot be read"))
            continue
        sequence, expected = int(parts[1]), parts[2]
        if sequence == 0:
            continue
        stored = session.scalar(
            select(AuditEvent.entry_hash).where(AuditEvent.sequence == sequence)
        )
        if stored != expected:
            problems.append(
                Problem(
                    None,
                    sequence,
                    f"does not match the hash anchored on {parts[0]}: the chain was rewritten",
                )
            )
    return problems
