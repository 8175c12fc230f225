"""Alembic environment. The database comes from the caller (``clinic db ...`` or the
tests) or, failing that, from the CLINIC_* settings; never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from clinic.config import database_url_from_environment
from clinic.db import make_engine
from clinic.models import metadata

config = context.config


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = config.attributes.get("url") or database_url_from_environment()
    engine = make_engine(url)
    try:
        with engine.connect() as new_connection:
            sqlite = new_connection.dialect.name == "sqlite"
            if sqlite:
                _sqlite_foreign_keys(new_connection, on=False)
            run_with(new_connection)
            if sqlite:
                _check_sqlite_foreign_keys(new_connection)
            new_connection.commit()
            if sqlite:
                _sqlite_foreign_keys(new_connection, on=True)
    finally:
        engine.dispose()


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """Batch mode copies a table, drops the old one and renames the copy: with foreign keys
    enforced, dropping a table other rows refer to fails (SQLite's documented procedure
    for changing a table turns them off first). Set on the driver's connection, outside
    any transaction: inside one the pragma does nothing."""
    driver = connection.connection.driver_connection
    if driver is not None:
        driver.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    """What enforcement would have refused, checked before the migration commits."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows whose references are broken: {broken[:5]}")


if context.is_offline_mode():
    context.configure(
        url=config.attributes.get("url") or database_url_from_environment(),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
