"""A kiosk code opens one session only, even when several tablets send it at the same
moment: on a database of its own (not the rolled-back test transaction), eight threads
wait at a barrier and redeem the same code, each in its own session and transaction."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from clinic.auth.identity import Actor
from clinic.auth.roles import Role
from clinic.intake import kiosk_codes
from clinic.intake import services as intake_services
from clinic.intake.models import IntakeMode, KioskCode
from tests.conftest import Databases, own_database
from tests.factories import make_patient, make_user

TABLETS = 8


def test_eight_tablets_sending_one_code_at_once_open_one_session(
    databases: Databases, password_hash: str
) -> None:
    with own_database(databases, "clinic_kiosk_race") as factory:
        with factory() as session:
            desk_user = make_user(session, password_hash, Role.FRONT_DESK)
            patient = make_patient(session, desk_user)
            desk = Actor(desk_user.id, desk_user.username, desk_user.role)
            intake = intake_services.start_intake(
                session, desk, patient.public_id, IntakeMode.KIOSK
            )
            code, _ = kiosk_codes.create_kiosk_code(
                session, desk, intake.public_id, timedelta(hours=1)
            )
            session.commit()

        barrier = threading.Barrier(TABLETS)
        opened: list[str] = []
        refused: list[str] = []

        def tablet() -> None:
            with factory() as session:
                barrier.wait()
                try:
                    opened_id = kiosk_codes.redeem_kiosk_code(session, code)
                    session.commit()
                except kiosk_codes.KioskCodeError as error:
                    session.rollback()
                    refused.append(error.args[0])
                else:
                    opened.append(opened_id)

        threads = [threading.Thread(target=tablet) for _ in range(TABLETS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert opened == [intake.public_id]
        assert refused == [
            "That code has been used already. Please ask at the front desk for a new one."
        ] * (TABLETS - 1)
        with factory() as session:
            used = session.scalar(select(KioskCode.used_at))
            assert used is not None
