"""Intake use cases: drafts, their answers and measures, submission and screening, and
screening again. Services flush; the request commits. Every read or change of an intake
is audited against its patient. Review of the results is in ``review.py``, kiosk codes
in ``kiosk_codes.py``, the patient's history in ``history.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session, aliased

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from clinic.intake.fields import ALL_QUESTIONS, HISTORY, INTAKE_FIELDS_VERSION
from clinic.intake.models import (
    DecisionKind,
    FlagDecision,
    Intake,
    IntakeMode,
    IntakeStatus,
    ScreeningRecord,
)
from clinic.measures import MeasureError
from clinic.measures import score as score_measure
from clinic.patients.models import Patient
from clinic.screening.answers import AnswerError, check_answer
from clinic.screening.engine import ScreeningResult, is_asked, screen
from clinic.screening.model import Tier
from clinic.screening.policy import ScreeningPolicy
from clinic.screening.questions import QUESTIONNAIRE_VERSION, QUESTIONS_BY_ID

QUESTIONNAIRE = f"screening {QUESTIONNAIRE_VERSION}; intake {INTAKE_FIELDS_VERSION}"
# Results a therapist must act on before the patient is treated (clinical.md §2).
NEEDS_DECISION = frozenset({Tier.EMERGENCY, Tier.URGENT, Tier.INCOMPLETE})
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
    # When the intake this one's history answers were carried from was sent.
    prefilled_on: datetime | None = None


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
    # Screened while the questionnaire was answered; the intake may still be a draft.
    interim: bool = False
    intake_status: IntakeStatus = IntakeStatus.SUBMITTED
    intake_mode: IntakeMode = IntakeMode.DESK
    intake_current_step: str = ""
    intake_id: int = 0


def audit_event(
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


def load_intake(session: Session, public_id: str) -> Intake:
    intake = session.scalar(select(Intake).where(Intake.public_id == public_id))
    if intake is None:
        raise NotFoundError("There is no intake at this address.")
    return intake


def _load_draft(session: Session, public_id: str) -> Intake:
    """An intake whose answers may still change."""
    intake = load_intake(session, public_id)
    if intake.status is not IntakeStatus.DRAFT:
        raise ConflictError("This intake has been submitted; its answers can no longer change.")
    return intake


def patient_public_id(session: Session, patient_id: int) -> str:
    public_id = session.scalar(select(Patient.public_id).where(Patient.id == patient_id))
    if public_id is None:
        raise NotFoundError("There is no patient record at this address.")
    return public_id


def _view(
    session: Session,
    intake: Intake,
    known: tuple[str, datetime | None] | None = None,
) -> IntakeView:
    """The intake as pages show it; ``known``: its patient's public id and when the intake
    it was prefilled from was sent, when the caller read them already."""
    if known is None:
        known = (
            patient_public_id(session, intake.patient_id),
            session.scalar(select(Intake.submitted_at).where(Intake.id == intake.prefilled_from_id))
            if intake.prefilled_from_id is not None
            else None,
        )
    return IntakeView(
        public_id=intake.public_id,
        patient_public_id=known[0],
        status=intake.status,
        mode=intake.mode,
        current_step=intake.current_step,
        answers=dict(intake.answers),
        measures=dict(intake.measures),
        started_at=intake.started_at,
        updated_at=intake.updated_at,
        submitted_at=intake.submitted_at,
        version=intake.version,
        prefilled_on=known[1],
    )


def start_intake(
    session: Session, actor: Actor, patient_public_id: str, mode: IntakeMode
) -> IntakeView:
    if actor.user_id is None:
        raise PermissionDeniedError("Only staff can start an intake.")
    patient_id = session.scalar(select(Patient.id).where(Patient.public_id == patient_public_id))
    if patient_id is None:
        raise NotFoundError("There is no patient record at this address.")
    previous = session.scalars(
        select(Intake)
        .where(Intake.patient_id == patient_id, Intake.status == IntakeStatus.SUBMITTED)
        .order_by(Intake.submitted_at.desc(), Intake.id.desc())
        .limit(1)
    ).first()
    intake = Intake(
        public_id=uuid.uuid4().hex,
        patient_id=patient_id,
        status=IntakeStatus.DRAFT,
        mode=mode,
        questionnaire_version=QUESTIONNAIRE,
        answers=carried_forward(previous.answers) if previous else {},
        measures={},
        current_step=FIRST_STEP,
        started_by_id=actor.user_id,
        prefilled_from_id=previous.id if previous else None,
    )
    session.add(intake)
    session.flush()
    audit_event(
        session, actor, AuditAction.CREATE, "intake", intake.public_id, patient_id, mode.value
    )
    return _view(session, intake)


# A repeat visit starts from the previous intake's history (conditions, medicines,
# implants...): the patient checks them. Symptoms and the complaint are asked afresh.
CARRIED_FORWARD = frozenset(question.id for question in HISTORY)


def carried_forward(previous: Mapping[str, Any]) -> dict[str, Any]:
    """The history answers of an earlier intake that are still valid answers today."""
    kept: dict[str, Any] = {}
    for question_id, value in previous.items():
        if question_id not in CARRIED_FORWARD:
            continue
        try:
            kept[question_id] = check_answer(ALL_QUESTIONS[question_id], value, date.today())  # noqa: DTZ011
        except AnswerError:
            continue  # a question that changed since: asked again
    return {
        question_id: value
        for question_id, value in kept.items()
        if is_asked(ALL_QUESTIONS[question_id], kept, ALL_QUESTIONS)
    }


def view_intake(session: Session, actor: Actor, public_id: str) -> IntakeView:
    """An intake with its patient's id and when the intake it was prefilled from was
    sent, in one statement (every step of the questionnaire reads it). Audited."""
    prefilled = aliased(Intake)
    row = session.execute(
        select(Intake, Patient.public_id, prefilled.submitted_at)
        .join(Patient, Patient.id == Intake.patient_id)
        .outerjoin(prefilled, prefilled.id == Intake.prefilled_from_id)
        .where(Intake.public_id == public_id)
    ).first()
    if row is None:
        raise NotFoundError("There is no intake at this address.")
    intake, patient_id, prefilled_on = row
    audit_event(session, actor, AuditAction.VIEW, "intake", intake.public_id, intake.patient_id)
    return _view(session, intake, (patient_id, prefilled_on))


def save_answers(
    session: Session,
    actor: Actor,
    public_id: str,
    step: str,
    answers: Mapping[str, Any],
    today: date | None = None,
    continue_at: str | None = None,
) -> IntakeView:
    """Save one step's answers into the draft (None clears an answer). Answers merge
    question by question, so the desk and the kiosk never overwrite each other's steps.
    The draft then stops at ``continue_at`` (the next step), or at ``step``."""
    intake = _load_draft(session, public_id)
    intake.answers = merged_answers(intake.answers, answers, today)
    return _saved_step(session, actor, intake, step, continue_at)


def merged_answers(
    saved: Mapping[str, Any], answers: Mapping[str, Any], today: date | None
) -> dict[str, Any]:
    """``saved`` with ``answers`` laid on top, each checked (None clears an answer).
    Answers to questions no longer asked (a follow-up whose parent became "no", a
    region's question after the regions changed) are dropped: they are never stored."""
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
    return {
        question_id: value
        for question_id, value in merged.items()
        if is_asked(ALL_QUESTIONS[question_id], merged, ALL_QUESTIONS)
    }


def _saved_step(
    session: Session, actor: Actor, intake: Intake, step: str, continue_at: str | None = None
) -> IntakeView:
    intake.current_step = continue_at or step
    intake.updated_at = utcnow()
    session.flush()
    audit_event(
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


def _screen(
    session: Session, intake: Intake, policy: ScreeningPolicy, today: date
) -> tuple[dict[str, Any], ScreeningResult]:
    born = session.scalar(select(Patient.date_of_birth).where(Patient.id == intake.patient_id))
    if born is None:
        raise NotFoundError("There is no patient record for this intake.")
    answers = screening_answers(intake.answers, born, today)
    return answers, screen(answers, policy)


def screen_and_store(
    session: Session,
    actor: Actor,
    intake: Intake,
    policy: ScreeningPolicy,
    today: date,
    computed: tuple[dict[str, Any], ScreeningResult] | None = None,
) -> ScreeningRecord:
    """Screen the intake's answers and keep the result. An interim result of the intake
    that this one covers (the same rules fired, or more, at the same tier or higher) is
    closed as superseded; one it does not cover stays open for a therapist."""
    answers, result = computed or _screen(session, intake, policy, today)
    screening = ScreeningRecord(
        public_id=uuid.uuid4().hex,
        intake_id=intake.id,
        tier=result.tier,
        ruleset_version=result.ruleset_version,
        questionnaire_version=intake.questionnaire_version,
        answers=answers,
        result=result.to_json(),
        screened_by_id=actor.user_id,
        interim=intake.status is IntakeStatus.DRAFT,
        awaiting_decision=True,
    )
    session.add(screening)
    session.flush()
    # A full result is open while it is the intake's newest: this one replaces the last.
    session.execute(
        update(ScreeningRecord)
        .where(
            ScreeningRecord.intake_id == intake.id,
            ScreeningRecord.id != screening.id,
            ScreeningRecord.interim.is_(False),
            ScreeningRecord.awaiting_decision == true(),
        )
        .values(awaiting_decision=False)
        .execution_options(synchronize_session="fetch")
    )
    audit_event(
        session,
        actor,
        AuditAction.CREATE,
        "screening",
        screening.public_id,
        intake.patient_id,
        f"{result.tier.value}; rule set {result.ruleset_version}"
        + ("; interim, while the intake is answered" if screening.interim else ""),
    )
    _supersede_interim(session, actor, intake, screening)
    return screening


def close(session: Session, screening: ScreeningRecord, decision: FlagDecision) -> None:
    """Record the decision on a result: it no longer awaits one. Every decision is made
    here, so the stored state and the decisions agree."""
    decision.screening_id = screening.id
    screening.awaiting_decision = False
    session.add(decision)
    session.flush()


def _fired_ids(screening: ScreeningRecord) -> set[str]:
    return {rule["rule_id"] for rule in screening.result.get("fired_rules", [])}


def _covers(new: ScreeningRecord, old: ScreeningRecord) -> bool:
    return new.tier.rank >= old.tier.rank and _fired_ids(old) <= _fired_ids(new)


def _supersede_interim(
    session: Session, actor: Actor, intake: Intake, new: ScreeningRecord
) -> None:
    open_interims = session.scalars(
        select(ScreeningRecord).where(
            ScreeningRecord.intake_id == intake.id,
            ScreeningRecord.interim.is_(True),
            ScreeningRecord.id != new.id,
            ScreeningRecord.awaiting_decision == true(),
        )
    ).all()
    for old in open_interims:
        if not _covers(new, old):
            continue  # a flag the later result lacks: a therapist must see it
        close(
            session,
            old,
            FlagDecision(
                kind=DecisionKind.RESCREENED,
                reason="superseded by the intake's later result, which raised the same flags",
                replaced_by_id=new.id,
                decided_by_id=actor.user_id,
            ),
        )
        audit_screening(
            session,
            actor,
            AuditAction.UPDATE,
            old,
            f"superseded by a later result; {old.tier.value} -> {new.tier.value}",
        )


def screen_draft(
    session: Session,
    actor: Actor,
    public_id: str,
    policy: ScreeningPolicy,
    today: date | None = None,
) -> ScreeningView | None:
    """Screen a draft's answers so far, as a step is saved: an EMERGENCY is kept at once
    as an interim result (the alert goes out now, not after the last step) and returned.
    Returns None when there is no emergency, or when a result of this intake already
    raised the same one, whether or not a therapist has decided it since (saving the
    next step does not raise it again)."""
    intake = _load_draft(session, public_id)
    day = today or date.today()  # noqa: DTZ011 (the clinic's calendar day)
    computed = _screen(session, intake, policy, day)
    if computed[1].tier is not Tier.EMERGENCY:
        return None
    fired = {rule.rule_id for rule in computed[1].fired}
    raised = session.scalars(
        select(ScreeningRecord).where(
            ScreeningRecord.intake_id == intake.id, ScreeningRecord.tier == Tier.EMERGENCY
        )
    ).all()
    if any(fired <= _fired_ids(old) for old in raised):
        return None
    screening = screen_and_store(session, actor, intake, policy, day, computed)
    return screening_view(session, screening)


def screening_view(session: Session, screening: ScreeningRecord) -> ScreeningView:
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
        patient_name=patient.full_name,
        tier=screening.tier,
        result=dict(screening.result),
        screened_at=screening.screened_at,
        decision=decision,
        interim=screening.interim,
        intake_status=intake.status,
        intake_mode=intake.mode,
        intake_current_step=intake.current_step,
        intake_id=intake.id,
    )


def submit_intake(
    session: Session,
    actor: Actor,
    public_id: str,
    policy: ScreeningPolicy,
    today: date | None = None,
) -> ScreeningView:
    """Submit the draft and screen it at once."""
    intake = load_intake(session, public_id)
    if intake.status is not IntakeStatus.DRAFT:
        raise ConflictError("This intake has already been submitted.")
    intake.status = IntakeStatus.SUBMITTED
    intake.submitted_at = utcnow()
    intake.submitted_by_id = actor.user_id
    intake.current_step = "submitted"
    session.flush()
    screening = screen_and_store(session, actor, intake, policy, today or date.today())  # noqa: DTZ011
    return screening_view(session, screening)


def rescreen(
    session: Session,
    actor: Actor,
    public_id: str,
    policy: ScreeningPolicy,
    today: date | None = None,
) -> ScreeningView:
    """Screen a submitted intake again (a newer rule set, a changed policy): a new result;
    the old one is kept as it was."""
    intake = load_intake(session, public_id)
    if intake.status is not IntakeStatus.SUBMITTED:
        raise ConflictError("Only a submitted intake can be screened again.")
    screening = screen_and_store(session, actor, intake, policy, today or date.today())  # noqa: DTZ011
    return screening_view(session, screening)


def load_screening(session: Session, public_id: str) -> ScreeningRecord:
    screening = session.scalar(
        select(ScreeningRecord).where(ScreeningRecord.public_id == public_id)
    )
    if screening is None:
        raise NotFoundError("There is no screening result at this address.")
    return screening


# Outcome measures ------------------------------------------------------------------------


def save_measures(
    session: Session, actor: Actor, public_id: str, responses: Mapping[str, Any]
) -> IntakeView:
    """Save the outcome-measure responses of a draft, checked by each instrument."""
    intake = _load_draft(session, public_id)
    for instrument, items in responses.items():
        try:
            score_measure(instrument, items)
        except MeasureError as error:
            raise FieldError(f"{instrument}__{error.item}", error.message) from None
    intake.measures = dict(responses)
    return _saved_step(session, actor, intake, "measures")


def audit_screening(
    session: Session,
    actor: Actor,
    action: AuditAction,
    screening: ScreeningRecord,
    detail: str | None = None,
) -> None:
    """An audit entry for a read or change of a screening result, against its patient."""
    audit_event(
        session,
        actor,
        action,
        "screening",
        screening.public_id,
        patient_id_of(session, screening),
        detail,
    )


def view_screening(session: Session, actor: Actor, public_id: str) -> ScreeningView:
    screening = load_screening(session, public_id)
    audit_screening(session, actor, AuditAction.VIEW, screening)
    return screening_view(session, screening)


def patient_id_of(session: Session, screening: ScreeningRecord) -> int:
    patient_id = session.scalar(select(Intake.patient_id).where(Intake.id == screening.intake_id))
    if patient_id is None:
        raise NotFoundError("There is no intake for this result.")
    return patient_id
