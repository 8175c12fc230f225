"""What the emergency alert poll costs: every open front-desk and therapist page asks
`GET /alerts/live` every few seconds, so its cost is multiplied by the pages open.

Run by `make bench` (never by the tests). Builds a SQLite database by the migrations with
PATIENTS patients, each with a sent intake and its result (one in 2,000 an EMERGENCY, most
of those acknowledged), then takes turns, round by round, so that the machine's drift
falls on every variant alike:

- the poll of a page that already shows the current alerts (``seen``: no names, no audit);
- the poll of a page that does not (names, and an audit entry per alert);
- the header's count, read from the results' stored open state through its partial index
  (as the app runs it), and worked out by grouping every intake's results (as it was
  before the open state was stored).

Prints medians and the ratio of the two queries.
"""

from __future__ import annotations

import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select

from clinic import create_app, migrate
from clinic.auth.models import User
from clinic.auth.passwords import hash_password
from clinic.auth.roles import Role
from clinic.db import database, utcnow
from clinic.intake.models import (
    EmergencyAcknowledgement,
    FlagDecision,
    Intake,
    IntakeMode,
    IntakeStatus,
    ScreeningRecord,
)
from clinic.intake.review import unreviewed_emergency_count
from clinic.patients.models import Patient
from clinic.screening.model import Tier

PATIENTS = 20_000
EMERGENCY_EVERY = 2_000
UNACKNOWLEDGED = 3
ROUNDS = 200
PASSWORD = secrets.token_urlsafe(18)  # a throwaway account in a throwaway database


def build(url: str) -> None:
    migrate.upgrade(migrate.alembic_config(url=url))


def fill(app: object) -> None:
    with app.app_context(), database(app).session_factory() as session:  # type: ignore[attr-defined]
        user = User(
            username="desk",
            display_name="Desk",
            role=Role.FRONT_DESK,
            password_hash=hash_password(PASSWORD),
            active=True,
        )
        session.add(user)
        session.flush()
        now = utcnow()
        session.execute(
            insert(Patient),
            [
                {
                    "public_id": uuid.uuid4().hex,
                    "chart_number": f"{number:08d}",
                    "given_name": "Bench",
                    "family_name": f"Patient{number}",
                    "search_name": f"bench patient{number}",
                    "date_of_birth": date(1970, 1, 1) + timedelta(days=number % 15000),
                    "created_by_id": user.id,
                    "updated_by_id": user.id,
                }
                for number in range(PATIENTS)
            ],
        )
        patient_ids = session.scalars(select(Patient.id).order_by(Patient.id)).all()
        session.execute(
            insert(Intake),
            [
                {
                    "public_id": uuid.uuid4().hex,
                    "patient_id": patient_id,
                    "status": IntakeStatus.SUBMITTED,
                    "mode": IntakeMode.DESK,
                    "questionnaire_version": "bench",
                    "answers": {},
                    "measures": {},
                    "current_step": "submitted",
                    "started_by_id": user.id,
                    "submitted_at": now,
                }
                for patient_id in patient_ids
            ],
        )
        intake_ids = session.scalars(select(Intake.id).order_by(Intake.id)).all()
        tiers = [
            Tier.EMERGENCY if index % EMERGENCY_EVERY == 0 else Tier.NONE
            for index in range(len(intake_ids))
        ]
        session.execute(
            insert(ScreeningRecord),
            [
                {
                    "public_id": uuid.uuid4().hex,
                    "intake_id": intake_id,
                    "tier": tier,
                    "ruleset_version": "bench",
                    "questionnaire_version": "bench",
                    "answers": {},
                    "result": {
                        "conditions": ["cauda_equina_syndrome"] if tier is Tier.EMERGENCY else []
                    },
                    "screened_by_id": user.id,
                    "screened_at": now,
                }
                for intake_id, tier in zip(intake_ids, tiers, strict=True)
            ],
        )
        emergencies = session.execute(
            select(ScreeningRecord.id, ScreeningRecord.intake_id).where(
                ScreeningRecord.tier == Tier.EMERGENCY
            )
        ).all()
        session.execute(
            insert(EmergencyAcknowledgement),
            [
                {
                    "intake_id": intake_id,
                    "screening_id": screening_id,
                    "acknowledged_by_id": user.id,
                    "acknowledged_at": now,
                    "waited_seconds": 30,
                    "acknowledged_via": "alert",
                }
                for screening_id, intake_id in emergencies[UNACKNOWLEDGED:]
            ],
        )
        session.commit()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="clinic-bench-alerts-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    build(url)
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40, "INSTANCE_PATH": str(folder)}
    )
    fill(app)
    client = app.test_client()
    login = client.get("/login")
    token = login.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    client.post(
        "/login",
        data={"username": "desk", "password": PASSWORD, "csrf_token": token.split('"')[0]},
    )
    fingerprint = client.get("/alerts/live").get_json()["fingerprint"]

    def stored() -> object:
        with app.app_context(), database(app).session_factory() as session:
            return unreviewed_emergency_count(session)

    def grouped() -> object:
        """The count as it was worked out before results stored their open state: the
        newest result of every intake, grouped, without a decision."""
        with app.app_context(), database(app).session_factory() as session:
            newest = (
                select(func.max(ScreeningRecord.id).label("id"))
                .group_by(ScreeningRecord.intake_id)
                .subquery()
            )
            return session.scalar(
                select(func.count())
                .select_from(ScreeningRecord)
                .join(newest, newest.c.id == ScreeningRecord.id)
                .outerjoin(FlagDecision, FlagDecision.screening_id == ScreeningRecord.id)
                .where(FlagDecision.id.is_(None), ScreeningRecord.tier == Tier.EMERGENCY)
            )

    assert stored() == grouped() == PATIENTS // EMERGENCY_EVERY
    variants: dict[str, Callable[[], object]] = {
        "poll, page up to date (no names)": lambda: client.get(f"/alerts/live?seen={fingerprint}"),
        "poll, page out of date (names, audit)": lambda: client.get("/alerts/live"),
        "count, stored open state (partial index)": stored,
        "count, grouping every intake's results": grouped,
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for call in variants.values():
        call()  # warm up
    for _ in range(ROUNDS):
        for name, call in variants.items():
            start = time.perf_counter_ns()
            call()
            samples[name].append((time.perf_counter_ns() - start) / 1e6)
    print(
        f"{PATIENTS} patients, {PATIENTS // EMERGENCY_EVERY} open emergencies "
        f"({UNACKNOWLEDGED} unacknowledged), SQLite, {ROUNDS} rounds taking turns"
    )
    medians = {}
    for name, values in samples.items():
        medians[name] = statistics.median(values)
        p95 = sorted(values)[int(len(values) * 0.95)]
        print(f"{name:<40} median {medians[name]:8.2f} ms   p95 {p95:8.2f} ms")
    ratio = (
        medians["count, grouping every intake's results"]
        / medians["count, stored open state (partial index)"]
    )
    print(f"the stored open state against grouping: {ratio:.1f}x faster (median over median)")


if __name__ == "__main__":
    main()
