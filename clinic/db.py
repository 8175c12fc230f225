"""Database plumbing: the declarative base, the engine, and one session per request.

Services receive the session explicitly and only flush; the request handler commits once
(``commit()`` below) and teardown rolls back whatever is left, so a failure part-way
through a request leaves the database as it was.
"""

from __future__ import annotations

import enum
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Enum, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Named constraints from the first revision on, so later migrations can alter or drop
# them by name on both SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC time")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """An enum stored by its value, with a named CHECK constraint on every backend."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
        # SAVEPOINTs work (SQLAlchemy's documented pysqlite workaround).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_SECONDS * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # IMMEDIATE: take the write lock when the transaction begins. A deferred
        # transaction that reads and then writes fails at once with "database is locked"
        # when another writer got in between (busy_timeout cannot help it: the snapshot it
        # read is stale); an immediate one waits its turn. Nearly every request writes
        # (reads of patient data are audited), so nearly every transaction is a write.
        # The exception: what a request reads after its one commit (the page rendered
        # after it), which must not hold the lock against the other workers.
        if connection.get_execution_options().get(READ_ONLY_AFTER_COMMIT):
            connection.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(connection.connection.dbapi_connection)


# How long a transaction waits for SQLite's write lock before "database is locked".
BUSY_WAIT_SECONDS = 5.0


def _begin_immediate(dbapi_connection: Any) -> None:
    """BEGIN IMMEDIATE, asked again every millisecond while another connection holds the
    write lock. SQLite's own busy handler sleeps in growing steps (up to 100 ms at a time)
    however soon the lock is free: two workers taking turns at 10 ms transactions waited
    up to 100 ms each (p95 of the busiest pages, `bench/web.py`)."""
    deadline = time.monotonic() + BUSY_WAIT_SECONDS
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.001)
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_SECONDS * 1000)}")
        cursor.close()


def _create_private_file(database: str | None) -> None:
    """Create a new SQLite database file readable by its owner only (mode 0600): it holds
    patient records. SQLite gives its -wal and -shm files the same permissions."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _create_private_file(engine.url.database)
        _configure_sqlite(engine)
    return engine


class Database:
    """The app's engine and session factory (``app.extensions['clinic.db']``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session_factory: sessionmaker[Session] = sessionmaker(
            bind=engine, expire_on_commit=False
        )


def init_app(app: Flask) -> None:
    # hide_parameters: SQL errors and logs never carry the values, which are patient data.
    engine = make_engine(app.config["DATABASE_URL"], pool_pre_ping=True, hide_parameters=True)
    app.extensions["clinic.db"] = Database(engine)
    app.teardown_appcontext(_close_session)


def database(app: Flask | None = None) -> Database:
    target = app or current_app
    db: Database = target.extensions["clinic.db"]
    return db


def get_session() -> Session:
    """The session for this request, opened on first use."""
    if "db_session" not in g:
        g.db_session = database().session_factory()
    session: Session = g.db_session
    return session


# Set on the transaction a page's rendering reads in after the request's commit: it only
# reads, so on SQLite it takes no write lock (the other workers are not held up while
# the page is rendered).
READ_ONLY_AFTER_COMMIT = "clinic_read_only_after_commit"
_COMMITTED = "clinic_committed"


def commit() -> None:
    """The one commit of a request; views call it after their service call."""
    session = get_session()
    session.commit()
    session.info[_COMMITTED] = True


def session_for_the_page() -> Session:
    """The session for what a page's template helpers read (the header's count). After
    the request's commit, that is a transaction of its own which only reads; before it,
    the request's own transaction."""
    session = get_session()
    if session.info.get(_COMMITTED) and not session.in_transaction():
        session.connection(execution_options={READ_ONLY_AFTER_COMMIT: True})
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


@contextmanager
def command_session() -> Iterator[Session]:
    """A session for one command-line command; its connections close when it ends."""
    db = database()
    try:
        with db.session_factory() as session:
            yield session
    finally:
        db.engine.dispose()
