"""Intakes under load and faults: 500 intakes sent by 20 concurrent clients to gunicorn
while its workers are killed (SIGKILL) every few seconds, on SQLite and on a throwaway
PostgreSQL server. Loopback only; run by `make bench` (never by the tests).

Each client signs in as the front desk and, for its share of the patients, starts an
intake, answers every step and sends it, as a browser posts the forms. A request that
fails (a worker killed under it, a 5xx) is sent again, as a person would press the
button again; a send whose answer was lost is confirmed by what the server says when it
is sent again ("already submitted").

Prints, per database: sent (intakes whose sending was attempted), confirmed (the client
was told it was stored), stored (sent intakes in the database), lost (confirmed but not
stored), duplicated (patients with more than one sent intake, or an intake with more
than one final result), 5xx answers, requests, workers killed, and the time taken.
Target: 0 lost, 0 duplicated, 0 5xx on both.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from clinic import create_app, migrate  # noqa: E402
from clinic.auth.identity import Actor  # noqa: E402
from clinic.auth.models import User  # noqa: E402
from clinic.auth.passwords import hash_password  # noqa: E402
from clinic.auth.roles import Role  # noqa: E402
from clinic.db import database  # noqa: E402
from clinic.intake.models import Intake, IntakeStatus, ScreeningRecord  # noqa: E402
from clinic.intake.steps import DETAILS, MEASURES, steps_for  # noqa: E402
from clinic.patients.models import Patient  # noqa: E402
from clinic.patients.services import PatientDetails, register_patient  # noqa: E402
from tests.intake.walk import form_data, web_answers  # noqa: E402
from tests.postgres_server import throwaway_postgresql  # noqa: E402
from tests.servers import Browser, free_port, gunicorn  # noqa: E402

INTAKES = 500
CLIENTS = 20
WORKERS = 4
KILL_EVERY_SECONDS = 4.0
PASSWORD = secrets.token_urlsafe(18)  # a throwaway account in a throwaway database
USERNAME = "loaddesk"


def send_intake(browser: Browser, patient_public_id: str, outcome: Counter[str]) -> None:
    answers = web_answers()
    status, location, page = browser.request("POST", f"/patients/{patient_public_id}/intakes")
    match = re.search(r"/intakes/([0-9a-f]{32})/steps/", location)
    if status != 302 or match is None:
        said = " ".join(re.sub(r"<[^>]+>", " ", page).split())[:300]
        raise RuntimeError(f"could not start an intake ({status}): {said}")
    intake = match.group(1)
    outcome["sent"] += 1
    for step in steps_for(answers):
        data = {} if step in (DETAILS, MEASURES) else form_data(step, answers)
        status, location, text = browser.request("POST", f"/intakes/{intake}/steps/{step.id}", data)
        if step.id == "review":
            if status == 302 and location.startswith("/screenings/"):
                outcome["confirmed"] += 1
            elif status == 409 and "already been submitted" in text:
                outcome["confirmed"] += 1  # the first send's answer was lost
            else:
                outcome["unconfirmed"] += 1
        elif status not in (200, 302):
            raise RuntimeError(f"step {step.id}: {status}")


def prepare(url: str, instance: Path) -> list[str]:
    migrate.upgrade(migrate.alembic_config(url=url))
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "b" * 48})
    with app.app_context(), database(app).session_factory() as session:
        desk = User(
            username=USERNAME,
            display_name="Load Desk",
            role=Role.FRONT_DESK,
            password_hash=hash_password(PASSWORD),
        )
        session.add(desk)
        session.flush()
        actor = Actor(desk.id, desk.username, desk.role)
        ids = []
        for number in range(INTAKES):
            patient = register_patient(
                session,
                actor,
                PatientDetails(
                    f"Load{number:03d}",
                    "Patient",
                    date(1970 + number % 40, 1 + number % 12, 1 + number % 28),
                ),
                confirmed_not_duplicate=True,
            )
            ids.append(patient.public_id)
        session.commit()
    database(app).engine.dispose()
    return ids


def _workers(master: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in found.stdout.split()]


def run(label: str, url: str, instance: Path) -> dict[str, Any]:
    patients = prepare(url, instance)
    port = free_port()
    outcome: Counter[str] = Counter()
    tally: Counter[str] = Counter()
    lock = threading.Lock()
    queue = list(patients)
    errors: list[str] = []
    with gunicorn(url, instance, port, workers=WORKERS) as server:
        stop = threading.Event()
        kills = 0

        def killer() -> None:
            nonlocal kills
            while not stop.wait(KILL_EVERY_SECONDS):
                workers = _workers(server.pid)
                if workers:
                    os.kill(random.choice(workers), signal.SIGKILL)
                    kills += 1

        def client() -> None:
            browser = Browser(port, tally)
            try:
                browser.sign_in(USERNAME, PASSWORD)
                while True:
                    with lock:
                        if not queue:
                            return
                        patient = queue.pop()
                    send_intake(browser, patient, outcome)
            except Exception as error:  # reported below
                errors.append(f"{type(error).__name__}: {error}")

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        chaos = threading.Thread(target=killer)
        chaos.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        chaos.join()
        elapsed = time.monotonic() - started

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "b" * 48})
    with app.app_context(), database(app).session_factory() as session:
        per_patient = session.execute(
            select(Intake.patient_id, func.count())
            .where(Intake.status == IntakeStatus.SUBMITTED)
            .group_by(Intake.patient_id)
        ).all()
        finals = session.execute(
            select(ScreeningRecord.intake_id, func.count())
            .where(ScreeningRecord.interim.is_(False))
            .group_by(ScreeningRecord.intake_id)
        ).all()
        patients_total = session.scalar(select(func.count()).select_from(Patient))
    database(app).engine.dispose()
    stored = sum(count for _, count in per_patient)
    duplicated = sum(1 for _, count in per_patient if count > 1) + sum(
        1 for _, count in finals if count > 1
    )
    return {
        "database": label,
        "sent": outcome["sent"],
        "confirmed": outcome["confirmed"],
        "stored": stored,
        "lost": max(0, outcome["confirmed"] - len(per_patient)),
        "duplicated": duplicated,
        "5xx": tally["5xx"],
        "requests": tally["requests"],
        "dropped": tally["dropped"],
        "killed": kills,
        "seconds": round(elapsed, 1),
        "patients": patients_total,
        "client errors": len(errors),
        "first error": errors[0] if errors else "",
    }


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="clinic-load-") as folder:
        sqlite_dir = Path(folder) / "sqlite"
        sqlite_dir.mkdir()
        rows.append(run("SQLite", f"sqlite:///{sqlite_dir / 'clinic.db'}", sqlite_dir))
        with throwaway_postgresql() as base:
            import sqlalchemy

            admin = sqlalchemy.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(sqlalchemy.text('CREATE DATABASE "clinic_load"'))
            admin.dispose()
            pg_dir = Path(folder) / "pg"
            pg_dir.mkdir()
            rows.append(run("PostgreSQL", f"{base}/clinic_load", pg_dir))
    print(
        f"\nLoad: {INTAKES} intakes, {CLIENTS} concurrent clients, {WORKERS} gunicorn sync "
        f"workers, one worker killed (SIGKILL) every {KILL_EVERY_SECONDS:g} s"
    )
    columns = [
        "database",
        "sent",
        "confirmed",
        "stored",
        "lost",
        "duplicated",
        "5xx",
        "requests",
        "dropped",
        "killed",
        "seconds",
    ]
    print("  ".join(f"{name:>10}" for name in columns))
    for row in rows:
        print("  ".join(f"{row[name]!s:>10}" for name in columns))
        if row["client errors"]:
            print(f"  {row['client errors']} client(s) stopped early; first: {row['first error']}")
    print("Target: 0 lost, 0 duplicated, 0 5xx on both.")


if __name__ == "__main__":
    main()
