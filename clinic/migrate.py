"""Running the Alembic migrations from code (the `clinic db` commands and the tests)."""

from __future__ import annotations

import sys
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from clinic.config import PROJECT_ROOT


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """Alembic's settings from pyproject.toml; the database from ``url`` or ``connection``."""
    # stdout looked up now, not at import: `clinic db current` prints where the caller reads.
    config = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"), stdout=sys.stdout)
    attributes: dict[str, Any] = config.attributes
    if url is not None:
        attributes["url"] = url
    if connection is not None:
        attributes["connection"] = connection
    return config


def upgrade(config: Config, revision: str = "head") -> None:
    command.upgrade(config, revision)


def downgrade(config: Config, revision: str) -> None:
    command.downgrade(config, revision)


def current(config: Config) -> None:
    command.current(config, verbose=False)
