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

from clinic.errors import NotFoundError
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
