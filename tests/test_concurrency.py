"""Concurrent writers, on a database of their own (not the rolled-back test transaction):
transactions that read and then write, started at the same moment, all commit. On SQLite
a deferred transaction would fail at once with "database is locked" when another writer
got in between; the app begins every transaction IMMEDIATE, so each waits its turn. And
a new SQLite database file is readable by its owner only."""

from __future__ import annotations

import stat
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from clinic.audit.chain import verify
from clinic.auth.identity import Actor
from clinic.auth.models import Throttle
from clinic.auth.roles import Role
from clinic.auth.services import SignInPolicy, sign_in
from clinic.auth.throttling import Backoff, Scope
from clinic.db import make_engine, utcnow
from clinic.patients.models import Patient
from clinic.patients.services import PatientDetails, register_patient
from tests.conftest import Databases, own_database
from tests.factories import make_user
from tests.helpers import TEST_PASSWORD

WRITERS = 8
_BACKOFF = Backoff(100, timedelta(seconds=1), timedelta(minutes=1), timedelta(minutes=15))
POLICY = SignInPolicy(per_address=_BACKOFF, per_account=_BACKOFF)


def test_concurrent_registrations_and_sign_ins_all_commit(
    databases: Databases, password_hash: str
) -> None:
    with own_database(databases, "clinic_concurrency") as factory:
        with factory() as session:
            desk = make_user(session, password_hash, Role.FRONT_DESK)
            session.commit()
        actor = Actor(desk.id, desk.username, desk.role)
        barrier = threading.Barrier(WRITERS)
        failures: list[BaseException] = []

        def writer(number: int) -> None:
            try:
                with factory() as session:
                    barrier.wait()
                    # Reads (duplicate check, throttle row), then writes (patient, audit).
                    register_patient(
                        session,
                        actor,
                        PatientDetails(f"Con{number}", "Current", date(1980, 1, number + 1)),
                    )
                    # A wrong password from a shared address: the throttle rows are created
                    # and counted by every writer at once.
                    wrong = sign_in(session, desk.username, "not-it", POLICY, "10.0.0.9", utcnow())
                    assert wrong.staff is None
                    signed = sign_in(
                        session, desk.username, TEST_PASSWORD, POLICY, f"10.0.1.{number}", utcnow()
                    )
                    assert signed.staff is not None
                    session.commit()
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert failures == []
        with factory() as session:
            assert session.scalar(select(func.count()).select_from(Patient)) == WRITERS
            throttle = session.get(Throttle, (Scope.SIGN_IN, "10.0.0.9", desk.username))
            assert throttle is not None and throttle.failures == WRITERS
            # Every writer's audit entries joined one chain, none forked it.
            chain = verify(session)
            assert chain.problems == ()
            assert chain.entries == chain.head_sequence == WRITERS * 3  # registered, failed, in


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "clinic.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        wal = path.with_name("clinic.db-wal")
        assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_makes_no_file(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
