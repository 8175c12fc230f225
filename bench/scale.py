"""Pages at 10,000 and at 200,000 patients: patient search (a name fragment, a full name,
a date of birth, a chart number), the therapists' queue and the home page must not grow
with the clinic. Run by `make bench` (never by the tests).

For each database (SQLite in a temporary folder; PostgreSQL as a throwaway server, the
one the tests start) and each size, a fresh database is built by the migrations with the
catalogue and the demo accounts, then filled by bulk inserts with generated patients:
names drawn from a weighted list of common names of many origins (accents, apostrophes,
names of several words), dates of birth over 90 years, chart numbers as the app makes
them. One in ten has a sent intake screened by the rules (answers and results copied
from the demo intakes); all but one in fifty results carry a therapist's decision. Then
the statistics a live database keeps are gathered (VACUUM ANALYZE, as PostgreSQL's
autovacuum does after a bulk load; ANALYZE on SQLite).

Both sizes are built first; then each page is requested ROUNDS times at each size through
the app in this process (a signed-in therapist, the Flask test client), the pages and the
sizes taking turns. Printed: the time to generate,
the median of each page at both sizes and the growth ratio. Targets: growth at most 1.5x
for every row on both databases; generating 200,000 patients in under two minutes.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402

from bench.common import clinic_command  # noqa: E402
from clinic import create_app  # noqa: E402
from clinic.auth.models import User  # noqa: E402
from clinic.db import database  # noqa: E402
from clinic.demo import DEMO_PASSWORD  # noqa: E402
from clinic.intake.models import (  # noqa: E402
    DecisionKind,
    EmergencyAcknowledgement,
    FlagDecision,
    Intake,
    IntakeMode,
    IntakeStatus,
    ScreeningRecord,
)
from clinic.patients.matching import name_tokens, search_name  # noqa: E402
from clinic.patients.models import Patient, PatientNameToken  # noqa: E402
from clinic.patients.services import _luhn_check_digit  # noqa: E402
from clinic.screening.model import Tier  # noqa: E402
from tests.postgres_server import throwaway_postgresql  # noqa: E402
from tests.servers import csrf_token  # noqa: E402

SIZES = (10_000, 200_000)
WITH_INTAKE = 10  # one patient in ten
OPEN_EVERY = 50  # one result in fifty awaits a decision
ROUNDS = 40
GROWTH_TARGET = 1.5
GENERATE_TARGET_S = 120.0
BATCH = 20_000
SEED = 20261130

# Common names of many origins, most common first: drawn with weight 1 / rank ** 0.8, so
# a few are very common (as Smith and Garcia are) and most are rare.
GIVEN = (
    "James",
    "Maria",
    "Mohammed",
    "Olivia",
    "John",
    "Sarah",
    "David",
    "Aisha",
    "Michael",
    "Emma",
    "Daniel",
    "Sofia",
    "Jose",
    "Chloe",
    "Wei",
    "Fatima",
    "Thomas",
    "Ana",
    "Ahmed",
    "Grace",
    "Luca",
    "Hannah",
    "Omar",
    "Zoe",
    "Pedro",
    "Amelia",
    "Ivan",
    "Nadia",
    "Kwame",
    "Chiara",
    "Raj",
    "Ingrid",
    "Hiroshi",
    "Yuki",
    "Siobhan",
    "Sean",
    "Dmitri",
    "Elena",
    "Mateo",
    "Lucia",
    "Arjun",
    "Priya",
    "Kofi",
    "Amara",
    "Liam",
    "Noor",
    "Jonas",
    "Freya",
    "Tomasz",
    "Zofia",
    "Jamal",
    "Leila",
    "Andre",
    "Camille",
    "Finn",
    "Astrid",
    "Jose-Luis",
    "Marie-Claire",
    "Anne-Sophie",
    "Bjorn",
    "Søren",
    "Zoë",
    "Renée",
    "Ciarán",
    "Dáithí",
    "Åsa",
)
FAMILY = (
    "Smith",
    "Garcia",
    "Jones",
    "Khan",
    "Williams",
    "Nguyen",
    "Brown",
    "Singh",
    "Taylor",
    "Müller",
    "Wilson",
    "Kowalski",
    "Davies",
    "Rossi",
    "Evans",
    "Martin",
    "Thomas",
    "Patel",
    "Johnson",
    "Roberts",
    "Chen",
    "Walker",
    "Wright",
    "Ahmed",
    "Robinson",
    "Lopez",
    "Thompson",
    "Ali",
    "O'Connor",
    "Hughes",
    "Edwards",
    "Kim",
    "Green",
    "Novak",
    "Hall",
    "Wood",
    "Lewis",
    "Harris",
    "Clarke",
    "Jackson",
    "Ivanova",
    "Okafor",
    "Mensah",
    "Haddad",
    "Fernández",
    "Núñez-Ruiz",
    "Schmidt",
    "Dubois",
    "Lefèvre",
    "Janssen",
    "Nielsen",
    "Andersson",
    "Kaur",
    "Sato",
    "Tanaka",
    "O'Brien",
    "McCarthy",
    "MacLeod",
    "Van den Berg",
    "De Souza",
    "Da Silva",
    "Al-Sayed",
    "Ben-David",
    "Papadopoulos",
    "Yilmaz",
    "Kovač",
    "Horvát",
    "Nowak",
    "Lindqvist",
    "Whitfield",
    "Rahman",
    "Okonkwo",
    "Adeyemi",
    "Osei",
    "Balogun",
    "Björk",
    "Þórsdóttir",
)


def _weights(count: int) -> list[float]:
    return [1 / (rank + 1) ** 0.8 for rank in range(count)]


def _chart_numbers(rng: random.Random, count: int) -> list[str]:
    bodies = rng.sample(range(1_000_000, 10_000_000), count)
    return [f"{body}{_luhn_check_digit(str(body))}" for body in bodies]


def _demo_screenings(
    session: Any,
) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any], Tier]]:
    """(intake answers, screening answers, result, tier) of every demo intake."""
    rows = session.execute(
        select(
            Intake.answers, ScreeningRecord.answers, ScreeningRecord.result, ScreeningRecord.tier
        )
        .join(ScreeningRecord, ScreeningRecord.intake_id == Intake.id)
        .where(ScreeningRecord.interim.is_(False))
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def generate(app: Flask, size: int) -> float:
    """Bulk-insert ``size`` patients (the same first ones at every size: one seed) with
    their search words, intakes, results and decisions; the seconds it took."""
    rng = random.Random(SEED)
    start = time.perf_counter()
    with app.app_context(), database(app).session_factory() as session:
        desk = session.scalar(select(User.id).where(User.username == "frontdesk"))
        therapist = session.scalar(select(User.id).where(User.username == "therapist"))
        samples = _demo_screenings(session)
        first_id = (session.scalar(text("SELECT max(id) FROM patient")) or 0) + 1
        given_weights, family_weights = _weights(len(GIVEN)), _weights(len(FAMILY))
        charts = _chart_numbers(rng, size + 100)
        taken = set(session.scalars(select(Patient.chart_number)))
        charts = [chart for chart in charts if chart not in taken][:size]
        now = datetime.now(UTC)
        for offset in range(0, size, BATCH):
            patients, tokens, intakes = [], [], []
            for number in range(offset, min(size, offset + BATCH)):
                patient_id = first_id + number
                given = rng.choices(GIVEN, given_weights)[0]
                family = rng.choices(FAMILY, family_weights)[0]
                born = date(1935, 1, 1) + timedelta(days=rng.randrange(90 * 365))
                patients.append(
                    {
                        "id": patient_id,
                        "public_id": uuid.uuid4().hex,
                        "chart_number": charts[number],
                        "given_name": given,
                        "family_name": family,
                        "search_name": search_name(given, family),
                        "date_of_birth": born,
                        "created_by_id": desk,
                        "updated_by_id": desk,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                tokens.extend(
                    {"token": token, "patient_id": patient_id}
                    for token in name_tokens(given, family)
                )
                if number % WITH_INTAKE == 0:
                    intakes.append((patient_id, rng.choice(samples), number))
            session.execute(insert(Patient), patients)
            session.execute(insert(PatientNameToken), tokens)
            _add_intakes(session, intakes, desk, therapist, now)
        session.commit()
    seconds = time.perf_counter() - start
    _gather_statistics(database(app).engine)
    return seconds


def _gather_statistics(engine: Any) -> None:
    """What the database does by itself after a bulk load (PostgreSQL's autovacuum: the
    planner's statistics and the visibility map that lets an index answer alone; on
    SQLite, the statistics `ANALYZE` keeps), done now rather than some minutes later."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(
            "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
        )


def _add_intakes(
    session: Any, intakes: list[Any], desk: int, therapist: int, now: datetime
) -> None:
    if not intakes:
        return
    rows = []
    for patient_id, (answers, _, _, _), number in intakes:
        rows.append(
            {
                "public_id": uuid.uuid4().hex,
                "patient_id": patient_id,
                "status": IntakeStatus.SUBMITTED,
                "mode": IntakeMode.DESK,
                "questionnaire_version": "demo",
                "answers": answers,
                "measures": {},
                "current_step": "submitted",
                "started_by_id": desk,
                "submitted_by_id": desk,
                "started_at": now - timedelta(minutes=number),
                "updated_at": now - timedelta(minutes=number),
                "submitted_at": now - timedelta(minutes=number),
            }
        )
    intake_ids = session.scalars(
        insert(Intake).returning(Intake.id, sort_by_parameter_order=True), rows
    ).all()
    screenings = []
    for intake_id, (_, (_, answers, result, tier), number) in zip(intake_ids, intakes, strict=True):
        screenings.append(
            {
                "public_id": uuid.uuid4().hex,
                "intake_id": intake_id,
                "tier": tier,
                "ruleset_version": result.get("ruleset_version", "demo"),
                "questionnaire_version": "demo",
                "answers": answers,
                "result": result,
                "screened_by_id": desk,
                "screened_at": now - timedelta(minutes=number),
                "interim": False,
                "awaiting_decision": (number // WITH_INTAKE) % OPEN_EVERY == 0,
            }
        )
    screening_ids = session.scalars(
        insert(ScreeningRecord).returning(ScreeningRecord.id, sort_by_parameter_order=True),
        screenings,
    ).all()
    decisions, acknowledgements = [], []
    for screening_id, intake_id, row in zip(screening_ids, intake_ids, screenings, strict=True):
        if row["tier"] is Tier.EMERGENCY:
            acknowledgements.append(
                {
                    "intake_id": intake_id,
                    "screening_id": screening_id,
                    "acknowledged_by_id": desk,
                    "acknowledged_at": row["screened_at"],
                    "waited_seconds": 40,
                    "acknowledged_via": "alert",
                }
            )
        if row["awaiting_decision"]:
            continue
        serious = row["tier"] in (Tier.EMERGENCY, Tier.URGENT, Tier.INCOMPLETE)
        decisions.append(
            {
                "screening_id": screening_id,
                "kind": DecisionKind.REFERRED if serious else DecisionKind.REVIEWED,
                "referred_to": "Emergency department" if serious else "",
                "referred_when": "the same day" if serious else "",
                "reason": "",
                "decided_by_id": therapist,
                "decided_at": row["screened_at"],
            }
        )
    session.execute(insert(FlagDecision), decisions)
    if acknowledgements:
        session.execute(insert(EmergencyAcknowledgement), acknowledgements)


class Therapist:
    """A signed-in therapist driving the app in this process."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()
        login = self.client.get("/login").get_data(as_text=True)
        self.client.post(
            "/login",
            data={
                "username": "therapist",
                "password": DEMO_PASSWORD,
                "csrf_token": csrf_token(login),
            },
        )
        self.token = csrf_token(self.client.get("/").get_data(as_text=True))
        assert self.token, "not signed in"

    def search(self, text: str = "", born: date | None = None) -> str:
        response = self.client.post(
            "/patients/",
            data={
                "text": text,
                "date_of_birth": born.isoformat() if born else "",
                "csrf_token": self.token,
            },
        )
        assert response.status_code == 302, response.status_code
        return response.headers["Location"]

    def get(self, path: str) -> Callable[[], None]:
        def call() -> None:
            response = self.client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call


def _probe(session: Any) -> tuple[str, str, date, str]:
    """The patient the searches look for: one of the first generated (so the same at
    both sizes)."""
    row = session.execute(
        select(Patient.given_name, Patient.family_name, Patient.date_of_birth, Patient.chart_number)
        .join(PatientNameToken, PatientNameToken.patient_id == Patient.id)
        .where(Patient.family_name == "Garcia", Patient.given_name == "Maria")
        .order_by(Patient.id)
        .limit(1)
    ).first()
    assert row is not None
    return tuple(row)  # type: ignore[return-value]


def prepare(
    url: str, instance: Path, size: int
) -> tuple[float, dict[str, Callable[[], None]], Flask]:
    """Build and fill one database; the seconds generating took, a call per page, and the
    app the calls go to."""
    for command in (("db", "upgrade"), ("catalogue", "load"), ("demo",)):
        clinic_command(url, instance, *command)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "s" * 48})
    seconds = generate(app, size)
    with app.app_context(), database(app).session_factory() as session:
        given, family, born, chart = _probe(session)
    therapist = Therapist(app)
    pages = {
        f'search: name fragment "{family[:3]}"': therapist.search(family[:3]),
        f'search: full name "{given} {family}"': therapist.search(f"{given} {family}"),
        "search: date of birth": therapist.search(born=born),
        "search: chart number": therapist.search(chart),
        "review queue": "/queue",
        "home page": "/",
    }
    return seconds, {label: therapist.get(path) for label, path in pages.items()}, app


def measure(sizes: dict[int, dict[str, Callable[[], None]]]) -> dict[int, dict[str, list[float]]]:
    """Milliseconds of each page at each size, the sizes and pages taking turns."""
    samples: dict[int, dict[str, list[float]]] = {
        size: {label: [] for label in calls} for size, calls in sizes.items()
    }
    for calls in sizes.values():
        for call in calls.values():
            call()  # warm up
    for _ in range(ROUNDS):
        for size, calls in sizes.items():
            for label, call in calls.items():
                begin = time.perf_counter()
                call()
                samples[size][label].append((time.perf_counter() - begin) * 1000)
    return samples


@contextmanager
def sqlite_databases() -> Iterator[Callable[[str], tuple[str, Path]]]:
    with tempfile.TemporaryDirectory(prefix="clinic-bench-scale-") as folder:

        def make(name: str) -> tuple[str, Path]:
            instance = Path(folder) / name
            instance.mkdir()
            return f"sqlite:///{instance / 'clinic.db'}", instance

        yield make


@contextmanager
def postgresql_databases() -> Iterator[Callable[[str], tuple[str, Path]]]:
    with throwaway_postgresql() as base, tempfile.TemporaryDirectory() as folder:

        def make(name: str) -> tuple[str, Path]:
            admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            instance = Path(folder) / name
            instance.mkdir()
            return f"{base}/{name}", instance

        yield make


# The statements whose plans `--explain` prints: what grows with the clinic.
EXPLAINED = ("FROM patient_name_token", "FROM patient WHERE", "FROM screening_record")


def explain(app: Flask, calls: dict[str, Callable[[], None]]) -> None:
    """Each page's statements that read the growing tables, as the page ran them, with
    the database's plan for them (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""
    engine = database(app).engine
    ran: list[tuple[str, Any]] = []
    shown: set[str] = set()  # each statement once (every page counts the emergencies)

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        flat = " ".join(statement.split())
        if flat.startswith("SELECT") and any(part in flat for part in EXPLAINED):
            ran.append((statement, parameters))

    for label, call in calls.items():
        ran.clear()
        event.listen(engine, "before_cursor_execute", keep)
        try:
            call()
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        print(f"\n### {label}\n")
        with engine.connect() as connection:
            for statement, parameters in ran:
                if statement in shown:
                    continue
                shown.add(statement)
                sqlite = engine.dialect.name == "sqlite"
                prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
                plan = connection.exec_driver_sql(prefix + statement, parameters).all()
                print("```sql\n" + " ".join(statement.split()) + "\n```\n```")
                depth: dict[int, int] = {}
                for row in plan:
                    # SQLite: (id, parent, unused, detail), indented under its parent.
                    level = depth.get(row[1], -1) + 1 if sqlite else 0
                    if sqlite:
                        depth[row[0]] = level
                    print(f"{'  ' * level}{row[-1]}")
                print("```")


def main() -> None:
    if "--explain" in sys.argv:
        for label, databases in (
            ("SQLite", sqlite_databases),
            ("PostgreSQL", postgresql_databases),
        ):
            with databases() as make:
                url, instance = make("scale_explain")
                _, calls, app = prepare(url, instance, SIZES[-1])
                print(f"\n## {label}, {SIZES[-1]:,} patients")
                explain(app, calls)
        return
    for label, databases in (("SQLite", sqlite_databases), ("PostgreSQL", postgresql_databases)):
        with databases() as make:
            generated, pages = {}, {}
            for size in SIZES:
                generated[size], pages[size], _ = prepare(*make(f"scale_{size}"), size)
            samples = measure(pages)
        small, large = SIZES
        seconds = generated[large]
        print(
            f"\n{label}: generating {large:,} patients took {seconds:.0f} s "
            f"({small:,}: {generated[small]:.1f} s)   target under {GENERATE_TARGET_S:.0f} s: "
            f"{'met' if seconds < GENERATE_TARGET_S else 'MISSED'}"
        )
        print(
            f"  {'median of ' + str(ROUNDS) + ' requests, sizes taking turns':<44} "
            f"{small:>9,} {large:>9,}   growth (target <= {GROWTH_TARGET}x)"
        )
        for page in samples[small]:
            before = statistics.median(samples[small][page])
            after = statistics.median(samples[large][page])
            growth = after / before
            print(
                f"  {page:<44} {before:7.1f} ms {after:7.1f} ms   {growth:5.2f}x "
                f"{'met' if growth <= GROWTH_TARGET else 'MISSED'}"
            )


if __name__ == "__main__":
    main()
