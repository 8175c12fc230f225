"""Two app servers on one database: a handout rendered by one is served by the other
from the archive, byte for byte (the archive is in the database, not in a process)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import create_engine, func, select

from bench.common import clinic_command
from clinic.demo import DEMO_PASSWORD
from clinic.handouts.models import HandoutIssue, HandoutPdf
from clinic.plans.models import Plan, PlanStatus, PlanVersion
from tests.conftest import Databases
from tests.servers import Browser, free_port, gunicorn


def test_a_second_server_serves_the_handout_the_first_rendered(
    databases: Databases, tmp_path: Path
) -> None:
    url = databases.create("two_servers")
    for command in (("db", "upgrade"), ("catalogue", "load"), ("demo",)):
        clinic_command(url, tmp_path, *command)
    engine = create_engine(url)
    with engine.connect() as connection:
        plan_id = connection.scalar(
            select(Plan.public_id)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            .where(PlanVersion.status == PlanStatus.FINAL)
            .order_by(Plan.id)
            .limit(1)
        )
    assert plan_id is not None
    first_port, second_port = free_port(), free_port()
    with gunicorn(url, tmp_path, first_port), gunicorn(url, tmp_path, second_port):
        first, second = Browser(first_port), Browser(second_port)
        first.sign_in("therapist", DEMO_PASSWORD)
        second.sign_in("frontdesk", DEMO_PASSWORD)
        status, headers, rendered = first.raw("GET", f"/plans/{plan_id}/handout.pdf")
        assert status == 200 and headers["x-handout-source"] == "rendered"
        status, headers, served = second.raw("GET", f"/plans/{plan_id}/handout.pdf")
        assert status == 200 and headers["x-handout-source"] == "archive"
    assert served == rendered
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(HandoutPdf)) == 1
        assert connection.scalar(select(func.count()).select_from(HandoutIssue)) == 2
        stored = connection.scalar(select(HandoutPdf.sha256))
    engine.dispose()
    assert stored == hashlib.sha256(served).hexdigest()
