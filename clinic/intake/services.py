"""Intake use cases: drafts, submission and screening, re-screening, therapists'
decisions, the review queue and kiosk codes. Services flush; the request commits.

Every read or change of an intake is audited against its patient.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.auth.roles import Role
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from clinic.intake.fields import ALL_QUESTIONS, INTAKE_FIELDS_VERSION
from clinic.intake.models import (
    DecisionKind,
    FlagDecision,
    Intake,
    IntakeMode,
    IntakeStatus,
    KioskCode,
    ScreeningRecord,
)
from clinic.measures import INSTRUMENTS, MeasureError
from clinic.measures import score as score_measure
from clinic.patients.models import Patient
from clinic.screening.answers import AnswerError, check_answer
from clinic.screening.engine import screen
from clinic.screening.model import Tier
from clinic.screening.policy import ScreeningPolicy
from clinic.screening.questions import QUESTIONNAIRE_VERSION, QUESTIONS_BY_ID

QUESTIONNAIRE = f"screening {QUESTIONNAIRE_VERSION}; intake {INTAKE_FIELDS_VERSION}"
# Results a therapist must act on before the patient is treated (clinical.md §2).
NEEDS_DECISION = frozenset({Tier.EMERGENCY, Tier.URGENT, Tier.INCOMPLETE})
KIOSK_ACTOR_NAME = "(kiosk)"
FIRST_STEP = "details"


@dataclass(frozen=True)
class IntakeView:
    public_id: str
    patient_public_id: str
    status: IntakeStatus
    mode: IntakeMode
    current_step: str
    answers: Mapping[str, Any]
    measures: Mapping[str, Any]
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    version: int


@dataclass(frozen=True)
class ScreeningView:
    public_id: str
    intake_public_id: str
    patient_public_id: str
    patient_name: str
    tier: Tier
    result: Mapping[str, Any]
    screened_at: datetime
    decision: DecisionKind | None


def _audit(
    session: Session,
    actor: Actor,
    action: AuditAction,
    entity: str,
    entity_id: str,
    patient_id: int,
    detail: str | None = None,
) -> None:
    record(
        session,
        actor,
        action,
        entity_type=entity,
        entity_id=entity_id,
        patient_id=patient_id,
        detail=detail,
    )


def _intake(session: Session, public_id: str) -> Intake:
    intake = session.scalar(select(Intake).where(Intake.public_id == public_id))
    if intake is None:
        raise NotFoundError("There is no intake at this address.")
    return intake


def _patient_public_id(session: Session, patient_id: int) -> str:
    public_id = session.scalar(select(Patient.public_id).where(Patient.id == patient_id))
    if public_id is None:
        raise NotFoundError("There is no patient record at this address.")
    return public_id


def _view(session: Session, intake: Intake) -> IntakeView:
    return IntakeView(
        public_id=intake.public_id,
        patient_public_id=_patient_public_id(session, intake.patient_id),
        status=intake.status,
        mode=intake.mode,
        current_step=intake.current_step,
        answers=dict(intake.answers),
        measures=dict(intake.measures),
        started_at=intake.started_at,
        updated_at=intake.updated_at,
        submitted_at=intake.submitted_at,
        version=intake.version,
    )


def start_intake(
    session: Session, actor: Actor, patient_public_id: str, mode: IntakeMode
) -> IntakeView:
    if actor.user_id is None:
        raise PermissionDeniedError("Only staff can start an intake.")
    patient_id = session.scalar(select(Patient.id).where(Patient.public_id == patient_public_id))
    if patient_id is None:
        raise NotFoundError("There is no patient record at this address.")
    intake = Intake(
        public_id=uuid.uuid4().hex,
        patient_id=patient_id,
        status=IntakeStatus.DRAFT,
        mode=mode,
        questionnaire_version=QUESTIONNAIRE,
        answers={},
        measures={},
        current_step=FIRST_STEP,
        started_by_id=actor.user_id,
    )
    session.add(intake)
    session.flush()
    _audit(session, actor, AuditAction.CREATE, "intake", intake.public_id, patient_id, mode.value)
    return _view(session, intake)


def view_intake(session: Session, actor: Actor, public_id: str) -> IntakeView:
    intake = _intake(session, public_id)
    _audit(session, actor, AuditAction.VIEW, "intake", intake.public_id, intake.patient_id)
    return _view(session, intake)


def save_answers(
    session: Session,
    actor: Actor,
    public_id: str,
    step: str,
    answers: Mapping[str, Any],
    expected_version: int | None = None,
    today: date | None = None,
) -> IntakeView:
    """Save one step's answers into the draft (None clears an answer)."""
    intake = _intake(session, public_id)
    if intake.status is not IntakeStatus.DRAFT:
        raise ConflictError("This intake has been submitted; its answers can no longer change.")
    if expected_version is not None and expected_version != intake.version:
        raise ConflictError(
            "This intake was changed elsewhere. Reload it to see the latest answers."
        )
    intake.answers = _merged_answers(intake.answers, answers, today)
    return _saved_step(session, actor, intake, step)


def _merged_answers(
    saved: Mapping[str, Any], answers: Mapping[str, Any], today: date | None
) -> dict[str, Any]:
    """``saved`` with ``answers`` laid on top, each checked (None clears an answer)."""
    day = today or date.today()  # noqa: DTZ011 (the clinic's calendar day)
    merged = dict(saved)
    for question_id, value in answers.items():
        question = ALL_QUESTIONS.get(question_id)
        if question is None:
            raise FieldError(question_id, "This is not a question of the intake")
        if value is None:
            merged.pop(question_id, None)
            continue
        try:
            merged[question_id] = check_answer(question, value, day)
        except AnswerError as error:
            raise FieldError(question_id, error.message) from None
    return merged


def _saved_step(session: Session, actor: Actor, intake: Intake, step: str) -> IntakeView:
    intake.current_step = step
    intake.updated_at = utcnow()
    session.flush()
    _audit(
        session,
        actor,
        AuditAction.UPDATE,
        "intake",
        intake.public_id,
        intake.patient_id,
        f"step {step}",
    )
    return _view(session, intake)


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def screening_answers(intake_answers: Mapping[str, Any], born: date, today: date) -> dict[str, Any]:
    """The red-flag answers of an intake, with age and pain duration filled in from the
    patient's date of birth and the onset date where the patient did not give them."""
    answers = {key: value for key, value in intake_answers.items() if key in QUESTIONS_BY_ID}
    answers.setdefault("age_years", _age_on(born, today))
    onset = intake_answers.get("onset_date")
    if "pain_duration_days" not in answers and isinstance(onset, str):
        answers["pain_duration_days"] = max(0, (today - date.fromisoformat(onset)).days)
    return answers


def _screen_and_store(
    session: Session, actor: Actor, intake: Intake, policy: ScreeningPolicy, today: date
) -> ScreeningRecord:
    born = session.scalar(select(Patient.date_of_birth).where(Patient.id == intake.patient_id))
    if born is None:
        raise NotFoundError("There is no patient record for this intake.")
    answers = screening_answers(intake.answers, born, today)
    result = screen(answers, policy)
    screening = ScreeningRecord(
        public_id=uuid.uuid4().hex,
        intake_id=intake.id,
        tier=result.tier,
        ruleset_version=result.ruleset_version,
        questionnaire_version=intake.questionnaire_version,
        answers=answers,
        result=result.to_json(),
        screened_by_id=actor.user_id,
    )
    session.add(screening)
    session.flush()
    _audit(
        session,
        actor,
        AuditAction.CREATE,
        "screening",
        screening.public_id,
        intake.patient_id,
        f"{result.tier.value}; rule set {result.ruleset_version}",
    )
    return screening


def _screening_view(session: Session, screening: ScreeningRecord) -> ScreeningView:
    intake = session.get(Intake, screening.intake_id)
    if intake is None:
        raise NotFoundError("There is no intake for this result.")
    decision = session.scalar(
        select(FlagDecision.kind).where(FlagDecision.screening_id == screening.id)
    )
    patient = session.get(Patient, intake.patient_id)
    if patient is None:
        raise NotFoundError("There is no patient record for this result.")
    return ScreeningView(
        public_id=screening.public_id,
        intake_public_id=intake.public_id,
        patient_public_id=patient.public_id,
        patient_name=f"{patient.given_name} {patient.family_name}",
        tier=screening.tier,
        result=dict(screening.result),
        screened_at=screening.screened_at,
        decision=decision,
    )


def submit_intake(
    session: Session,
    actor: Actor,
    public_id: str,
    policy: ScreeningPolicy,
    today: date | None = None,
) -> ScreeningView:
    """Submit the draft and screen it at once."""
    intake = _intake(session, public_id)
    if intake.status is not IntakeStatus.DRAFT:
        raise ConflictError("This intake has already been submitted.")
    intake.status = IntakeStatus.SUBMITTED
    intake.submitted_at = utcnow()
    intake.submitted_by_id = actor.user_id
    intake.current_step = "submitted"
    session.flush()
    screening = _screen_and_store(session, actor, intake, policy, today or date.today())  # noqa: DTZ011
    return _screening_view(session, screening)


def rescreen(
    session: Session,
    actor: Actor,
    public_id: str,
    policy: ScreeningPolicy,
    today: date | None = None,
) -> ScreeningView:
    """Screen a submitted intake again (a newer rule set, a changed policy): a new result;
    the old one is kept as it was."""
    intake = _intake(session, public_id)
    if intake.status is not IntakeStatus.SUBMITTED:
        raise ConflictError("Only a submitted intake can be screened again.")
    screening = _screen_and_store(session, actor, intake, policy, today or date.today())  # noqa: DTZ011
    return _screening_view(session, screening)


def _screening(session: Session, public_id: str) -> ScreeningRecord:
    screening = session.scalar(
        select(ScreeningRecord).where(ScreeningRecord.public_id == public_id)
    )
    if screening is None:
        raise NotFoundError("There is no screening result at this address.")
    return screening


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
    screening = _screening(session, screening_public_id)
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
    return _screening_view(session, screening)


def _ensure_open(session: Session, screening: ScreeningRecord) -> None:
    if session.scalar(select(FlagDecision.id).where(FlagDecision.screening_id == screening.id)):
        raise ConflictError("A decision has already been recorded for this result.")


def _close(
    session: Session, actor: Actor, screening: ScreeningRecord, decision: FlagDecision, detail: str
) -> None:
    """Record the decision that closes ``screening``, audited against the patient with the
    rule-set version (the record itself holds the answers the therapist saw)."""
    session.add(decision)
    session.flush()
    _audit(
        session,
        actor,
        AuditAction.UPDATE,
        "screening",
        screening.public_id,
        _patient_id_of(session, screening),
        detail,
    )


def _patient_id_of(session: Session, screening: ScreeningRecord) -> int:
    patient_id = session.scalar(select(Intake.patient_id).where(Intake.id == screening.intake_id))
    if patient_id is None:
        raise NotFoundError("There is no intake for this result.")
    return patient_id


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
    old = _screening(session, screening_public_id)
    _ensure_open(session, old)
    intake = session.get(Intake, old.intake_id)
    if intake is None:
        raise NotFoundError("There is no intake for this result.")
    day = today or date.today()  # noqa: DTZ011
    intake.answers = _merged_answers(intake.answers, answers, day)
    intake.updated_at = utcnow()
    session.flush()
    new = _screen_and_store(session, actor, intake, policy, day)
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
    return _screening_view(session, new)


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


def _latest_open_records(session: Session) -> list[tuple[ScreeningRecord, Patient]]:
    """The newest result of each submitted intake that has no decision yet."""
    newest = (
        select(ScreeningRecord.intake_id, func.max(ScreeningRecord.id).label("newest_id"))
        .group_by(ScreeningRecord.intake_id)
        .subquery()
    )
    rows = session.execute(
        select(ScreeningRecord, Patient)
        .join(newest, ScreeningRecord.id == newest.c.newest_id)
        .join(Intake, Intake.id == ScreeningRecord.intake_id)
        .join(Patient, Patient.id == Intake.patient_id)
        .outerjoin(FlagDecision, FlagDecision.screening_id == ScreeningRecord.id)
        .where(FlagDecision.id.is_(None))
    )
    return [(screening, patient) for screening, patient in rows]


def review_queue(session: Session, actor: Actor) -> list[QueueItem]:
    """Intakes awaiting a therapist: EMERGENCY first, then URGENT, INCOMPLETE,
    ROUTINE_WITH_FLAG, NONE; oldest first within a tier. Listing them is a read of each
    patient's record, so each is audited."""
    items = sorted(
        _latest_open_records(session),
        key=lambda row: (-row[0].tier.rank, row[0].screened_at, row[0].id),
    )
    for screening, patient in items:
        _audit(
            session,
            actor,
            AuditAction.VIEW,
            "screening",
            screening.public_id,
            patient.id,
            "listed in review queue",
        )
    return [
        QueueItem(
            screening_public_id=screening.public_id,
            intake_public_id=session.scalar(
                select(Intake.public_id).where(Intake.id == screening.intake_id)
            )
            or "",
            patient_public_id=patient.public_id,
            patient_name=f"{patient.given_name} {patient.family_name}",
            chart_number=patient.chart_number,
            tier=screening.tier,
            conditions=tuple(screening.result.get("conditions", [])),
            screened_at=screening.screened_at,
        )
        for screening, patient in items
    ]


def unreviewed_emergency_count(session: Session) -> int:
    """For the therapists' header: a count only, no patient data."""
    return sum(
        1 for screening, _ in _latest_open_records(session) if screening.tier is Tier.EMERGENCY
    )


def open_flags(session: Session, patient_public_id: str) -> list[ScreeningView]:
    """Results of this patient that still need a therapist's decision: while any stands,
    the patient's page carries a blocking banner (and plans cannot be finalised)."""
    return [
        _screening_view(session, screening)
        for screening, patient in _latest_open_records(session)
        if patient.public_id == patient_public_id and screening.tier in NEEDS_DECISION
    ]


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
    intake = _intake(session, intake_public_id)
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
    _audit(session, actor, AuditAction.CREATE, "kiosk_code", intake.public_id, intake.patient_id)
    return f"{code[:4]}-{code[4:]}", expires_at


def redeem_kiosk_code(session: Session, code: str, now: datetime | None = None) -> str:
    """The intake a code opens, marking the code used. Used, expired and unknown codes
    are refused with a message for the patient."""
    now = now or utcnow()
    kiosk_code = session.scalar(select(KioskCode).where(KioskCode.code_hash == _code_hash(code)))
    if kiosk_code is None:
        raise KioskCodeError("That code is not right. Check it, or ask at the front desk.")
    if kiosk_code.used_at is not None:
        raise KioskCodeError(
            "That code has been used already. Please ask at the front desk for a new one."
        )
    if kiosk_code.expires_at <= now:
        raise KioskCodeError("That code has expired. Please ask at the front desk for a new one.")
    intake = session.get(Intake, kiosk_code.intake_id)
    if intake is None or intake.status is not IntakeStatus.DRAFT:
        raise KioskCodeError(
            "This questionnaire is already finished. Please ask at the front desk."
        )
    kiosk_code.used_at = now
    session.flush()
    kiosk = Actor(user_id=None, username=KIOSK_ACTOR_NAME, role=None)
    _audit(
        session,
        kiosk,
        AuditAction.VIEW,
        "intake",
        intake.public_id,
        intake.patient_id,
        "kiosk code used",
    )
    return intake.public_id


# Outcome measures ------------------------------------------------------------------------


def save_measures(
    session: Session, actor: Actor, public_id: str, responses: Mapping[str, Any]
) -> IntakeView:
    """Save the outcome-measure responses of a draft, checked by each instrument."""
    intake = _intake(session, public_id)
    if intake.status is not IntakeStatus.DRAFT:
        raise ConflictError("This intake has been submitted; its answers can no longer change.")
    for instrument, items in responses.items():
        try:
            score_measure(instrument, items)
        except MeasureError as error:
            raise FieldError(f"{instrument}__{error.item}", error.message) from None
    intake.measures = dict(responses)
    return _saved_step(session, actor, intake, "measures")


@dataclass(frozen=True)
class ScorePoint:
    taken_on: date
    score: float
    band: str | None


@dataclass(frozen=True)
class ScoreSeries:
    instrument: str
    title: str
    mcid: float | None
    higher_is_better: bool
    points: tuple[ScorePoint, ...]


def score_history(session: Session, patient_public_id: str) -> list[ScoreSeries]:
    """Each instrument's scores over the patient's submitted intakes, oldest first. NPRS
    comes from the pain score given on the complaint step. Part of the patient's page,
    whose view of the record is the audited read."""
    patient_id = session.scalar(select(Patient.id).where(Patient.public_id == patient_public_id))
    if patient_id is None:
        raise NotFoundError("There is no patient record at this address.")
    intakes = session.scalars(
        select(Intake)
        .where(Intake.patient_id == patient_id, Intake.status == IntakeStatus.SUBMITTED)
        .order_by(Intake.submitted_at, Intake.id)
    ).all()
    points: dict[str, list[ScorePoint]] = {name: [] for name in INSTRUMENTS}
    for intake in intakes:
        taken_on = (intake.submitted_at or intake.started_at).date()
        responses = dict(intake.measures)
        if isinstance(intake.answers.get("pain_now"), int):
            responses["nprs"] = {"rating": intake.answers["pain_now"], "time_frame": "now"}
        for instrument, items in responses.items():
            result = score_measure(instrument, items)
            if result.scorable and result.score is not None:
                points[instrument].append(ScorePoint(taken_on, result.score, result.band))
    return [
        ScoreSeries(name, spec.title, spec.mcid, spec.higher_is_better, tuple(points[name]))
        for name, spec in INSTRUMENTS.items()
        if points[name]
    ]


@dataclass(frozen=True)
class DecisionView:
    kind: DecisionKind
    referred_to: str
    referred_when: str
    reason: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class ScreeningHistoryItem:
    public_id: str
    intake_public_id: str
    tier: Tier
    conditions: tuple[str, ...]
    ruleset_version: str
    screened_at: datetime
    decision: DecisionView | None


@dataclass(frozen=True)
class IntakeSummary:
    public_id: str
    status: IntakeStatus
    mode: IntakeMode
    started_at: datetime
    submitted_at: datetime | None
    latest_tier: Tier | None
    # Where a draft stopped: "Continue" opens this step.
    current_step: str


def patient_intakes(
    session: Session, patient_public_id: str
) -> tuple[list[IntakeSummary], list[ScreeningHistoryItem]]:
    """The patient's intakes (newest first) and every screening result with its decision.
    Part of the patient's page, whose view of the record is the audited read."""
    from clinic.auth.models import User

    patient_id = session.scalar(select(Patient.id).where(Patient.public_id == patient_public_id))
    if patient_id is None:
        raise NotFoundError("There is no patient record at this address.")
    intakes = session.scalars(
        select(Intake)
        .where(Intake.patient_id == patient_id)
        .order_by(Intake.started_at.desc(), Intake.id.desc())
    ).all()
    screenings = (
        session.scalars(
            select(ScreeningRecord)
            .where(ScreeningRecord.intake_id.in_([intake.id for intake in intakes]))
            .order_by(ScreeningRecord.screened_at.desc(), ScreeningRecord.id.desc())
        ).all()
        if intakes
        else []
    )
    decisions = (
        {
            decision.screening_id: decision
            for decision in session.scalars(
                select(FlagDecision).where(
                    FlagDecision.screening_id.in_([s.id for s in screenings])
                )
            )
        }
        if screenings
        else {}
    )
    names = dict(session.execute(select(User.id, User.display_name)).all()) if decisions else {}
    intake_ids = {intake.id: intake.public_id for intake in intakes}
    latest: dict[int, Tier] = {}
    for screening in reversed(screenings):
        latest[screening.intake_id] = screening.tier
    return (
        [
            IntakeSummary(
                intake.public_id,
                intake.status,
                intake.mode,
                intake.started_at,
                intake.submitted_at,
                latest.get(intake.id),
                intake.current_step,
            )
            for intake in intakes
        ],
        [
            ScreeningHistoryItem(
                public_id=screening.public_id,
                intake_public_id=intake_ids[screening.intake_id],
                tier=screening.tier,
                conditions=tuple(screening.result.get("conditions", [])),
                ruleset_version=screening.ruleset_version,
                screened_at=screening.screened_at,
                decision=(
                    DecisionView(
                        kind=decision.kind,
                        referred_to=decision.referred_to,
                        referred_when=decision.referred_when,
                        reason=decision.reason,
                        decided_by=names.get(decision.decided_by_id, ""),
                        decided_at=decision.decided_at,
                    )
                    if (decision := decisions.get(screening.id)) is not None
                    else None
                ),
            )
            for screening in screenings
        ],
    )


def view_screening(session: Session, actor: Actor, public_id: str) -> ScreeningView:
    screening = _screening(session, public_id)
    _audit(
        session,
        actor,
        AuditAction.VIEW,
        "screening",
        screening.public_id,
        _patient_id_of(session, screening),
    )
    return _screening_view(session, screening)


@dataclass(frozen=True)
class EmergencyAlert:
    screening_public_id: str
    patient_public_id: str
    patient_name: str
    chart_number: str
    conditions: tuple[str, ...]
    screened_at: datetime


def emergency_alerts(session: Session, actor: Actor) -> list[EmergencyAlert]:
    """Unreviewed emergencies, oldest first. Each listed patient is an audited read."""
    rows = sorted(
        (row for row in _latest_open_records(session) if row[0].tier is Tier.EMERGENCY),
        key=lambda row: row[0].screened_at,
    )
    for screening, patient in rows:
        _audit(
            session,
            actor,
            AuditAction.VIEW,
            "screening",
            screening.public_id,
            patient.id,
            "listed in emergency alerts",
        )
    return [
        EmergencyAlert(
            screening.public_id,
            patient.public_id,
            f"{patient.given_name} {patient.family_name}",
            patient.chart_number,
            tuple(screening.result.get("conditions", [])),
            screening.screened_at,
        )
        for screening, patient in rows
    ]
