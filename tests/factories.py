"""Build test data straight into the test's session."""

from __future__ import annotations

import functools
import itertools
import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.patients.matching import search_name
from clinic.patients.models import Patient
from clinic.patients.services import _luhn_check_digit, index_name

_sequence = itertools.count(1)


def make_user(
    session: Session, password_hash: str, role: Role = Role.FRONT_DESK, **fields: Any
) -> User:
    number = next(_sequence)
    user = User(
        username=fields.pop("username", f"{role.value.replace('_', '')}{number}"),
        display_name=fields.pop("display_name", f"Test {role.label} {number}"),
        role=role,
        password_hash=password_hash,
        **fields,
    )
    session.add(user)
    session.flush()
    return user


def make_patient(session: Session, created_by: User, **fields: Any) -> Patient:
    number = next(_sequence)
    given = fields.pop("given_name", "Test")
    family = fields.pop("family_name", f"Patient{number}")
    body = f"{2_000_000 + number:07d}"
    patient = Patient(
        public_id=uuid.uuid4().hex,
        chart_number=fields.pop("chart_number", body + _luhn_check_digit(body)),
        given_name=given,
        family_name=family,
        search_name=search_name(given, family),
        date_of_birth=fields.pop("date_of_birth", date(1980, 1, 1)),
        phone=fields.pop("phone", "01632 960000"),
        created_by_id=created_by.id,
        updated_by_id=created_by.id,
        **fields,
    )
    session.add(patient)
    session.flush()
    index_name(session, patient)
    return patient


@functools.cache
def _shipped_item_files(slugs: tuple[str, ...]) -> tuple[Any, ...]:
    """The shipped item files, read and checked once per test process (they are frozen
    data; the loader's own tests read the files themselves)."""
    from clinic.catalogue.files import ITEMS_DIR, read_item, read_items

    files = [read_item(ITEMS_DIR / f"{slug}.toml") for slug in slugs] if slugs else read_items()
    return tuple(files)


def load_catalogue(session: Session, *slugs: str) -> None:
    """The shipped catalogue items (all, or those named), loaded into the test's session."""
    from clinic.catalogue.services import load_item_files
    from clinic.cli import SYSTEM_ACTOR

    load_item_files(session, SYSTEM_ACTOR, list(_shipped_item_files(slugs)))


def make_submitted_intake(
    session: Session,
    front_desk: User,
    patient: Patient,
    regions: tuple[str, ...] = ("lumbar",),
    measures: dict[str, Any] | None = None,
    **history: Any,
) -> str:
    """A submitted desk intake: no to every red-flag question, plus ``history`` answers
    (the §9.8 fields, such as raynauds="yes"). Returns the intake's public id."""
    from clinic.auth.identity import Actor
    from clinic.intake import services as intake_services
    from clinic.intake.fields import INTAKE_QUESTIONS as HISTORY_IDS
    from clinic.intake.models import IntakeMode
    from clinic.screening import ScreeningPolicy
    from tests.screening.stories import answers

    desk = Actor(front_desk.id, front_desk.username, front_desk.role, "test-request")
    intake = intake_services.start_intake(session, desk, patient.public_id, IntakeMode.DESK)
    flags = {k: v for k, v in history.items() if k not in HISTORY_IDS}
    given = {k: v for k, v in answers(regions, **flags).items() if k != "age_years"}
    given.update({k: v for k, v in history.items() if k in HISTORY_IDS})
    intake_services.save_answers(session, desk, intake.public_id, "review", given)
    if measures:
        intake_services.save_measures(session, desk, intake.public_id, measures)
    intake_services.submit_intake(session, desk, intake.public_id, ScreeningPolicy())
    return intake.public_id


def add_final_versions(session: Session, plan_public_id: str, newest: int) -> None:
    """Finalised versions of a plan up to number ``newest``, copies of its first, the
    newest made current (for pages that list a plan's versions)."""
    from clinic.plans.models import Plan, PlanStatus, PlanVersion

    plan = session.scalar(select(Plan).where(Plan.public_id == plan_public_id))
    assert plan is not None
    first = session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.version == 1)
    )
    assert first is not None
    for number in range(plan.current_version + 1, newest + 1):
        session.add(
            PlanVersion(
                plan_id=plan.id,
                version=number,
                status=PlanStatus.FINAL,
                title=first.title,
                created_by_id=first.created_by_id,
                updated_by_id=first.updated_by_id,
            )
        )
    plan.current_version = newest
    session.flush()
