"""Intake use cases against the real database: drafts, submission and screening,
re-screening, decisions, the queue and kiosk codes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, PermissionDeniedError
from clinic.intake import kiosk_codes, review, services
from clinic.intake.models import (
    DecisionKind,
    FlagDecision,
    IntakeMode,
    IntakeStatus,
    ScreeningRecord,
)
from clinic.patients.models import Patient
from clinic.screening import ScreeningPolicy, Tier
from tests.factories import make_patient
from tests.screening.stories import answers, symptom

TODAY = date(2026, 11, 22)
POLICY = ScreeningPolicy()


def actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.role, "test-request")


@pytest.fixture
def patient(db_session: Session, front_desk: User) -> Patient:
    return make_patient(db_session, front_desk, date_of_birth=date(1990, 6, 1))


def _submitted(
    db_session: Session, front_desk: User, patient: Patient, story: dict[str, Any]
) -> services.ScreeningView:
    desk = actor(front_desk)
    intake = services.start_intake(db_session, desk, patient.public_id, IntakeMode.DESK)
    given = {key: value for key, value in story.items() if key != "age_years"}
    services.save_answers(db_session, desk, intake.public_id, "red_flags", given, today=TODAY)
    return services.submit_intake(db_session, desk, intake.public_id, POLICY, today=TODAY)


def test_a_draft_keeps_each_step_and_where_it_stopped(
    db_session: Session, front_desk: User, patient: Patient
) -> None:
    desk = actor(front_desk)
    intake = services.start_intake(db_session, desk, patient.public_id, IntakeMode.DESK)
    services.save_answers(
        db_session, desk, intake.public_id, "complaint", {"pain_regions": ["lumbar"], "pain_now": 6}
    )
    services.save_answers(db_session, desk, intake.public_id, "history", {"pregnant": "no"})
    db_session.expire_all()
    reopened = services.view_intake(db_session, desk, intake.public_id)
    assert reopened.status is IntakeStatus.DRAFT
    assert reopened.current_step == "history"
    assert reopened.answers == {"pain_regions": ["lumbar"], "pain_now": 6, "pregnant": "no"}


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"pain_now": 11}, "pain_now", "must be at most 10"),
        ({"onset_date": "2026-12-01"}, "onset_date", "must not be in the future"),
        ({"bladder_change": "perhaps"}, "bladder_change", "must be one of yes, no, unsure"),
        ({"favourite_colour": "blue"}, "favourite_colour", "not a question of the intake"),
    ],
)
def test_a_bad_answer_is_refused_naming_its_question(
    db_session: Session,
    front_desk: User,
    patient: Patient,
    given: dict[str, Any],
    field: str,
    message: str,
) -> None:
    desk = actor(front_desk)
    intake = services.start_intake(db_session, desk, patient.public_id, IntakeMode.DESK)
    with pytest.raises(FieldError, match=message) as raised:
        services.save_answers(db_session, desk, intake.public_id, "complaint", given, today=TODAY)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("story", "tier"),
    [
        (answers(), Tier.NONE),
        (
            answers(back_spasms="yes", pain_duration_days=21, pain_trend="same"),
            Tier.ROUTINE_WITH_FLAG,
        ),
        ({key: value for key, value in answers().items() if key != "fever"}, Tier.INCOMPLETE),
        (answers(weight_loss="yes"), Tier.URGENT),
        (answers(**symptom("bladder_change")), Tier.EMERGENCY),
    ],
)
def test_submitting_screens_the_answers_at_once(
    db_session: Session, front_desk: User, patient: Patient, story: dict[str, Any], tier: Tier
) -> None:
    result = _submitted(db_session, front_desk, patient, story)
    assert result.tier is tier
    assert result.decision is None
    events = db_session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.patient_id == patient.id, AuditEvent.entity_type == "screening"
        )
    ).all()
    assert events == [f"{tier.value}; rule set {result.result['ruleset_version']}"]


def test_age_comes_from_the_date_of_birth_and_duration_from_the_onset_date(
    db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk, date_of_birth=date(1960, 1, 15))
    story = {
        key: value
        for key, value in answers(first_episode="yes").items()
        if key not in {"age_years", "pain_duration_days"}
    }
    result = _submitted(db_session, front_desk, patient, {**story, "onset_date": "2026-11-01"})
    stored = db_session.scalar(
        select(ScreeningRecord).where(ScreeningRecord.public_id == result.public_id)
    )
    assert stored is not None
    assert stored.answers["age_years"] == 66
    assert stored.answers["pain_duration_days"] == 21
    assert result.tier is Tier.URGENT  # first episode over 60


def test_a_submitted_intake_cannot_be_submitted_or_changed_again(
    db_session: Session, front_desk: User, patient: Patient
) -> None:
    result = _submitted(db_session, front_desk, patient, answers())
    with pytest.raises(ConflictError):
        services.submit_intake(db_session, actor(front_desk), result.intake_public_id, POLICY)
    with pytest.raises(ConflictError):
        services.save_answers(
            db_session, actor(front_desk), result.intake_public_id, "history", {"pregnant": "yes"}
        )


def test_screening_again_makes_a_new_result_and_keeps_the_old_one(
    db_session: Session, front_desk: User, patient: Patient
) -> None:
    first = _submitted(db_session, front_desk, patient, answers(first_episode="yes"))
    second = services.rescreen(
        db_session,
        actor(front_desk),
        first.intake_public_id,
        ScreeningPolicy(age_flag_upper_years=20),
        today=TODAY,
    )
    records = db_session.scalars(select(ScreeningRecord).order_by(ScreeningRecord.id)).all()
    assert [record.public_id for record in records] == [first.public_id, second.public_id]
    assert (records[0].tier, records[1].tier) == (Tier.NONE, Tier.URGENT)


def test_only_a_therapist_can_decide(
    db_session: Session, front_desk: User, patient: Patient
) -> None:
    result = _submitted(db_session, front_desk, patient, answers(**symptom("bladder_change")))
    with pytest.raises(PermissionDeniedError):
        review.decide(
            db_session,
            actor(front_desk),
            result.public_id,
            review.Decision(DecisionKind.REFERRED, "A&E", "now"),
        )


@pytest.mark.parametrize(
    ("decision", "field"),
    [
        (review.Decision(DecisionKind.CLEARED, reason="  "), "reason"),
        (review.Decision(DecisionKind.REFERRED, referred_when="today"), "referred_to"),
        (review.Decision(DecisionKind.REFERRED, referred_to="A&E"), "referred_when"),
        (review.Decision(DecisionKind.REVIEWED), "kind"),
    ],
)
def test_an_incomplete_decision_on_an_emergency_is_refused(
    db_session: Session,
    front_desk: User,
    therapist: User,
    patient: Patient,
    decision: review.Decision,
    field: str,
) -> None:
    result = _submitted(db_session, front_desk, patient, answers(**symptom("bladder_change")))
    with pytest.raises(FieldError) as raised:
        review.decide(db_session, actor(therapist), result.public_id, decision)
    assert raised.value.field == field


def test_a_decision_closes_the_flag_and_is_audited_with_the_rule_set(
    db_session: Session, front_desk: User, therapist: User, patient: Patient
) -> None:
    result = _submitted(db_session, front_desk, patient, answers(**symptom("bladder_change")))
    assert [flag.public_id for flag in review.open_flags(db_session, patient.public_id)] == [
        result.public_id
    ]
    decided = review.decide(
        db_session,
        actor(therapist),
        result.public_id,
        review.Decision(
            DecisionKind.REFERRED, "Emergency department, City Hospital", "Sent at 10:40"
        ),
    )
    assert decided.decision is DecisionKind.REFERRED
    assert review.open_flags(db_session, patient.public_id) == []
    detail = db_session.scalar(
        select(AuditEvent.detail).where(
            AuditEvent.action == AuditAction.UPDATE, AuditEvent.entity_id == result.public_id
        )
    )
    assert detail == f"referred; EMERGENCY; rule set {result.result['ruleset_version']}"
    with pytest.raises(ConflictError):
        review.decide(
            db_session,
            actor(therapist),
            result.public_id,
            review.Decision(DecisionKind.CLEARED, reason="second thoughts"),
        )


def test_completing_the_answers_screens_again_and_closes_the_incomplete_result(
    db_session: Session, front_desk: User, therapist: User, patient: Patient
) -> None:
    incomplete = _submitted(
        db_session,
        front_desk,
        patient,
        {key: value for key, value in answers().items() if key != "fever"},
    )
    new = review.complete_and_rescreen(
        db_session, actor(therapist), incomplete.public_id, {"fever": "no"}, POLICY, today=TODAY
    )
    assert (incomplete.tier, new.tier) == (Tier.INCOMPLETE, Tier.NONE)
    old = services.screening_view(
        db_session, services.load_screening(db_session, incomplete.public_id)
    )
    assert old.decision is DecisionKind.RESCREENED


def test_the_queue_puts_emergencies_first_and_the_oldest_first_within_a_tier(
    db_session: Session, front_desk: User, therapist: User
) -> None:
    stories = [
        ("routine", answers(back_spasms="yes", pain_duration_days=21, pain_trend="same")),
        ("emergency-old", answers(**symptom("bladder_change"))),
        ("none", answers()),
        ("urgent", answers(weight_loss="yes")),
        ("incomplete", {key: value for key, value in answers().items() if key != "fever"}),
        ("emergency-new", answers(**symptom("saddle_numbness"))),
    ]
    names = {}
    for label, story in stories:
        patient = make_patient(db_session, front_desk, family_name=label)
        names[_submitted(db_session, front_desk, patient, story).public_id] = label
    # The second emergency is newer; make the first one older still to be sure of order.
    records = db_session.scalars(select(ScreeningRecord).order_by(ScreeningRecord.id)).all()
    for offset, screening in enumerate(records):
        screening.screened_at = utcnow() - timedelta(minutes=60 - offset)
    db_session.flush()
    queue = review.review_queue(db_session, actor(therapist))
    assert [names[item.screening_public_id] for item in queue.items] == [
        "emergency-old",
        "emergency-new",
        "urgent",
        "incomplete",
        "routine",
        "none",
    ]
    assert review.unreviewed_emergency_count(db_session) == 2
    # A page at a time, in the same order, the total on every page.
    first = review.review_queue(db_session, actor(therapist), page=1, page_size=4)
    second = review.review_queue(db_session, actor(therapist), page=2, page_size=4)
    assert (first.total, second.total, second.page_count) == (6, 6, 2)
    assert [names[item.screening_public_id] for item in (*first.items, *second.items)] == [
        names[item.screening_public_id] for item in queue.items
    ]


def test_a_reviewed_routine_result_leaves_the_queue(
    db_session: Session, front_desk: User, therapist: User, patient: Patient
) -> None:
    result = _submitted(db_session, front_desk, patient, answers())
    review.decide(
        db_session, actor(therapist), result.public_id, review.Decision(DecisionKind.REVIEWED)
    )
    assert review.review_queue(db_session, actor(therapist)).items == []


# Kiosk codes --------------------------------------------------------------------------------


def _kiosk_intake(db_session: Session, front_desk: User, patient: Patient) -> tuple[str, str]:
    intake = services.start_intake(
        db_session, actor(front_desk), patient.public_id, IntakeMode.DESK
    )
    code, _ = kiosk_codes.create_kiosk_code(
        db_session, actor(front_desk), intake.public_id, timedelta(hours=2)
    )
    return intake.public_id, code


def test_a_kiosk_code_opens_its_intake_once(
    db_session: Session, front_desk: User, patient: Patient
) -> None:
    intake_id, code = _kiosk_intake(db_session, front_desk, patient)
    assert kiosk_codes.redeem_kiosk_code(db_session, code.lower().replace("-", " ")) == intake_id
    with pytest.raises(kiosk_codes.KioskCodeError, match="used already"):
        kiosk_codes.redeem_kiosk_code(db_session, code)


def test_an_expired_kiosk_code_is_refused(
    db_session: Session, front_desk: User, patient: Patient
) -> None:
    _, code = _kiosk_intake(db_session, front_desk, patient)
    with pytest.raises(kiosk_codes.KioskCodeError, match="expired"):
        kiosk_codes.redeem_kiosk_code(
            db_session, code, now=utcnow() + timedelta(hours=2, seconds=1)
        )


def test_an_unknown_kiosk_code_is_refused(db_session: Session) -> None:
    with pytest.raises(kiosk_codes.KioskCodeError, match="not right"):
        kiosk_codes.redeem_kiosk_code(db_session, "ABCD-EFGH")


def test_only_a_hash_of_the_kiosk_code_is_stored(
    db_session: Session, front_desk: User, patient: Patient
) -> None:
    from clinic.intake.models import KioskCode

    _, code = _kiosk_intake(db_session, front_desk, patient)
    stored = db_session.scalar(select(KioskCode.code_hash))
    assert stored is not None
    assert code.replace("-", "") not in stored
    assert db_session.scalar(select(func.count()).select_from(KioskCode)) == 1


def _open_by_the_rule(db_session: Session) -> set[int]:
    """The results awaiting a decision by the rule the stored state keeps: no decision,
    and the newest result of its intake or an interim one (as the queue once worked it
    out by grouping every result)."""
    newest = (
        select(func.max(ScreeningRecord.id)).group_by(ScreeningRecord.intake_id).scalar_subquery()
    )
    decided = select(FlagDecision.screening_id).scalar_subquery()
    return set(
        db_session.scalars(
            select(ScreeningRecord.id).where(
                ScreeningRecord.id.not_in(decided),
                (ScreeningRecord.id.in_(newest)) | ScreeningRecord.interim.is_(True),
            )
        )
    )


def _open_as_stored(db_session: Session) -> set[int]:
    return set(
        db_session.scalars(
            select(ScreeningRecord.id).where(ScreeningRecord.awaiting_decision.is_(True))
        )
    )


def test_the_stored_open_state_follows_every_way_a_result_is_made_and_closed(
    db_session: Session, front_desk: User, therapist: User
) -> None:
    desk, clinician = actor(front_desk), actor(therapist)
    steps: list[str] = []

    def agrees(step: str) -> None:
        db_session.flush()
        steps.append(step)
        assert _open_as_stored(db_session) == _open_by_the_rule(db_session), steps

    people = [
        make_patient(db_session, front_desk, date_of_birth=date(1960 + n, 1, 1)) for n in range(4)
    ]
    routine = _submitted(db_session, front_desk, people[0], answers())
    agrees("a routine result")
    review.decide(db_session, clinician, routine.public_id, review.Decision(DecisionKind.REVIEWED))
    agrees("reviewed")
    # An interim EMERGENCY while the questionnaire is answered, then the full result.
    draft = services.start_intake(db_session, desk, people[1].public_id, IntakeMode.DESK)
    emergency = {k: v for k, v in answers(**symptom("saddle_numbness")).items() if k != "age_years"}
    services.save_answers(db_session, desk, draft.public_id, "red_flags", emergency, today=TODAY)
    interim = services.screen_draft(db_session, desk, draft.public_id, POLICY, today=TODAY)
    assert interim is not None
    agrees("an interim emergency")
    full = services.submit_intake(db_session, desk, draft.public_id, POLICY, today=TODAY)
    agrees("the full result supersedes the interim one")
    review.decide(
        db_session,
        clinician,
        full.public_id,
        review.Decision(DecisionKind.REFERRED, referred_to="ED", referred_when="now"),
    )
    agrees("referred")
    # Screened again under another policy: the older result leaves the queue undecided.
    first = _submitted(db_session, front_desk, people[2], answers(first_episode="yes"))
    services.rescreen(
        db_session,
        desk,
        first.intake_public_id,
        ScreeningPolicy(age_flag_upper_years=20),
        today=TODAY,
    )
    agrees("rescreened")
    incomplete = _submitted(
        db_session,
        front_desk,
        people[3],
        {key: value for key, value in answers().items() if key != "fever"},
    )
    agrees("an incomplete result")
    review.complete_and_rescreen(
        db_session, clinician, incomplete.public_id, {"fever": "no"}, POLICY, today=TODAY
    )
    agrees("completed and screened again")
    assert len(_open_as_stored(db_session)) == 2  # the rescreened and the completed ones
