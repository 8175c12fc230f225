"""Backups and restores of the whole database.

SQLite: through SQLite's online backup API, which copies a consistent snapshot including
what is still in the write-ahead log (a plain file copy misses it) while the app runs.
PostgreSQL: ``pg_dump`` in its custom format and ``pg_restore`` (the PostgreSQL client
programs must be installed: Debian package ``postgresql-client``). The password, if the
URL has one, is passed in the environment, never on a command line others can read.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from clinic.db import make_engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def _private(path: Path) -> None:
    """Backups hold patient records: readable by their owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client programs "
            "(Debian: apt install postgresql-client)."
        )
    return found


def _run(program: str, arguments: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 (an argument list from which(), no shell)
        [_program(program), *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[:500]}")


def _sqlite_copy(source: Path, destination: Path) -> None:
    """A consistent copy through SQLite's online backup API (WAL included)."""
    origin = sqlite3.connect(source)
    target = sqlite3.connect(destination)
    try:
        with target:
            origin.backup(target)
    finally:
        target.close()
        origin.close()


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database has nothing to back up.")
    return Path(url.database)


def backup(database_url: str, target: Path) -> None:
    url = make_url(database_url)
    if target.exists() and target.stat().st_size:
        raise BackupError(f"{target} exists already: choose a new file name.")
    _private(target)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
        return
    uri, environment = _libpq(url)
    try:
        _run("pg_dump", ["--format=custom", "--no-owner", f"--file={target}", uri], environment)
    except BackupError:
        target.unlink(missing_ok=True)
        raise


def _is_empty(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def restore(database_url: str, source: Path) -> None:
    """Restore ``source`` into the configured database, which must be empty (a new
    database: restoring never overwrites records silently)."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as handle:
        header = handle.read(16)
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    expected, kind = (SQLITE_MAGIC, "SQLite") if sqlite else (PG_DUMP_MAGIC, "PostgreSQL")
    if not header.startswith(expected):
        raise BackupError(
            f"{source} is not a {kind} backup made by `clinic backup` "
            "(the database it restores into must be of the same kind)."
        )
    if not _is_empty(database_url):
        raise BackupError(
            "The database to restore into is not empty. Restore into a new, empty "
            "database, check it (clinic audit verify), then point the app at it."
        )
    if sqlite:
        path = _sqlite_path(url)
        _private(path)
        _sqlite_copy(source, path)
        return
    uri, environment = _libpq(url)
    options = ["--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={uri}"]
    _run("pg_restore", [*options, str(source)], environment)
