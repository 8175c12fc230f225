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


def test_upgrading_a_database_that_holds_data_keeps_every_row_and_reference(
    databases: Databases,
) -> None:
    """The intake-record revision copies tables that other rows refer to (SQLite batch
    mode): a clinic's existing database must come through whole, and names with an
    apostrophe are folded again so that "oconnor" finds O'Connor; later revisions index
    the name's words and mark which screening results await a decision."""
    url = databases.create("clinic_upgrade_with_data")
    config = migrate.alembic_config(url=url)
    migrate.upgrade(config, "a9d9f26ac0ca")
    engine = make_engine(url)
    now = "2026-11-20 10:00:00+00:00"
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO user_account (id, username, display_name, role, password_hash,"
                    " active, session_version, created_at, password_changed_at)"
                    " VALUES (1, 'desk', 'Desk', 'front_desk', 'x', true, 1, :now, :now)"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO patient (id, public_id, chart_number, given_name, family_name,"
                    " search_name, date_of_birth, sex_or_gender, phone, email, address,"
                    " preferred_language, emergency_contact_name, emergency_contact_relationship,"
                    " emergency_contact_phone, large_print_handouts, created_at, created_by_id,"
                    " updated_at, updated_by_id, version) VALUES (1, 'p1', '00000017', 'Siobhan',"
                    " 'O''Connor', 'siobhan o connor', '1980-01-02', '', '', '', '', 'English',"
                    " '', '', '', false, :now, 1, :now, 1, 1)"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO intake (id, public_id, patient_id, status, mode,"
                    " questionnaire_version, answers, measures, current_step, started_by_id,"
                    " started_at, updated_at, version) VALUES (1, 'i1', 1, 'submitted', 'desk',"
                    " 'v', '{}', '{}', 'submitted', 1, :now, :now, 1)"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO screening_record (id, public_id, intake_id, tier, ruleset_version,"
                    " questionnaire_version, answers, result, screened_at, screened_by_id)"
                    " VALUES (1, 's1', 1, 'EMERGENCY', 'v', 'v', '{}', '{}', :now, 1)"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO flag_decision (id, screening_id, kind, referred_to, referred_when,"
                    " reason, decided_by_id, decided_at) VALUES (1, 1, 'referred', 'ED', 'now',"
                    " '', 1, :now)"
                ),
                {"now": now},
            )
            for screening_id in (2, 3):  # rescreened twice, nobody has decided yet
                connection.execute(
                    text(
                        "INSERT INTO screening_record (id, public_id, intake_id, tier,"
                        " ruleset_version, questionnaire_version, answers, result, screened_at,"
                        " screened_by_id) VALUES (:id, :public_id, 1, 'URGENT', 'v', 'v', '{}',"
                        " '{}', :now, 1)"
                    ),
                    {"id": screening_id, "public_id": f"s{screening_id}", "now": now},
                )
        migrate.upgrade(config)
        with engine.connect() as connection:
            counts = {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in (
                    "user_account",
                    "patient",
                    "intake",
                    "flag_decision",
                )
            }
            assert counts == dict.fromkeys(counts, 1)
            # Open: the intake's newest result only (the first was decided, the second
            # replaced by the third); the name's words are indexed for search.
            assert [
                (row[0], bool(row[1]))
                for row in connection.execute(
                    text("SELECT id, awaiting_decision FROM screening_record ORDER BY id")
                )
            ] == [(1, False), (2, False), (3, True)]
            assert connection.execute(
                text("SELECT token FROM patient_name_token WHERE patient_id = 1 ORDER BY token")
            ).scalars().all() == ["connor", "o", "oconnor", "siobhan"]
            assert connection.execute(text("SELECT search_name FROM patient")).scalar() == (
                "siobhan oconnor"
            )
            assert connection.execute(text("SELECT interim FROM screening_record")).scalar() in (
                False,
                0,
            )
            assert connection.execute(text("SELECT prefilled_from_id FROM intake")).scalar() is None
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
