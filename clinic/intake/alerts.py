"""Emergency alerts: every open EMERGENCY that no staff member has taken up yet, for the
banner every front-desk and therapist page polls, and acknowledging one.

The state is in the database only (``emergency_acknowledgement``), so every gunicorn
worker and every app server sees the same alerts. Escalation is not stored: an alert is
escalated when it has waited longer than the clinic's ``ALERT_ESCALATE_AFTER``, judged by
the clock the caller passes (the tests move it instead of sleeping). Services flush; the
request commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record_listing
from clinic.auth.identity import Actor
from clinic.errors import ConflictError, PermissionDeniedError
from clinic.intake.models import EmergencyAcknowledgement, ScreeningRecord
from clinic.intake.review import latest_open_records
from clinic.intake.services import audit_screening, load_screening
from clinic.screening.model import Tier


@dataclass(frozen=True)
class LiveAlert:
    screening_public_id: str
    # For the audit entry when the alert is shown (never sent to the page).
    patient_id: int
    patient_public_id: str
    patient_name: str
    chart_number: str
    conditions: tuple[str, ...]
    # The intake's first EMERGENCY result: the alert has waited since then.
    raised_at: datetime
    waited: timedelta
    escalated: bool
    # Raised while the questionnaire was still being answered.
    interim: bool


@dataclass(frozen=True)
class Acknowledgement:
    by: str
    at: datetime
    waited: timedelta
    via: str


def _raised_at(session: Session, intake_ids: list[int]) -> dict[int, datetime]:
    """When each intake's first EMERGENCY result was made."""
    if not intake_ids:
        return {}
    rows = session.execute(
        select(ScreeningRecord.intake_id, func.min(ScreeningRecord.screened_at))
        .where(ScreeningRecord.intake_id.in_(intake_ids), ScreeningRecord.tier == Tier.EMERGENCY)
        .group_by(ScreeningRecord.intake_id)
    )
    return {intake_id: raised for intake_id, raised in rows}  # noqa: C416 (typed rows)


def unacknowledged(session: Session, now: datetime, escalate_after: timedelta) -> list[LiveAlert]:
    """Open emergencies nobody has acknowledged, the longest waiting first. Reading them
    is not yet showing them: the caller audits the patients it lists (``audit_listed``),
    and lists them only when the set has changed."""
    records = latest_open_records(
        session,
        ~exists().where(EmergencyAcknowledgement.intake_id == ScreeningRecord.intake_id),
        tier=Tier.EMERGENCY,
    )
    # One alert per intake: an interim result and the full one may both be open.
    by_intake = {record.screening.intake_id: record for record in records}
    raised = _raised_at(session, list(by_intake))
    alerts = []
    for intake_id, record in by_intake.items():
        raised_at = raised.get(intake_id, record.screening.screened_at)
        waited = max(timedelta(0), now - raised_at)
        alerts.append(
            LiveAlert(
                screening_public_id=record.screening.public_id,
                patient_id=record.patient.id,
                patient_public_id=record.patient.public_id,
                patient_name=record.patient.full_name,
                chart_number=record.patient.chart_number,
                conditions=tuple(record.screening.result.get("conditions", [])),
                raised_at=raised_at,
                waited=waited,
                escalated=waited >= escalate_after,
                interim=record.screening.interim,
            )
        )
    alerts.sort(key=lambda alert: (alert.raised_at, alert.screening_public_id))
    return alerts


def fingerprint(alerts: list[LiveAlert]) -> str:
    """Changes when an alert comes, goes or escalates: a page that has the current one
    needs nothing more (and nobody's record is read again)."""
    text = ";".join(f"{alert.screening_public_id}:{int(alert.escalated)}" for alert in alerts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def audit_listed(session: Session, actor: Actor, alerts: list[LiveAlert]) -> None:
    """One audit entry naming the patients an alert banner shows (from what the listing
    already read: no second look-up)."""
    record_listing(
        session, actor, "screening", (alert.patient_id for alert in alerts), "the emergency alert"
    )


def acknowledge(
    session: Session, actor: Actor, screening_public_id: str, now: datetime, via: str
) -> tuple[Acknowledgement, bool]:
    """Take up the EMERGENCY alert of this result's intake: the first one to do so is
    recorded (who, when, how long it waited) and audited. Returns the acknowledgement and
    whether this call made it (two people a second apart: the second learns who was
    first, and nothing fails)."""
    if actor.user_id is None:
        raise PermissionDeniedError("Only signed-in staff can acknowledge an emergency.")
    screening = load_screening(session, screening_public_id)
    if screening.tier is not Tier.EMERGENCY:
        raise ConflictError("Only an EMERGENCY result raises an alert to acknowledge.")
    existing = acknowledgement_of(session, screening.intake_id)
    if existing is not None:
        return existing, False
    first_raised = raised_at(session, screening.intake_id) or screening.screened_at
    waited = max(timedelta(0), now - first_raised)
    row = EmergencyAcknowledgement(
        intake_id=screening.intake_id,
        screening_id=screening.id,
        acknowledged_by_id=actor.user_id,
        acknowledged_at=now,
        waited_seconds=int(waited.total_seconds()),
        acknowledged_via=via,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Someone else acknowledged it between our read and our write.
        first = acknowledgement_of(session, screening.intake_id)
        if first is None:
            raise
        return first, False
    audit_screening(
        session,
        actor,
        AuditAction.UPDATE,
        screening,
        f"emergency acknowledged ({via}) after {row.waited_seconds} s",
    )
    made = acknowledgement_of(session, screening.intake_id)
    if made is None:  # pragma: no cover (just written in this transaction)
        raise ConflictError("The acknowledgement could not be read back.")
    return made, True


def acknowledgement_of(session: Session, intake_id: int) -> Acknowledgement | None:
    from clinic.auth.models import User

    row = session.execute(
        select(EmergencyAcknowledgement, User.display_name)
        .join(User, User.id == EmergencyAcknowledgement.acknowledged_by_id)
        .where(EmergencyAcknowledgement.intake_id == intake_id)
    ).first()
    if row is None:
        return None
    ack, name = row
    return Acknowledgement(
        name, ack.acknowledged_at, timedelta(seconds=ack.waited_seconds), ack.acknowledged_via
    )


def raised_at(session: Session, intake_id: int) -> datetime | None:
    return _raised_at(session, [intake_id]).get(intake_id)
