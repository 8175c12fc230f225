"""The `clinic` command line, against a database of the backend under test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from clinic.cli import cli
from clinic.db import make_engine
from clinic.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_PATIENTS
from clinic.intake.models import ScreeningRecord
from clinic.patients.models import Patient
from clinic.screening import Tier
from tests.conftest import Databases
from tests.helpers import count_rows, run_cli


@pytest.fixture(scope="module")
def cli_database(databases: Databases) -> str:
    return databases.create("clinic_cli")


def test_upgrade_then_demo_twice_loads_the_demo_set_once(cli_database: str, tmp_path: Path) -> None:
    upgraded = run_cli(cli_database, tmp_path, "db", "upgrade")
    current = run_cli(cli_database, tmp_path, "db", "current")
    first = run_cli(cli_database, tmp_path, "demo")
    second = run_cli(cli_database, tmp_path, "demo")

    assert upgraded.exit_code == current.exit_code == first.exit_code == second.exit_code == 0
    assert "(head)" in current.output
    assert f"{len(DEMO_ACCOUNTS)} account(s), {len(DEMO_PATIENTS)} patient(s) and" in first.output
    assert "0 account(s), 0 patient(s) and 0 intake(s) added" in second.output
    for account in DEMO_ACCOUNTS:
        assert f"username: {account.username}" in first.output
    assert DEMO_PASSWORD in first.output
    assert count_rows(cli_database, Patient) == len(DEMO_PATIENTS)
    assert len(DEMO_PATIENTS) >= 12
    engine = make_engine(cli_database)
    try:
        with engine.connect() as connection:
            tiers = set(connection.scalars(select(ScreeningRecord.tier)))
    finally:
        engine.dispose()
    assert tiers == set(Tier), "the demo queue shows every tier"


def test_create_user_makes_an_account_and_refuses_a_short_password(
    cli_database: str, tmp_path: Path
) -> None:
    run_cli(cli_database, tmp_path, "db", "upgrade")
    created = run_cli(
        cli_database,
        tmp_path,
        "create-user",
        "--username",
        "ksmith",
        "--name",
        "Kim Smith",
        "--role",
        "therapist",
        "--password",
        "a-long-enough-password",
    )
    refused = run_cli(
        cli_database,
        tmp_path,
        "create-user",
        "--username",
        "lsmith",
        "--name",
        "Lee Smith",
        "--role",
        "therapist",
        "--password",
        "short",
    )
    assert created.exit_code == 0 and "Created therapist account 'ksmith'" in created.output
    assert refused.exit_code == 2 and "at least 12 characters" in refused.output


def test_demo_data_is_refused_in_production(cli_database: str, tmp_path: Path) -> None:
    result = run_cli(
        cli_database, tmp_path, "demo", CLINIC_ENV="production", CLINIC_SECRET_KEY="s" * 64
    )
    assert result.exit_code == 1
    assert "refused in production" in result.output


def test_a_missing_production_setting_is_named_and_exits_with_status_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["db", "current"],
        env={
            "CLINIC_ENV": "production",
            "CLINIC_DATABASE_URL": "",
            "CLINIC_SECRET_KEY": "s" * 64,
            "CLINIC_INSTANCE_PATH": str(tmp_path),
        },
    )
    assert result.exit_code == 2
    assert "CLINIC_DATABASE_URL" in result.output


# What `clinic --help` and the clinical commands must start without: each costs a
# noticeable part of a second to import, and none of them is needed there.
HEAVY_MODULES = ("flask", "sqlalchemy", "alembic", "weasyprint", "wtforms", "psycopg")
_LOADED = """
import sys
from clinic.cli import main
sys.argv = ["clinic", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
print("LOADED", sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY)), code)
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["screen", "--questions"], ["screen", "ANSWERS"], ["score", "--help"]],
    ids=["help", "screen-questions", "screen", "score-help"],
)
def test_the_command_starts_without_the_web_app_the_database_or_the_pdf_engine(
    args: list[str], tmp_path: Path
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            f"HEAVY = {HEAVY_MODULES!r}\n{_LOADED}",
            *[str(answers) if arg == "ANSWERS" else arg for arg in args],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "LOADED [] 0"


def test_a_command_that_needs_the_app_still_builds_it(tmp_path: Path) -> None:
    """The counterpart: `clinic db current` imports the app and Alembic when it runs."""
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            f"HEAVY = {HEAVY_MODULES!r}\n{_LOADED}",
            "db",
            "current",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "CLINIC_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
            "CLINIC_INSTANCE_PATH": str(tmp_path),
        },
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1].startswith("LOADED ['alembic', 'flask',")
