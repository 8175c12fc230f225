"""The intake as a clinical record: what the patient answered, step by step in their own
words, with the answers that raised a flag, those the treatment safety check reads, what
changed since the patient's previous intake, the scores, who entered it and under which
questionnaire and rule set. Opening it is audited.

Therapists see all of it. The front desk sees the non-clinical part only (who entered it,
when, the result and what to do, the patient's other intakes): the same rule as the
result page, where the desk sees the action and never the suspected condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.auth.identity import KIOSK_ACTOR_NAME, Actor
from clinic.auth.roles import Role
from clinic.errors import NotFoundError
from clinic.intake.history import IntakeSummary, intake_scores, patient_intakes
from clinic.intake.models import Intake, IntakeMode, IntakeStatus, ScreeningRecord
from clinic.intake.review import FlagView, flag_views
from clinic.intake.services import audit_event, load_intake
from clinic.intake.steps import DETAILS, MEASURES, answer_text, steps_for
from clinic.measures import INSTRUMENTS
from clinic.patients.models import Patient
from clinic.plans.contraindications import SAFETY_ANSWERS
from clinic.screening.model import AnswerType, Question, Tier


@dataclass(frozen=True)
class FlagLink:
    rule_id: str
    condition: str
    tier: str


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    question: str
    answer: str
    # The rules this answer is evidence for, in the intake's latest result.
    flags: tuple[FlagLink, ...] = ()
    # Read by the contraindication check when a plan is built.
    used_by_safety_check: bool = False
    # The answer at the patient's previous intake, where it was different.
    previously: str | None = None
    long_text: bool = False


@dataclass(frozen=True)
class AnswerSection:
    title: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class ScoreView:
    title: str
    score: str
    band: str | None
    # Each item as answered: (the item's shipped label, the response).
    responses: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class IntakeRecord:
    public_id: str
    patient_public_id: str
    patient_name: str
    chart_number: str
    date_of_birth: date
    status: IntakeStatus
    mode: IntakeMode
    started_at: datetime
    submitted_at: datetime | None
    started_by: str
    # "the patient, on the waiting-room tablet", or the staff member who sent it.
    entered_by: str
    questionnaire_version: str
    # The newest result of this intake, if it has been screened.
    screening_public_id: str | None
    tier: Tier | None
    ruleset_version: str | None
    screened_at: datetime | None
    conditions: tuple[str, ...]
    # Every other intake of the patient, newest first.
    other_intakes: tuple[IntakeSummary, ...]
    # Therapists only (empty for the front desk).
    clinical: bool
    sections: tuple[AnswerSection, ...] = ()
    fired_rules: tuple[FlagView, ...] = ()
    scores: tuple[ScoreView, ...] = ()
    # The previous intake the answers are compared with.
    compared_with: IntakeSummary | None = None
    # Worked out for the patient when screened: age, and days since the pain began.
    age_years: int | None = None
    pain_duration_days: int | None = None


def _names(session: Session, *user_ids: int | None) -> dict[int, str]:
    from clinic.auth.models import User

    wanted = [user_id for user_id in user_ids if user_id is not None]
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}  # noqa: C416 (typed rows)


def _previous(session: Session, intake: Intake) -> Intake | None:
    """The patient's submitted intake before this one."""
    return session.scalars(
        select(Intake)
        .where(
            Intake.patient_id == intake.patient_id,
            Intake.status == IntakeStatus.SUBMITTED,
            Intake.id != intake.id,
            Intake.started_at <= intake.started_at,
        )
        .order_by(Intake.started_at.desc(), Intake.id.desc())
        .limit(1)
    ).first()


def _flags_by_answer(fired: list[dict[str, Any]]) -> dict[str, list[FlagLink]]:
    found: dict[str, list[FlagLink]] = {}
    for rule in fired:
        for question_id in rule.get("evidence", {}):
            found.setdefault(question_id, []).append(
                FlagLink(rule["rule_id"], rule["condition"], rule["tier"])
            )
    return found


def _sections(
    answers: Mapping[str, Any],
    flags: Mapping[str, list[FlagLink]],
    previous: Mapping[str, Any] | None,
) -> tuple[AnswerSection, ...]:
    sections = []
    for step in steps_for(answers):
        if step in (DETAILS, MEASURES):
            continue
        rows = [_row(q, answers, flags, previous) for q in step.shown(answers)]
        if rows:
            sections.append(AnswerSection(step.title, tuple(rows)))
    return tuple(sections)


def _row(
    question: Question,
    answers: Mapping[str, Any],
    flags: Mapping[str, list[FlagLink]],
    previous: Mapping[str, Any] | None,
) -> AnswerRow:
    if question.id not in answers:
        return AnswerRow(question.id, question.text, "Not answered")
    text = answer_text(question, answers[question.id])
    before = None
    if previous is not None and question.id in previous:
        earlier = answer_text(question, previous[question.id])
        before = earlier if earlier != text else None
    return AnswerRow(
        question_id=question.id,
        question=question.text,
        answer=text,
        flags=tuple(flags.get(question.id, ())),
        used_by_safety_check=question.id in SAFETY_ANSWERS,
        previously=before,
        long_text=question.type is AnswerType.TEXT,
    )


# Where an item's shipped text is an instruction rather than a label.
RESPONSE_LABELS = {("psfs", "activities"): "Activities, each rated 0 (unable) to 10 (as before)"}


def _entry_text(entry: Mapping[str, Any]) -> str:
    """One entry of a list item (a PSFS activity): its words first, then its numbers, in
    a fixed order whatever order the database kept the keys in (JSONB sorts them)."""
    ordered = sorted(entry.items(), key=lambda pair: (not isinstance(pair[1], str), pair[0]))
    return ": ".join(str(value) for _, value in ordered if value is not None)


def _response_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(
            _entry_text(item) if isinstance(item, dict) else str(item) for item in value
        )
    if isinstance(value, str):
        return value.replace("_", " ").capitalize() if value.isidentifier() else value
    return str(value)


def _scores(answers: Mapping[str, Any], measures: Mapping[str, Any]) -> tuple[ScoreView, ...]:
    views = []
    for instrument, result in intake_scores(answers, measures).items():
        spec = INSTRUMENTS[instrument]
        given = measures.get(instrument, {})
        # In the instrument's own order (JSONB keeps keys in an order of its own).
        order = [*spec.items, *sorted(set(given) - set(spec.items))]
        responses = tuple(
            (
                RESPONSE_LABELS.get((instrument, item))
                or spec.items.get(item, item.replace("_", " ").capitalize()),
                _response_text(given[item]),
            )
            for item in order
            if item in given
        )
        if result.scorable and result.score is not None:
            views.append(ScoreView(spec.title, f"{result.score:g}", result.band, responses))
        else:
            views.append(ScoreView(spec.title, "Not scored", result.reason, responses))
    return tuple(views)


def view_intake_record(session: Session, actor: Actor, public_id: str) -> IntakeRecord:
    intake = load_intake(session, public_id)
    clinical = actor.role is Role.THERAPIST
    audit_event(
        session,
        actor,
        AuditAction.VIEW,
        "intake",
        intake.public_id,
        intake.patient_id,
        "intake record" if clinical else "intake record (front desk view)",
    )
    patient = session.get(Patient, intake.patient_id)
    if patient is None:
        raise NotFoundError("There is no patient record for this intake.")
    latest = session.scalars(
        select(ScreeningRecord)
        .where(ScreeningRecord.intake_id == intake.id)
        .order_by(ScreeningRecord.id.desc())
        .limit(1)
    ).first()
    names = _names(session, intake.started_by_id, intake.submitted_by_id)
    started_by = names.get(intake.started_by_id, "")
    if intake.mode is IntakeMode.KIOSK and intake.submitted_by_id is None:
        entered_by = "The patient, on the waiting-room tablet"
    else:
        entered_by = names.get(intake.submitted_by_id or intake.started_by_id, KIOSK_ACTOR_NAME)
    summaries, _ = patient_intakes(session, patient.public_id)
    others = tuple(item for item in summaries if item.public_id != intake.public_id)
    result = dict(latest.result) if latest is not None else {}
    record = IntakeRecord(
        public_id=intake.public_id,
        patient_public_id=patient.public_id,
        patient_name=patient.full_name,
        chart_number=patient.chart_number,
        date_of_birth=patient.date_of_birth,
        status=intake.status,
        mode=intake.mode,
        started_at=intake.started_at,
        submitted_at=intake.submitted_at,
        started_by=started_by,
        entered_by=entered_by,
        questionnaire_version=intake.questionnaire_version,
        screening_public_id=latest.public_id if latest else None,
        tier=latest.tier if latest else None,
        ruleset_version=latest.ruleset_version if latest else None,
        screened_at=latest.screened_at if latest else None,
        conditions=tuple(result.get("conditions", [])),
        other_intakes=others,
        clinical=clinical,
    )
    if not clinical:
        return record
    previous = _previous(session, intake)
    fired = list(result.get("fired_rules", []))
    screened = dict(latest.answers) if latest is not None else {}
    return replace(
        _with_clinical_part(record, intake, previous, fired, summaries),
        age_years=screened.get("age_years"),
        pain_duration_days=screened.get("pain_duration_days"),
    )


def _with_clinical_part(
    record: IntakeRecord,
    intake: Intake,
    previous: Intake | None,
    fired: list[dict[str, Any]],
    summaries: list[IntakeSummary],
) -> IntakeRecord:
    return replace(
        record,
        sections=_sections(
            intake.answers, _flags_by_answer(fired), previous.answers if previous else None
        ),
        fired_rules=flag_views(fired),
        scores=_scores(intake.answers, intake.measures),
        compared_with=next(
            (item for item in summaries if previous and item.public_id == previous.public_id),
            None,
        ),
    )
