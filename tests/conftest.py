"""Test harness: real databases built by the migrations, one rolled-back transaction per test.

The backend comes from CLINIC_TEST_DATABASE: ``sqlite`` (default) or ``postgresql``, a
throwaway server this harness starts itself. `make test` runs the suite once for each.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from clinic import create_app, migrate
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.db import make_engine
from tests import internal_references
from tests.clock import MovableClock
from tests.factories import make_user
from tests.helpers import TEST_PASSWORD, PageClient

BACKEND = os.environ.get("CLINIC_TEST_DATABASE", "sqlite")
if BACKEND not in {"sqlite", "postgresql"}:
    raise pytest.UsageError(f"CLINIC_TEST_DATABASE must be sqlite or postgresql, not {BACKEND!r}")


def pytest_report_header() -> str:
    return f"clinic test database: {BACKEND}"


class Databases:
    """Creates empty databases of the backend under test, each under its own name."""

    def __init__(self, base_url: str | None, sqlite_dir: Path) -> None:
        self.base_url = base_url
        self.sqlite_dir = sqlite_dir

    @property
    def backend(self) -> str:
        return BACKEND

    def create(self, name: str) -> str:
        if self.base_url is None:
            # Empty, as on PostgreSQL: a file left by an earlier test goes first.
            path = self.sqlite_dir / f"{name}.db"
            for leftover in (
                path,
                path.with_name(f"{name}.db-wal"),
                path.with_name(f"{name}.db-shm"),
            ):
                leftover.unlink(missing_ok=True)
            return f"sqlite:///{path}"
        admin = create_engine(f"{self.base_url}/postgres", isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return f"{self.base_url}/{name}"


@pytest.fixture(scope="session")
def databases() -> Iterator[Databases]:
    sqlite_dir = Path(tempfile.mkdtemp(prefix="clinic-test-"))
    try:
        if BACKEND == "postgresql":
            from tests.postgres_server import throwaway_postgresql

            with throwaway_postgresql() as base_url:
                yield Databases(base_url, sqlite_dir)
        else:
            yield Databases(None, sqlite_dir)
    finally:
        shutil.rmtree(sqlite_dir, ignore_errors=True)


@contextmanager
def own_database(databases: Databases, name: str) -> Iterator[sessionmaker[Session]]:
    """A database of its own, built by the migrations, for tests whose threads each need
    their own session and transaction (not the rolled-back test transaction)."""
    url = databases.create(name)
    migrate.upgrade(migrate.alembic_config(url=url))
    engine = make_engine(url)
    try:
        yield sessionmaker(bind=engine, expire_on_commit=False)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def database_url(databases: Databases) -> str:
    """The main test database, its schema built by running every migration."""
    url = databases.create("clinic_test")
    migrate.upgrade(migrate.alembic_config(url=url))
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One hash serves every test account. Its scrypt cost is 1/32 of the app's (the
    parameters travel in the hash, and verifying reads them from it), so the thousands of
    sign-ins in the suite do not each spend 0.15 s; the app's own hashes keep the full
    cost (tests/auth/test_admin_users.py checks what it stores)."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(TEST_PASSWORD, method="scrypt:1024:8:1")


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test, so the app
    code may commit (to a savepoint) and every test still starts from the same data."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def _session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db_session(connection: Connection) -> Iterator[Session]:
    session = _session_factory(connection)()
    yield session
    session.close()


def make_test_app(database_url: str, instance_path: Path, **overrides: Any) -> Flask:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "INSTANCE_PATH": str(instance_path),
            "TESTING": True,
            **overrides,
        }
    )
    internal_references.watch(app)
    return app


def assert_no_internal_references(app: Flask) -> None:
    leaks = app.extensions.get(internal_references.LEAKS_KEY, [])
    assert not leaks, "pages name internal reference material:\n" + "\n".join(leaks)


@pytest.fixture
def clock() -> MovableClock:
    """The app's clock (CLOCK): real time, which a test moves forward instead of sleeping.
    A module that needs exact waits overrides it with ``MovableClock(frozen=True)``."""
    return MovableClock()


@pytest.fixture
def app_overrides(clock: MovableClock) -> dict[str, Any]:
    """Settings a test module can override (for example a shorter idle timeout)."""
    return {"CLOCK": clock}


@pytest.fixture
def app(
    database_url: str, connection: Connection, tmp_path: Path, app_overrides: dict[str, Any]
) -> Iterator[Flask]:
    app = make_test_app(database_url, tmp_path, **app_overrides)
    database = app.extensions["clinic.db"]
    database.engine.dispose()
    database.session_factory = _session_factory(connection)
    yield app
    assert_no_internal_references(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def pages(client: FlaskClient) -> PageClient:
    return PageClient(client)


@pytest.fixture
def staff(db_session: Session, password_hash: str) -> dict[Role, User]:
    """One active account per role, all with TEST_PASSWORD."""
    return {role: make_user(db_session, password_hash, role) for role in Role}


@pytest.fixture
def front_desk(staff: dict[Role, User]) -> User:
    return staff[Role.FRONT_DESK]


@pytest.fixture
def therapist(staff: dict[Role, User]) -> User:
    return staff[Role.THERAPIST]


@pytest.fixture
def admin(staff: dict[Role, User]) -> User:
    return staff[Role.ADMIN]


@pytest.fixture
def catalogue(db_session: Session) -> None:
    """The shipped treatment catalogue and plan templates, loaded into the test's session."""
    from clinic.cli import SYSTEM_ACTOR
    from clinic.plans.templates import load_default_templates
    from tests.factories import load_catalogue

    load_catalogue(db_session)
    load_default_templates(db_session, SYSTEM_ACTOR)


@pytest.fixture
def as_therapist(pages: PageClient, therapist: User, catalogue: None) -> PageClient:
    pages.login(therapist.username)
    return pages


@pytest.fixture
def samples(db_session: Session, password_hash: str, front_desk: User) -> dict[str, object]:
    """A value for every URL argument the app's routes take (the route walks use it)."""
    import pikepdf

    from clinic.auth.identity import Actor
    from clinic.fhir.tokens import create_token
    from clinic.handouts.models import HandoutBatch, HandoutIssue, HandoutPdf
    from clinic.intake import services as intake_services
    from clinic.intake.models import IntakeMode
    from clinic.plans.models import Plan, PlanTemplate, PlanVersion
    from clinic.plans.starting import create_plan
    from clinic.screening import ScreeningPolicy
    from tests.factories import load_catalogue, make_patient

    spare = make_user(db_session, password_hash, Role.THERAPIST)
    patient = make_patient(db_session, front_desk)
    desk = Actor(front_desk.id, front_desk.username, front_desk.role)
    draft = intake_services.start_intake(db_session, desk, patient.public_id, IntakeMode.DESK)
    sent = intake_services.start_intake(db_session, desk, patient.public_id, IntakeMode.DESK)
    result = intake_services.submit_intake(db_session, desk, sent.public_id, ScreeningPolicy())
    load_catalogue(db_session, "knee-to-chest")
    therapist = make_user(db_session, password_hash, Role.THERAPIST)
    treating = Actor(therapist.id, therapist.username, therapist.role)
    plan_id = create_plan(db_session, treating, patient.public_id, None)
    template = PlanTemplate(name="Sample", regions=["lumbar"], items=[{"slug": "knee-to-chest"}])
    db_session.add(template)
    # A handout given from the plan (a one-page blank PDF), and a batch of the desk's.
    blank = pikepdf.new()
    blank.add_blank_page()
    buffer = io.BytesIO()
    blank.save(buffer)
    version = db_session.scalar(select(PlanVersion).join(Plan).where(Plan.public_id == plan_id))
    assert version is not None
    pdf = HandoutPdf(
        plan_version_id=version.id,
        archive_key="0" * 64,
        paper="a4",
        large_print=False,
        language="en",
        template_version="sample",
        sha256="0" * 64,
        pages=1,
        size=len(buffer.getvalue()),
        pdf=buffer.getvalue(),
    )
    db_session.add(pdf)
    db_session.flush()
    issued = HandoutIssue(handout_pdf_id=pdf.id, patient_id=patient.id, issued_by_id=front_desk.id)
    batch = HandoutBatch(
        public_id="b" * 32, created_by_id=front_desk.id, paper="a4", plan_ids=[plan_id], results={}
    )
    db_session.add_all([issued, batch])
    db_session.flush()
    token = create_token(db_session, desk, "Sample system", ["Patient"])
    return {
        "token_id": token.id,
        # The FHIR API's id of a patient.
        "patient_id": patient.public_id,
        "issue_id": issued.id,
        "batch_id": batch.public_id,
        "public_id": patient.public_id,
        "user_id": spare.id,
        "filename": "css/app.css",
        "intake_id": draft.public_id,
        "step_id": "details",
        "screening_id": result.public_id,
        "slug": "knee-to-chest",
        "plan_id": plan_id,
        "template_id": template.id,
        "version": 1,
        # Another user's search: every role is answered, never with its results.
        "search_id": "not-a-search-of-yours",
    }
