"""`clinic backup` and `clinic restore`: a backup restored into a new, empty database
gives back every row of every table, and its audit chain verifies."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import select

from clinic.db import make_engine
from clinic.models import metadata
from tests.conftest import Databases
from tests.helpers import run_cli


def _contents(url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_a_backup_restored_into_a_new_database_matches_row_for_row_and_verifies(
    databases: Databases, tmp_path: Path
) -> None:
    original = databases.create("clinic_backup_source")
    assert run_cli(original, tmp_path, "db", "upgrade").exit_code == 0
    assert run_cli(original, tmp_path, "demo").exit_code == 0
    target = tmp_path / "backups" / "clinic.backup"

    made = run_cli(original, tmp_path, "backup", str(target))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = run_cli(original, tmp_path, "backup", str(target))
    assert again.exit_code != 0 and "exists already" in again.output

    copy = databases.create("clinic_backup_copy")
    restored = run_cli(copy, tmp_path, "restore", str(target))
    assert restored.exit_code == 0, restored.output
    before, after = _contents(original), _contents(copy)
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()
    }
    assert after == before
    assert len(after["audit_event"]) > 0 and len(after["patient"]) >= 12
    verified = run_cli(copy, tmp_path, "audit", "verify")
    assert verified.exit_code == 0 and "Audit log intact" in verified.output

    # Never over records: a database that holds tables is refused.
    refused = run_cli(copy, tmp_path, "restore", str(target))
    assert refused.exit_code != 0 and "not empty" in refused.output


def test_a_file_that_is_not_a_backup_is_refused(databases: Databases, tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")
    result = run_cli(databases.create("clinic_backup_stray"), tmp_path, "restore", str(stray))
    assert result.exit_code != 0 and "is not a" in result.output and "backup" in result.output
