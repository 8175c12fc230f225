"""The schema comes from the migrations, and the models agree with them."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DatabaseError

from clinic import migrate
from clinic.db import make_engine
from clinic.models import metadata
from tests.conftest import Databases


def test_models_and_migrations_describe_the_same_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_downgrade_to_base_then_upgrade_again_round_trips(databases: Databases) -> None:
    url = databases.create("clinic_round_trip")
    config = migrate.alembic_config(url=url)
    migrate.upgrade(config)
    migrate.downgrade(config, "base")
    engine = make_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(config)
        assert {"user_account", "patient", "audit_event"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_every_constraint_has_a_name_from_the_naming_convention(engine: Engine) -> None:
    inspector = inspect(engine)
    for table in metadata.sorted_tables:
        for foreign_key in inspector.get_foreign_keys(table.name):
            assert foreign_key["name"].startswith("fk_"), foreign_key
        for unique in inspector.get_unique_constraints(table.name):
            assert unique["name"].startswith("uq_"), unique


def test_the_database_refuses_to_change_or_delete_audit_entries(engine: Engine) -> None:
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(
                text(
                    "INSERT INTO audit_event (occurred_at, username, action) "
                    "VALUES (CURRENT_TIMESTAMP, 'someone', 'view')"
                )
            )
            for statement in (
                "UPDATE audit_event SET username = 'tampered'",
                "DELETE FROM audit_event",
            ):
                savepoint = connection.begin_nested()
                with pytest.raises(DatabaseError, match="append-only"):
                    connection.execute(text(statement))
                savepoint.rollback()
        finally:
            transaction.rollback()
