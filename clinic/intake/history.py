"""A patient's intakes, screening results with decisions, and scores over time, for the
patient's page (whose view of the record is the audited read).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.intake.models import (
    DecisionKind,
    FlagDecision,
    Intake,
    IntakeMode,
    IntakeStatus,
    ScreeningRecord,
)
from clinic.measures import INSTRUMENTS
from clinic.measures import score as score_measure
from clinic.measures.base import ScoreResult
from clinic.measures.registry import Change, change
from clinic.patients.models import Patient
from clinic.screening.model import Tier


@dataclass(frozen=True)
class ScorePoint:
    taken_on: date
    score: float
    band: str | None
    # The same score in another unit the instrument reports (NDI: the percentage).
    also: str | None = None


@dataclass(frozen=True)
class ScoreSeries:
    instrument: str
    title: str
    mcid: float | None
    higher_is_better: bool
    points: tuple[ScorePoint, ...]
    # From the first score to the latest, judged against the MCID (two scores or more).
    change: Change | None = None


def intake_scores(
    answers: Mapping[str, Any], measures: Mapping[str, Any]
) -> dict[str, ScoreResult]:
    """Each outcome measure of one intake, scored; NPRS from the complaint step's pain now."""
    responses = dict(measures)
    if isinstance(answers.get("pain_now"), int):
        responses["nprs"] = {"rating": answers["pain_now"], "time_frame": "now"}
    return {instrument: score_measure(instrument, items) for instrument, items in responses.items()}


def _intakes(session: Session, patient_public_id: str) -> list[Intake]:
    """The patient's intakes, newest first, found by the patient's id in one statement
    (the caller has found the patient: an unknown id has none)."""
    return list(
        session.scalars(
            select(Intake)
            .join(Patient, Patient.id == Intake.patient_id)
            .where(Patient.public_id == patient_public_id)
            .order_by(Intake.started_at.desc(), Intake.id.desc())
        )
    )


def score_history(
    session: Session, patient_public_id: str, intakes: list[Intake] | None = None
) -> list[ScoreSeries]:
    """Each instrument's scores over the patient's submitted intakes, oldest first. NPRS
    comes from the pain score given on the complaint step. Part of the patient's page,
    whose view of the record is the audited read. ``intakes``: as ``patient_history``
    read them."""
    submitted = sorted(
        (
            intake
            for intake in (_intakes(session, patient_public_id) if intakes is None else intakes)
            if intake.status is IntakeStatus.SUBMITTED
        ),
        key=lambda intake: (intake.submitted_at or intake.started_at, intake.id),
    )
    points: dict[str, list[ScorePoint]] = {name: [] for name in INSTRUMENTS}
    for intake in submitted:
        taken_on = (intake.submitted_at or intake.started_at).date()
        for instrument, result in intake_scores(intake.answers, intake.measures).items():
            if result.scorable and result.score is not None:
                # A score reported in a second unit (NDI: 0-50 and a percentage).
                percentage = result.details.get("percentage")
                also = f"{percentage:g} %" if percentage is not None else None
                points[instrument].append(ScorePoint(taken_on, result.score, result.band, also))
    return [
        ScoreSeries(
            name,
            spec.title,
            spec.mcid,
            spec.higher_is_better,
            tuple(points[name]),
            change(name, points[name][0].score, points[name][-1].score)
            if len(points[name]) > 1
            else None,
        )
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


def patient_history(
    session: Session, patient_public_id: str
) -> tuple[list[IntakeSummary], list[ScreeningHistoryItem], list[ScoreSeries]]:
    """The patient's intakes, results and scores over time, from one reading of the
    intakes (the patient's page)."""
    intakes = _intakes(session, patient_public_id)
    summaries, screenings = patient_intakes(session, patient_public_id, intakes)
    return summaries, screenings, score_history(session, patient_public_id, intakes)


def patient_intakes(
    session: Session, patient_public_id: str, intakes: list[Intake] | None = None
) -> tuple[list[IntakeSummary], list[ScreeningHistoryItem]]:
    """The patient's intakes (newest first) and every screening result with its decision
    and who made it (one statement). Part of the patient's page, whose view of the record
    is the audited read."""
    from clinic.auth.models import User

    if intakes is None:
        intakes = _intakes(session, patient_public_id)
    rows = (
        session.execute(
            select(ScreeningRecord, FlagDecision, User.display_name)
            .outerjoin(FlagDecision, FlagDecision.screening_id == ScreeningRecord.id)
            .outerjoin(User, User.id == FlagDecision.decided_by_id)
            .where(ScreeningRecord.intake_id.in_([intake.id for intake in intakes]))
            .order_by(ScreeningRecord.screened_at.desc(), ScreeningRecord.id.desc())
        ).all()
        if intakes
        else []
    )
    screenings = [screening for screening, _, _ in rows]
    decisions = {screening.id: decision for screening, decision, _ in rows if decision}
    names = {decision.decided_by_id: name for _, decision, name in rows if decision and name}
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
                        decided_by=(
                            names.get(decision.decided_by_id, "")
                            if decision.decided_by_id is not None
                            else "superseded by the intake's later result"
                        ),
                        decided_at=decision.decided_at,
                    )
                    if (decision := decisions.get(screening.id)) is not None
                    else None
                ),
            )
            for screening in screenings
        ],
    )
