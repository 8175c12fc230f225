"""Operations commands: verifying the audit log, backups, and patients' data rights."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

P = ParamSpec("P")
R = TypeVar("R")


def with_app(command: Callable[P, R]) -> Callable[P, R]:
    """Run the command inside the app built from the environment (a configuration
    error is the command's message, exit status 2), or the app already running it.
    Commands without it start without importing Flask or the database."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from flask import has_app_context

        from clinic import create_app
        from clinic.config import ConfigurationError

        if has_app_context():  # called from inside an app (the tests)
            return command(*args, **kwargs)
        try:
            app = create_app()
        except ConfigurationError as error:
            click.echo(f"Configuration error: {error}", err=True)
            sys.exit(2)
        with app.app_context():
            return command(*args, **kwargs)

    return run


@contextmanager
def _said(*errors: type[Exception]) -> Iterator[None]:
    """A refusal the user can act on becomes the command's message (exit status 1)."""
    try:
        yield
    except errors as error:
        raise click.ClickException(getattr(error, "message", str(error))) from None


def _write_private(target: Path, data: bytes) -> None:
    """A file of patient data, readable by its owner only."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    target.chmod(0o600)


@click.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@click.option(
    "--anchor",
    "anchor_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file of earlier heads (kept off the database server): check them, then "
    "append today's. Run daily, for example from cron.",
)
@with_app
def audit_verify(anchor_path: Path | None) -> None:
    """Walk the audit log's hash chain and name the first entry that was changed,
    removed or inserted. Exits with status 1 when the chain is broken."""
    from clinic.audit import chain
    from clinic.db import command_session, utcnow

    with command_session() as session:
        verification = chain.verify(session)
        problems = list(verification.problems)
        if anchor_path is not None and anchor_path.exists():
            problems += chain.check_anchors(session, anchor_path.read_text(encoding="utf-8"))
    if problems:
        first = problems[0]
        where = f"entry id {first.entry_id}" if first.entry_id is not None else "the chain"
        if first.sequence is not None:
            where += f" (sequence {first.sequence})"
        click.echo(f"Audit log NOT intact: {len(problems)} problem(s).", err=True)
        click.echo(f"First: {where} {first.what}.", err=True)
        for problem in problems[1:20]:
            click.echo(f"  also: entry id {problem.entry_id}: {problem.what}", err=True)
        raise SystemExit(1)
    click.echo(
        f"Audit log intact: {verification.entries} entries; head {verification.head_sequence} "
        f"{verification.head_hash}"
    )
    if anchor_path is not None:
        with anchor_path.open("a", encoding="utf-8") as handle:
            handle.write(chain.anchor_line(verification, utcnow()))
        click.echo(f"Head anchored in {anchor_path}.")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def backup_command(target: Path) -> None:
    """Write a backup of the whole database to TARGET (a new file, mode 0600), while the
    app runs: SQLite's online backup API, or pg_dump's custom format."""
    from flask import current_app

    from clinic.backup import BackupError, backup

    with _said(BackupError):
        backup(current_app.config["DATABASE_URL"], target)
    click.echo(f"Backup written to {target} ({target.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_app
def restore_command(source: Path) -> None:
    """Restore SOURCE (made by `clinic backup`) into the configured database, which must
    be new and empty. Then run `clinic audit verify`."""
    from flask import current_app

    from clinic.backup import BackupError, restore

    with _said(BackupError):
        restore(current_app.config["DATABASE_URL"], source)
    click.echo(f"Restored {source}. Check it with: clinic audit verify")


@click.group("patient")
def patient() -> None:
    """A patient's data rights: export, erasure of a record registered in error."""


@patient.command("export")
@click.argument("chart_number")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ZIP to write (default: patient-CHART_NUMBER.zip here).",
)
@with_app
def patient_export(chart_number: str, output: Path | None) -> None:
    """Write everything held about a patient (GDPR Art. 15 and 20) to a ZIP: a JSON
    document and a readable PDF summary. Audited."""
    from clinic.cli import SYSTEM_ACTOR
    from clinic.db import command_session, utcnow
    from clinic.errors import DomainError
    from clinic.patients.export import export_zip

    target = output or Path(f"patient-{chart_number.strip()}.zip")
    with command_session() as session, _said(DomainError):
        data = export_zip(session, SYSTEM_ACTOR, chart_number, utcnow())
        session.commit()
    _write_private(target, data)
    click.echo(f"Patient data written to {target} ({len(data):,} bytes).")


@patient.command("erase")
@click.argument("chart_number")
@click.option("--reason", required=True, help="Why, for the audit log (no clinical detail).")
@with_app
def patient_erase(chart_number: str, reason: str) -> None:
    """Erase a record registered in error. Refused, with the reason, when the patient has
    a clinical record (intakes sent, screening results, plans)."""
    from flask import current_app

    from clinic.cli import SYSTEM_ACTOR
    from clinic.db import command_session
    from clinic.errors import DomainError
    from clinic.patients.rights import erase

    retention = current_app.config["RECORD_RETENTION_YEARS"]
    with command_session() as session, _said(DomainError):
        erase(session, SYSTEM_ACTOR, chart_number, reason, retention)
        session.commit()
    click.echo(f"The record {chart_number.strip()} is erased; its audit entries remain.")


@click.group("fhir")
def fhir() -> None:
    """The patient's record as HL7 FHIR R4 (docs/fhir.md)."""


@fhir.command("export")
@click.argument("chart_number")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The JSON file to write (default: patient-CHART_NUMBER.fhir.json here).",
)
@with_app
def fhir_export(chart_number: str, output: Path | None) -> None:
    """Write the patient's whole record as a FHIR R4 Bundle (type collection: the shape of
    Patient/$everything), handout PDFs included. Audited."""
    import json

    from flask import current_app

    from clinic.cli import SYSTEM_ACTOR
    from clinic.db import command_session, utcnow
    from clinic.errors import DomainError
    from clinic.fhir.record import export_by_chart_number
    from clinic.fhir.vocabulary import Naming

    target = output or Path(f"patient-{chart_number.strip()}.fhir.json")
    naming = Naming(current_app.config["FHIR_BASE_URL"])
    with command_session() as session, _said(DomainError):
        found = export_by_chart_number(session, SYSTEM_ACTOR, naming, chart_number, utcnow())
        session.commit()
    data = json.dumps(found, indent=2, ensure_ascii=False).encode()
    _write_private(target, data)
    click.echo(
        f"FHIR Bundle of {len(found['entry'])} resources written to {target} ({len(data):,} bytes)."
    )
