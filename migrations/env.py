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
            run_with(new_connection)
            new_connection.commit()
    finally:
        engine.dispose()


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
