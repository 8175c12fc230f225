"""Demo accounts and patients, so every feature has something to show after `make run`.

Idempotent: running it again adds only what is missing. Phone numbers are from the
ranges reserved for drama (Ofcom), email addresses use example.com.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.auth.identity import DEMO_LOADER_ACTOR_NAME, Actor
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.auth.services import create_user
from clinic.db import utcnow
from clinic.intake import alerts
from clinic.intake import services as intake_services
from clinic.intake.fields import ALL_QUESTIONS, HISTORY
from clinic.intake.models import DecisionKind, FlagDecision, Intake, IntakeMode, ScreeningRecord
from clinic.measures.odi import SECTIONS as ODI_SECTIONS
from clinic.patients.models import Patient
from clinic.patients.services import PatientDetails, register_patient
from clinic.plans import finalising, reading, starting
from clinic.plans.models import Plan, PlanTemplate
from clinic.screening import ScreeningPolicy
from clinic.screening.engine import is_asked
from clinic.screening.model import AnswerType, Tier
from clinic.screening.questions import QUESTIONS

# Development only: `clinic demo` refuses to run in production.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (a published development default)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("frontdesk", "Priya Shah", Role.FRONT_DESK),
    DemoAccount("therapist", "Tom Okafor", Role.THERAPIST),
    DemoAccount("admin", "Alex Morgan", Role.ADMIN),
)

DEMO_PATIENTS = (
    PatientDetails(
        "Margaret",
        "Ellison",
        date(1948, 5, 12),
        "Female",
        "01632 960101",
        "margaret.ellison@example.com",
        "14 Mill Lane\nRiverside\nRS1 4AB",
        "English",
        "David Ellison",
        "Son",
        "07700 900101",
    ),
    PatientDetails(
        "James",
        "Whitfield",
        date(1989, 9, 3),
        "Male",
        "07700 900102",
        "j.whitfield@example.com",
        "Flat 2, 8 Station Road\nRiverside\nRS2 7CD",
        "English",
    ),
    PatientDetails(
        "Aisha",
        "Rahman",
        date(1994, 1, 27),
        "Female",
        "07700 900103",
        "aisha.rahman@example.com",
        "55 Orchard Way\nRiverside\nRS3 1EF",
        "Bengali",
        "Farid Rahman",
        "Husband",
        "07700 900203",
    ),
    PatientDetails(
        "Robert",
        "Nowak",
        date(1961, 11, 30),
        "Man",
        "01632 960104",
        "",
        "3 Church Street\nRiverside\nRS1 2GH",
        "Polish",
        "Anna Nowak",
        "Wife",
        "07700 900204",
    ),
    PatientDetails(
        "Chloe",
        "Bennett",
        date(2001, 6, 18),
        "Woman",
        "07700 900105",
        "chloe.bennett@example.com",
        "21 Meadow Close\nRiverside\nRS4 8JK",
        "English",
    ),
    PatientDetails(
        "Samuel",
        "Adeyemi",
        date(1976, 3, 9),
        "Male",
        "07700 900106",
        "sam.adeyemi@example.com",
        "9 Kingfisher Court\nRiverside\nRS2 3LM",
        "English",
        "Grace Adeyemi",
        "Partner",
        "07700 900206",
    ),
    PatientDetails(
        "Elena",
        "Marković",
        date(1983, 8, 22),
        "Female",
        "07700 900107",
        "elena.markovic@example.com",
        "40 High Street\nRiverside\nRS1 9NP",
        "Serbian",
    ),
    PatientDetails(
        "Dorothy",
        "Pike",
        date(1939, 2, 14),
        "Female",
        "01632 960108",
        "",
        "Rosewood Care Home\nRiverside\nRS5 6QR",
        "English",
        "Helen Pike",
        "Daughter",
        "07700 900208",
        large_print_handouts=True,
    ),
    PatientDetails(
        "Liam",
        "O'Connor",
        date(1998, 12, 1),
        "Male",
        "07700 900109",
        "liam.oconnor@example.com",
        "7 Harbour View\nRiverside\nRS3 4ST",
        "English",
    ),
    PatientDetails(
        "Mei",
        "Chen",
        date(1970, 4, 5),
        "Female",
        "07700 900110",
        "mei.chen@example.com",
        "18 Willow Crescent\nRiverside\nRS4 2UV",
        "Mandarin",
        "Wei Chen",
        "Brother",
        "07700 900210",
    ),
    PatientDetails(
        "Kwame",
        "Asante",
        date(1955, 7, 19),
        "Male",
        "01632 960111",
        "",
        "2 The Green\nRiverside\nRS2 5WX",
        "English",
        "Ama Asante",
        "Wife",
        "07700 900211",
    ),
    PatientDetails(
        "Sophie",
        "Laurent",
        date(1987, 10, 11),
        "Non-binary",
        "07700 900112",
        "sophie.laurent@example.com",
        "66 Canal Street\nRiverside\nRS1 7YZ",
        "French",
    ),
)


def load_demo_data(session: Session) -> str:
    """Create what is missing of the demo accounts and patients; returns a summary line."""
    existing_users = set(session.scalars(select(User.username)))
    actor = Actor(user_id=None, username=DEMO_LOADER_ACTOR_NAME, role=None)
    new_accounts = 0
    for account in DEMO_ACCOUNTS:
        if account.username not in existing_users:
            create_user(
                session, actor, account.username, account.display_name, account.role, DEMO_PASSWORD
            )
            new_accounts += 1

    front_desk_id = session.scalar(select(User.id).where(User.username == "frontdesk"))
    registrar = Actor(user_id=front_desk_id, username="frontdesk", role=Role.FRONT_DESK)
    known = {
        (given, family, born)
        for given, family, born in session.execute(
            select(Patient.given_name, Patient.family_name, Patient.date_of_birth)
        )
    }
    new_patients = 0
    for details in DEMO_PATIENTS:
        if (details.given_name, details.family_name, details.date_of_birth) not in known:
            register_patient(session, registrar, details, confirmed_not_duplicate=True)
            new_patients += 1
    session.flush()
    new_intakes = load_demo_intakes(session)
    new_plans = load_demo_plans(session)
    return (
        f"Demo data: {new_accounts} account(s), {new_patients} patient(s) and "
        f"{new_intakes} intake(s) added ({len(DEMO_ACCOUNTS)} accounts and "
        f"{len(DEMO_PATIENTS)} patients in the demo set). Demo plans: {new_plans} added."
    )


# Demo intakes ---------------------------------------------------------------------------
# One patient per result tier, so the therapists' queue has something to show, and one
# patient with three visits so the score charts have a history.


def _negative_rest(answers: dict[str, Any]) -> dict[str, Any]:
    """Demo only: answer "no" to every yes/no question the story leaves open. Real intakes
    never do this: an unanswered time-critical question must stay unanswered (INCOMPLETE)."""
    completed = dict(answers)
    for question in (*QUESTIONS, *HISTORY):
        if question.id in completed or question.type is not AnswerType.YES_NO_UNSURE:
            continue
        if is_asked(question, completed, ALL_QUESTIONS):
            completed[question.id] = "no"
    return completed


def _story(
    regions: list[str], onset_days_ago: int, pain_now: int, **answers: Any
) -> dict[str, Any]:
    base = {
        "pain_regions": regions,
        "onset_date": (date.today() - timedelta(days=onset_days_ago)).isoformat(),  # noqa: DTZ011
        "onset_how": "sudden",
        "pain_now": pain_now,
        "pain_best": max(0, pain_now - 3),
        "pain_worst": min(10, pain_now + 2),
        "pain_trend": "same",
        "medicines": "Paracetamol when needed",
        **answers,
    }
    return _negative_rest(base)


STARTBACK_MEDIUM = {
    "q1": "agree",
    "q2": "disagree",
    "q3": "agree",
    "q4": "agree",
    "q5": "disagree",
    "q6": "agree",
    "q7": "disagree",
    "q8": "disagree",
    "q9": "moderately",
}
STARTBACK_LOW = {**STARTBACK_MEDIUM, "q3": "disagree", "q6": "disagree"}


def _odi(total: int) -> dict[str, int]:
    """ODI section scores adding up to ``total`` (0-50), spread evenly."""
    return {
        section: min(5, total // 10 + (1 if index < total % 10 else 0))
        for index, section in enumerate(ODI_SECTIONS)
    }


DEMO_INTAKES: tuple[tuple[str, str, list[tuple[int, dict[str, Any], dict[str, Any]]]], ...] = (
    # (given, family, [(days ago submitted, answers, measures)])
    (
        "Margaret",
        "Ellison",
        [
            (
                0,
                _story(
                    ["lumbar"],
                    4,
                    8,
                    saddle_numbness="yes",
                    saddle_numbness_status="new",
                    saddle_numbness_onset_days=1,
                    saddle_numbness_trend="worse",
                    leg_symptoms="yes",
                    leg_symptoms_side="both",
                    leg_symptoms_onset_days=3,
                    leg_symptoms_trend="worse",
                    leg_weakness_worsening="no",
                    foot_drop="no",
                ),
                {},
            )
        ],
    ),
    (
        "Robert",
        "Nowak",
        [
            (
                0,
                _story(
                    ["thoracic"],
                    10,
                    6,
                    cancer_history="yes",
                    pain_new_or_changed="yes",
                    cancer_details="Prostate cancer 2019, radiotherapy to the pelvis",
                ),
                {},
            )
        ],
    ),
    (
        "Kwame",
        "Asante",
        [
            (
                0,
                {key: value for key, value in _story(["lumbar"], 12, 5).items() if key != "fever"},
                {},
            )
        ],
    ),
    (
        "James",
        "Whitfield",
        [
            (
                28,
                _story(["lumbar"], 49, 7, back_spasms="yes"),
                {"startback": STARTBACK_MEDIUM, "odi": _odi(20)},
            ),
            (
                14,
                _story(["lumbar"], 35, 5, back_spasms="yes"),
                {"startback": STARTBACK_MEDIUM, "odi": _odi(15)},
            ),
            (
                0,
                _story(["lumbar"], 21, 3, back_spasms="yes"),
                {
                    "startback": STARTBACK_LOW,
                    "odi": _odi(11),
                    "psfs": {
                        "activities": [
                            {"activity": "Lifting my toddler", "rating": 4},
                            {"activity": "Sitting through a work meeting", "rating": 6},
                        ]
                    },
                },
            ),
        ],
    ),
    (
        "Chloe",
        "Bennett",
        [
            (
                0,
                _story(["lumbar"], 3, 4, lifting_or_strain="yes", pain_trend="better"),
                {"startback": STARTBACK_LOW},
            )
        ],
    ),
    (
        "Aisha",
        "Rahman",
        [
            (
                0,
                _story(["cervical"], 6, 5, pain_trend="better"),
                {
                    "psfs": {
                        "activities": [
                            {"activity": "Checking over my shoulder when driving", "rating": 5}
                        ]
                    }
                },
            )
        ],
    ),
    # Two patients whose history matters to the treatment plan (clinical.md §9.8).
    (
        "Liam",
        "O'Connor",
        [
            (
                0,
                _story(["lumbar"], 20, 6, back_spasms="yes", anticoagulants="yes"),
                {"startback": STARTBACK_MEDIUM},
            )
        ],
    ),
    (
        "Sophie",
        "Laurent",
        [
            (
                0,
                _story(["lumbar"], 2, 7, back_spasms="yes", raynauds="yes"),
                {"startback": STARTBACK_LOW},
            )
        ],
    ),
)


def load_demo_intakes(session: Session) -> int:
    """Submit the demo intakes of demo patients who have none yet; returns how many."""
    desk_id = session.scalar(select(User.id).where(User.username == "frontdesk"))
    desk = Actor(user_id=desk_id, username="frontdesk", role=Role.FRONT_DESK)
    policy = ScreeningPolicy()
    added = 0
    for given, family, visits in DEMO_INTAKES:
        patient = session.scalar(
            select(Patient).where(Patient.given_name == given, Patient.family_name == family)
        )
        if patient is None or session.scalar(
            select(Intake.id).where(Intake.patient_id == patient.id)
        ):
            continue
        for days_ago, answers, measures in visits:
            draft = intake_services.start_intake(session, desk, patient.public_id, IntakeMode.DESK)
            intake_services.save_answers(session, desk, draft.public_id, "review", answers)
            if measures:
                intake_services.save_measures(session, desk, draft.public_id, measures)
            sent = intake_services.submit_intake(session, desk, draft.public_id, policy)
            if sent.tier is Tier.EMERGENCY:
                # The demo clinic took up its emergency already (it waits in the therapist's
                # queue): a new one, entered while trying the demo, is what sounds the alert.
                alerts.acknowledge(session, desk, sent.public_id, utcnow(), via="alert")
            when = utcnow() - timedelta(days=days_ago, minutes=len(visits))
            intake = session.scalar(select(Intake).where(Intake.public_id == draft.public_id))
            if intake is not None and days_ago:
                # Back-date the earlier visits (demo only) so the charts show a history.
                intake.started_at = intake.submitted_at = intake.updated_at = when
                for record in session.scalars(
                    select(ScreeningRecord).where(ScreeningRecord.intake_id == intake.id)
                ):
                    record.screened_at = when
                    if record.tier in intake_services.NEEDS_DECISION:
                        continue
                    intake_services.close(
                        session,
                        record,
                        FlagDecision(
                            kind=DecisionKind.REVIEWED,
                            decided_by_id=_demo_therapist_id(session),
                            decided_at=when,
                        ),
                    )
            added += 1
    session.flush()
    return added


def _demo_therapist_id(session: Session) -> int:
    therapist_id = session.scalar(select(User.id).where(User.username == "therapist"))
    if therapist_id is None:
        raise RuntimeError("the demo therapist account is missing")
    return therapist_id


# Demo plans -----------------------------------------------------------------------------
# (given, family, template, finalise). Finalising confirms every precaution found; a plan
# with a contraindication is left as a draft to show the block.
DEMO_PLANS = (
    ("James", "Whitfield", "Acute low back spasm, first week", True),
    ("Aisha", "Rahman", "Neck pain, mobility", True),
    # Anticoagulants: massage and stretching are precautions, confirmed at finalising.
    ("Liam", "O'Connor", "Low back pain, exercise and manual therapy package", True),
    # Raynaud's: the ice pack is contraindicated, so the draft cannot be finalised as is.
    ("Sophie", "Laurent", "Acute low back spasm, first week", False),
)


def load_demo_plans(session: Session) -> int:
    """Plans for demo patients who have none yet (the catalogue must be loaded first:
    `clinic catalogue load`); returns how many were added."""
    therapist = Actor(
        user_id=_demo_therapist_id(session), username="therapist", role=Role.THERAPIST
    )
    added = 0
    for given, family, template_name, final in DEMO_PLANS:
        patient = session.scalar(
            select(Patient).where(Patient.given_name == given, Patient.family_name == family)
        )
        template_id = session.scalar(
            select(PlanTemplate.id).where(PlanTemplate.name == template_name)
        )
        if patient is None or template_id is None:
            continue
        if session.scalar(select(Plan.id).where(Plan.patient_id == patient.id)):
            continue
        plan_id = starting.create_plan(session, therapist, patient.public_id, template_id)
        if final:
            view = reading.plan_view(session, therapist, plan_id, audit=False)
            answers = [
                finalising.SafetyAnswer(int(f.item_key), f.code, confirmed=True)
                for f in view.check.findings
            ]
            finalising.finalise(session, therapist, plan_id, view.edit_count, answers)
        added += 1
    session.flush()
    return added
