"""Therapists' review of screening results: decisions, completing answers, the queue,
the open flags of a patient and the front desk's emergency alerts. Services flush;
the request commits.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, func, select, true
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record_listing
from clinic.auth.identity import Actor
from clinic.auth.roles import Role
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from clinic.intake.fields import ALL_QUESTIONS
from clinic.intake.models import (
    DecisionKind,
    FlagDecision,
    Intake,
    ScreeningRecord,
)
from clinic.intake.services import (
    NEEDS_DECISION,
    ScreeningView,
    audit_screening,
    close,
    load_screening,
    merged_answers,
    patient_id_of,
    screen_and_store,
    screening_view,
)
from clinic.intake.steps import answer_label
from clinic.pagination import Page
from clinic.patients.models import Patient
from clinic.screening.model import Tier
from clinic.screening.policy import ScreeningPolicy


def _require_therapist(actor: Actor) -> int:
    if actor.role is not Role.THERAPIST or actor.user_id is None:
        raise PermissionDeniedError("Only a therapist can record a decision on a red flag.")
    return actor.user_id


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    referred_to: str = ""
    referred_when: str = ""
    reason: str = ""


def decide(
    session: Session, actor: Actor, screening_public_id: str, decision: Decision
) -> ScreeningView:
    """Record a therapist's decision on a result: referred (where and when), clinically
    cleared (with a reason), or reviewed (a routine result). Audited with the rule-set
    version and the answers the therapist saw."""
    therapist_id = _require_therapist(actor)
    screening = load_screening(session, screening_public_id)
    _ensure_open(session, screening)
    if decision.kind is DecisionKind.RESCREENED:
        raise FieldError("kind", "Complete the answers to screen again")
    if decision.kind is DecisionKind.REFERRED:
        if not decision.referred_to.strip():
            raise FieldError("referred_to", "Enter where the patient was referred")
        if not decision.referred_when.strip():
            raise FieldError("referred_when", "Enter when the patient was referred or told to go")
    if decision.kind is DecisionKind.CLEARED and not decision.reason.strip():
        raise FieldError("reason", "Enter the clinical reason for clearing this flag")
    if decision.kind is DecisionKind.REVIEWED and screening.tier in NEEDS_DECISION:
        raise FieldError(
            "kind", "This result needs a referral, a clearance with a reason, or completed answers"
        )
    _close(
        session,
        actor,
        screening,
        FlagDecision(
            screening_id=screening.id,
            kind=decision.kind,
            referred_to=decision.referred_to.strip(),
            referred_when=decision.referred_when.strip(),
            reason=decision.reason.strip(),
            decided_by_id=therapist_id,
        ),
        f"{decision.kind.value}; {screening.tier.value}; rule set {screening.ruleset_version}",
    )
    return screening_view(session, screening)


def _decided(session: Session, screening: ScreeningRecord) -> bool:
    return (
        session.scalar(select(FlagDecision.id).where(FlagDecision.screening_id == screening.id))
        is not None
    )


def _ensure_open(session: Session, screening: ScreeningRecord) -> None:
    if _decided(session, screening):
        raise ConflictError("A decision has already been recorded for this result.")


def _close(
    session: Session, actor: Actor, screening: ScreeningRecord, decision: FlagDecision, detail: str
) -> None:
    """Record the decision that closes ``screening``, audited against the patient with the
    rule-set version (the record itself holds the answers the therapist saw)."""
    close(session, screening, decision)
    audit_screening(session, actor, AuditAction.UPDATE, screening, detail)


def complete_and_rescreen(
    session: Session,
    actor: Actor,
    screening_public_id: str,
    answers: Mapping[str, Any],
    policy: ScreeningPolicy,
    today: date | None = None,
) -> ScreeningView:
    """A therapist completes the answers an INCOMPLETE (or any open) result lacked and
    screens again: the new answers are kept on the intake, a new result is made, and the
    old one is closed as "rescreened", pointing at the new one."""
    therapist_id = _require_therapist(actor)
    old = load_screening(session, screening_public_id)
    _ensure_open(session, old)
    intake = session.get(Intake, old.intake_id)
    if intake is None:
        raise NotFoundError("There is no intake for this result.")
    day = today or date.today()  # noqa: DTZ011
    intake.answers = merged_answers(intake.answers, answers, day)
    intake.updated_at = utcnow()
    session.flush()
    new = screen_and_store(session, actor, intake, policy, day)
    if _decided(session, old):
        # An interim result the new one covers was closed as superseded already.
        return screening_view(session, new)
    _close(
        session,
        actor,
        old,
        FlagDecision(
            screening_id=old.id,
            kind=DecisionKind.RESCREENED,
            reason=f"answers completed: {', '.join(sorted(answers))}",
            replaced_by_id=new.id,
            decided_by_id=therapist_id,
        ),
        f"rescreened; {old.tier.value} -> {new.tier.value}; rule set {new.ruleset_version}",
    )
    return screening_view(session, new)


@dataclass(frozen=True)
class QueueItem:
    screening_public_id: str
    intake_public_id: str
    patient_public_id: str
    patient_name: str
    chart_number: str
    tier: Tier
    conditions: tuple[str, ...]
    screened_at: datetime


@dataclass(frozen=True)
class OpenRecord:
    screening: ScreeningRecord
    intake_public_id: str
    patient: Patient


def _open_records_query(
    *conditions: ColumnElement[bool], tier: Tier | None = None, patient_id: int | None = None
) -> Select[ScreeningRecord, str, Patient]:
    """The results awaiting a decision (``awaiting_decision``: the newest result of each
    intake and any interim one a later result did not supersede, until a decision is
    recorded), with each its intake's id and its patient, narrowed by ``conditions`` in
    the database: read through the index of open results, however many results the
    clinic has kept. With ``tier``, only that tier; with ``patient_id``, only that
    patient's intakes."""
    if tier is not None:
        conditions = (*conditions, ScreeningRecord.tier == tier)
    if patient_id is not None:
        conditions = (*conditions, Intake.patient_id == patient_id)
    return (
        select(ScreeningRecord, Intake.public_id, Patient)
        .join(Intake, Intake.id == ScreeningRecord.intake_id)
        .join(Patient, Patient.id == Intake.patient_id)
        .where(ScreeningRecord.awaiting_decision == true(), *conditions)
    )


def latest_open_records(
    session: Session, *conditions: ColumnElement[bool], tier: Tier | None = None
) -> list[OpenRecord]:
    return [
        OpenRecord(screening, intake_public_id, patient)
        for screening, intake_public_id, patient in session.execute(
            _open_records_query(*conditions, tier=tier)
        )
    ]


def _audit_listed(session: Session, actor: Actor, records: list[OpenRecord], where: str) -> None:
    """Listing patients in a queue is a read of their records: one audit entry naming
    every patient shown."""
    record_listing(session, actor, "screening", (r.patient.id for r in records), where)


# Most urgent first: the order of ``Tier.rank``, in the database.
_URGENCY = case({tier.value: tier.rank for tier in Tier}, value=ScreeningRecord.tier, else_=0)

QUEUE_PAGE_SIZE = 25


@functools.cache
def _queue_statement() -> Select[Any]:
    """A page of the queue in one statement: the page's results are chosen from the open
    results alone (the partial index, with the total as a window count), then only those
    are joined to their intake and patient. Built once, with parameters."""
    chosen = (
        select(
            ScreeningRecord.id,
            _URGENCY.label("urgency"),
            ScreeningRecord.screened_at,
            func.count().over().label("total"),
        )
        .where(ScreeningRecord.awaiting_decision == true())
        .order_by(_URGENCY.desc(), ScreeningRecord.screened_at, ScreeningRecord.id)
        .limit(bindparam("size"))
        .offset(bindparam("offset"))
        .subquery()
    )
    return (
        select(
            ScreeningRecord.public_id,
            ScreeningRecord.tier,
            ScreeningRecord.screened_at,
            ScreeningRecord.result["conditions"],
            Intake.public_id,
            Patient.id,
            Patient.public_id,
            Patient.given_name,
            Patient.family_name,
            Patient.chart_number,
            chosen.c.total,
        )
        .join(chosen, chosen.c.id == ScreeningRecord.id)
        .join(Intake, Intake.id == ScreeningRecord.intake_id)
        .join(Patient, Patient.id == Intake.patient_id)
        .order_by(chosen.c.urgency.desc(), chosen.c.screened_at, ScreeningRecord.id)
    )


def review_queue(
    session: Session, actor: Actor, page: int = 1, page_size: int = QUEUE_PAGE_SIZE
) -> Page[QueueItem]:
    """Intakes awaiting a therapist, a page at a time: EMERGENCY first, then URGENT,
    INCOMPLETE, ROUTINE_WITH_FLAG, NONE; oldest first within a tier. One statement
    whatever the queue's length (a page past the end: the last page, two more); the
    listed patients are audited in one entry."""
    number = max(1, page)
    rows = session.execute(
        _queue_statement(), {"size": page_size, "offset": (number - 1) * page_size}
    ).all()
    if not rows and number > 1:
        waiting = unreviewed_count(session)
        if waiting:
            return review_queue(session, actor, -(-waiting // page_size), page_size)
    record_listing(session, actor, "screening", (row[5] for row in rows), "review queue")
    items = [
        QueueItem(
            screening_public_id=screening_id,
            intake_public_id=intake_id,
            patient_public_id=patient_public_id,
            patient_name=f"{given} {family}",
            chart_number=chart_number,
            tier=tier,
            conditions=tuple(conditions or ()),
            screened_at=screened_at,
        )
        for (
            screening_id,
            tier,
            screened_at,
            conditions,
            intake_id,
            _,
            patient_public_id,
            given,
            family,
            chart_number,
            _,
        ) in rows
    ]
    return Page(items, number, page_size, rows[0][-1] if rows else 0)


def unreviewed_count(session: Session) -> int:
    """How many results await a decision (the partial index only)."""
    return (
        session.scalar(select(func.count()).where(ScreeningRecord.awaiting_decision == true())) or 0
    )


@functools.cache
def _open_flag_statement() -> Select[tuple[bool]]:
    """Built once with parameters: every print asks it, and building a statement this
    size costs more than running it."""
    query = _open_records_query(
        ScreeningRecord.tier.in_(bindparam("tiers", expanding=True)),
        patient_id=bindparam("patient_id"),  # type: ignore[arg-type]
    ).with_only_columns(ScreeningRecord.id)
    return select(query.exists())


def has_open_flag(session: Session, patient_id: int, tiers: Iterable[Tier]) -> bool:
    """Whether a result of these tiers awaits a decision for the patient: one query."""
    found = session.scalar(
        _open_flag_statement(),
        {"patient_id": patient_id, "tiers": list(tiers)},
    )
    return bool(found)


def unreviewed_emergency_count(session: Session) -> int:
    """For the therapists' header: a count only, no patient data."""
    return (
        session.scalar(
            select(func.count()).where(
                ScreeningRecord.awaiting_decision == true(),
                ScreeningRecord.tier == Tier.EMERGENCY,
            )
        )
        or 0
    )


def open_flags(session: Session, patient_public_id: str) -> list[ScreeningView]:
    """Results of this patient that still need a therapist's decision: while any stands,
    the patient's page carries a blocking banner (and plans cannot be finalised)."""
    records = latest_open_records(
        session, Patient.public_id == patient_public_id, ScreeningRecord.tier.in_(NEEDS_DECISION)
    )
    return [screening_view(session, r.screening) for r in records]


@dataclass(frozen=True)
class EmergencyAlert:
    screening_public_id: str
    patient_public_id: str
    patient_name: str
    chart_number: str
    conditions: tuple[str, ...]
    screened_at: datetime


def emergency_alerts(session: Session, actor: Actor) -> list[EmergencyAlert]:
    """Unreviewed emergencies, oldest first. Each listed patient is audited."""
    records = sorted(
        latest_open_records(session, tier=Tier.EMERGENCY),
        key=lambda r: r.screening.screened_at,
    )
    _audit_listed(session, actor, records, "emergency alerts")
    return [
        EmergencyAlert(
            r.screening.public_id,
            r.patient.public_id,
            r.patient.full_name,
            r.patient.chart_number,
            tuple(r.screening.result.get("conditions", [])),
            r.screening.screened_at,
        )
        for r in records
    ]


@dataclass(frozen=True)
class EvidenceLine:
    question: str
    answer: str


@dataclass(frozen=True)
class FlagView:
    """A fired rule of a stored result, as the intake record and the referral letter
    show it: the evidence as question and answer text."""

    rule_id: str
    condition: str
    tier: str
    action: str
    source: str
    worst_case: bool
    evidence: tuple[EvidenceLine, ...]


def flag_views(fired: Iterable[Mapping[str, Any]]) -> tuple[FlagView, ...]:
    return tuple(
        FlagView(
            rule_id=rule["rule_id"],
            condition=rule["condition"],
            tier=rule["tier"],
            action=rule["staff_action"],
            source=rule["source"],
            worst_case=bool(rule.get("worst_case")),
            evidence=tuple(
                EvidenceLine(
                    ALL_QUESTIONS[question].text if question in ALL_QUESTIONS else question,
                    answer_label(question, answer),
                )
                # Sorted as the engine lists it (JSONB keeps keys in an order of its own).
                for question, answer in sorted(rule.get("evidence", {}).items())
            ),
        )
        for rule in fired
    )


@dataclass(frozen=True)
class ReferralLetter:
    screening_public_id: str
    patient_public_id: str
    patient_name: str
    date_of_birth: date
    chart_number: str
    phone: str
    address: str
    screened_at: datetime
    ruleset_version: str
    flags: tuple[FlagView, ...]
    referred_to: str
    referred_when: str
    reason: str
    therapist: str
    decided_at: datetime


def referral_letter(
    session: Session, actor: Actor, screening_public_id: str, printed: bool = False
) -> ReferralLetter:
    """The letter for a result a therapist referred: the red flags, the answers that raised
    them and the action. Reading or printing it is audited."""
    from clinic.auth.models import User

    _require_therapist(actor)
    screening = load_screening(session, screening_public_id)
    row = session.execute(
        select(FlagDecision, User.display_name)
        .join(User, User.id == FlagDecision.decided_by_id)
        .where(FlagDecision.screening_id == screening.id)
    ).first()
    if row is None or row[0].kind is not DecisionKind.REFERRED:
        raise ConflictError("A referral letter needs a decision to refer this patient.")
    decision, therapist = row
    patient = session.get_one(Patient, patient_id_of(session, screening))
    audit_screening(
        session,
        actor,
        AuditAction.PRINT if printed else AuditAction.VIEW,
        screening,
        "referral letter",
    )
    fired = screening.result.get("fired_rules", [])
    # The emergency and urgent flags the referral is for (every flag, if none is).
    serious = [rule for rule in fired if rule["tier"] in (Tier.EMERGENCY.value, Tier.URGENT.value)]
    flags = flag_views(serious or fired)
    return ReferralLetter(
        screening_public_id=screening.public_id,
        patient_public_id=patient.public_id,
        patient_name=patient.full_name,
        date_of_birth=patient.date_of_birth,
        chart_number=patient.chart_number,
        phone=patient.phone,
        address=patient.address,
        screened_at=screening.screened_at,
        ruleset_version=screening.ruleset_version,
        flags=flags,
        referred_to=decision.referred_to,
        referred_when=decision.referred_when,
        reason=decision.reason,
        therapist=therapist,
        decided_at=decision.decided_at,
    )
