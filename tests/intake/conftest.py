"""Fixtures of the intake tests."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from clinic.auth.models import User
from clinic.patients.models import Patient
from tests.factories import make_patient


@pytest.fixture
def patient(db_session: Session, front_desk: User) -> Patient:
    return make_patient(
        db_session,
        front_desk,
        given_name="Ivy",
        family_name="Intake",
        date_of_birth=date(1985, 2, 3),
    )
