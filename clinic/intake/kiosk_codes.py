"""One-time codes that open one intake on the waiting-room tablet."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import KIOSK_ACTOR_NAME, Actor
from clinic.auth.services import forget_failures, record_failure, refuse_attempt, throttle_wait
from clinic.auth.throttling import Backoff, Scope, wait_message
from clinic.db import utcnow
from clinic.errors import ConflictError, PermissionDeniedError
from clinic.intake.models import (
    Intake,
    IntakeMode,
    IntakeStatus,
    KioskCode,
)
from clinic.intake.services import audit_event, load_intake

# Kiosk codes -----------------------------------------------------------------------------

KIOSK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
KIOSK_CODE_LENGTH = 8


class KioskCodeError(Exception):
    """A code that cannot open an intake; the message is safe to show the patient."""


def _code_hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


def create_kiosk_code(
    session: Session, actor: Actor, intake_public_id: str, valid_for: timedelta
) -> tuple[str, datetime]:
    """A one-time code for the waiting-room tablet, valid for ``valid_for``. Returns the
    code (shown once; only its hash is stored) and when it expires."""
    if actor.user_id is None:
        raise PermissionDeniedError("Only staff can create a kiosk code.")
    intake = load_intake(session, intake_public_id)
    if intake.status is not IntakeStatus.DRAFT:
        raise ConflictError("This intake has been submitted already.")
    code = "".join(secrets.choice(KIOSK_CODE_ALPHABET) for _ in range(KIOSK_CODE_LENGTH))
    expires_at = utcnow() + valid_for
    session.add(
        KioskCode(
            code_hash=_code_hash(code),
            intake_id=intake.id,
            created_by_id=actor.user_id,
            expires_at=expires_at,
        )
    )
    intake.mode = IntakeMode.KIOSK
    session.flush()
    audit_event(
        session, actor, AuditAction.CREATE, "kiosk_code", intake.public_id, intake.patient_id
    )
    return f"{code[:4]}-{code[4:]}", expires_at


USED = "That code has been used already. Please ask at the front desk for a new one."


def redeem_kiosk_code(session: Session, code: str, now: datetime | None = None) -> str:
    """The intake a code opens, marking the code used. Used, expired and unknown codes
    are refused with a message for the patient."""
    now = now or utcnow()
    kiosk_code = session.scalar(select(KioskCode).where(KioskCode.code_hash == _code_hash(code)))
    if kiosk_code is None:
        raise KioskCodeError("That code is not right. Check it, or ask at the front desk.")
    if kiosk_code.used_at is not None:
        raise KioskCodeError(USED)
    if kiosk_code.expires_at <= now:
        raise KioskCodeError("That code has expired. Please ask at the front desk for a new one.")
    intake = session.get(Intake, kiosk_code.intake_id)
    if intake is None or intake.status is not IntakeStatus.DRAFT:
        raise KioskCodeError(
            "This questionnaire is already finished. Please ask at the front desk."
        )
    # Claimed in one statement: of several tablets sending the same code at once, only
    # the one whose UPDATE changes the row opens the intake (the others see it used).
    claimed = session.execute(
        update(KioskCode)
        .where(KioskCode.id == kiosk_code.id, KioskCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise KioskCodeError(USED)
    kiosk = Actor(user_id=None, username=KIOSK_ACTOR_NAME, role=None)
    audit_event(
        session,
        kiosk,
        AuditAction.VIEW,
        "intake",
        intake.public_id,
        intake.patient_id,
        "kiosk code used",
    )
    return intake.public_id


def open_with_code(
    session: Session, code: str, address: str, backoff: Backoff, now: datetime
) -> str:
    """Redeem a code typed on a tablet, throttled per client address: wrong codes slow the
    next attempt down (growing waits), and are audited in aggregate, one entry when the
    waits begin and one each time the count doubles, not one per guess."""
    wait = throttle_wait(session, Scope.KIOSK_CODE, address, "", now)
    if wait:
        refuse_attempt(session, Scope.KIOSK_CODE, address, "", now)
        raise KioskCodeError(
            f"Too many codes that were not right were entered here. Wait {wait_message(wait)} "
            "and try again, or ask at the front desk."
        )
    try:
        intake_id = redeem_kiosk_code(session, code, now)
    except KioskCodeError:
        failures = record_failure(session, Scope.KIOSK_CODE, backoff, address, "", now)
        if _audit_point(failures, backoff.free_failures):
            kiosk = Actor(user_id=None, username=KIOSK_ACTOR_NAME, role=None)
            record(
                session,
                kiosk,
                AuditAction.FAILED_LOGIN,
                entity_type="kiosk_code",
                detail=f"{failures} wrong tablet codes from {address[:64]} in a row",
            )
        raise
    forget_failures(session, Scope.KIOSK_CODE, address, "")
    return intake_id


def _audit_point(failures: int, first: int) -> bool:
    """``first``, then each doubling of it (10, 20, 40...)."""
    if failures < first or failures % first:
        return False
    multiple = failures // first
    return multiple & (multiple - 1) == 0
