"""The questionnaire's steps: which questions each asks, in what order. Plain Python.

The red-flag steps take their questions from the screening catalogue; a question whose
region or parent answer does not apply is not shown. Every catalogue question belongs to
exactly one step, except those filled in for the patient (age from the date of birth,
pain duration from the onset date) and retired ones; a test checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from clinic.intake.fields import ALL_QUESTIONS, COMPLAINT, HISTORY
from clinic.screening.engine import is_asked
from clinic.screening.model import AnswerType, Question
from clinic.screening.questions import QUESTIONS_BY_ID
from clinic.templating import format_date

# Answered for the patient from the record: never asked on a form.
DERIVED = frozenset({"age_years", "pain_duration_days"})


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    # What the patient is told at the top of the step.
    intro: str
    questions: tuple[Question, ...]
    # Every shown question must be answered (the outcome measures step is optional).
    required: bool = True

    def shown(self, answers: Mapping[str, Any]) -> tuple[Question, ...]:
        return tuple(
            question for question in self.questions if is_asked(question, answers, ALL_QUESTIONS)
        )


def _catalogue(*ids: str) -> tuple[Question, ...]:
    return tuple(QUESTIONS_BY_ID[question_id] for question_id in ids)


def _with_follow_ups(*ids: str) -> tuple[Question, ...]:
    """Questions with their follow-ups (in catalogue order, right after their parent)."""
    chosen: list[Question] = []
    for question_id in ids:
        chosen.append(QUESTIONS_BY_ID[question_id])
        chosen.extend(_follow_ups_of(question_id))
    return tuple(chosen)


def _follow_ups_of(parent: str) -> list[Question]:
    found: list[Question] = []
    for question in QUESTIONS_BY_ID.values():
        if question.follow_up_of is not None and question.follow_up_of.question == parent:
            found.append(question)
            found.extend(_follow_ups_of(question.id))
    return found


DETAILS = Step("details", "Your details", "Check that these details are right.", ())
COMPLAINT_STEP = Step(
    "complaint", "Your pain", "Tell us about the problem you are here for.", COMPLAINT
)
HISTORY_STEP = Step(
    "history", "Your health", "These questions help us keep your treatment safe.", HISTORY
)
SYMPTOMS = Step(
    "symptoms",
    "About the pain",
    "A few questions about how the pain behaves.",
    _with_follow_ups(
        "pain_trend",
        "first_episode",
        "pain_new_or_changed",
        "back_spasms",
        "constant_pain",
        "night_pain",
    ),
)
NERVES = Step(
    "nerves",
    "Legs, bladder and nerves",
    "Some of these questions are personal. We ask everyone, because the answers can be "
    "important for your safety.",
    _with_follow_ups(
        "leg_symptoms",
        "bladder_change",
        "saddle_numbness",
        "bowel_change",
        "sexual_dysfunction",
        "hand_clumsiness",
        "hands_numb",
        "legs_heavy",
        "walking_difficulty",
        "arms_and_legs_weak",
        "both_arms_weak",
        "electric_shocks",
    ),
)
GENERAL_HEALTH = Step(
    "general_health",
    "Your general health",
    "Questions about your health and anything that happened before the pain began.",
    _catalogue(
        "band_pain",
        "weight_loss",
        "feeling_unwell",
        "weakened_immunity",
        "injects_drugs",
        "recent_infection",
        "recent_spinal_procedure",
        "major_trauma",
        "fall_or_blow",
        "lifting_or_strain",
        "sudden_severe_pain",
        "fragility_fracture",
    ),
)
WARNING_SIGNS = Step(
    "warning_signs",
    "Other symptoms",
    "Tell us if you have had any of these, even if they have passed.",
    _catalogue(
        "one_side_of_body",
        "face_drooping",
        "sudden_limb_weakness",
        "speech_difficulty",
        "vision_change",
        "dizziness_or_blackouts",
        "worst_headache",
        "inflammatory_or_connective_tissue",
        "pulsing_abdomen",
        "loin_to_groin_pain",
        "urinary_symptoms",
        "nausea_with_tummy_pain",
        "nausea_or_vomiting",
        "gynae_or_prostate_symptoms",
    ),
)
INFLAMMATORY = Step(
    "inflammatory",
    "Back pain pattern",
    "These questions look for a kind of back pain caused by inflammation.",
    _catalogue(
        "back_pain_onset_age",
        "wakes_second_half_night",
        "buttock_pain",
        "better_with_movement",
        "better_with_anti_inflammatories",
        "family_spondyloarthritis",
        "arthritis_history",
        "enthesitis_history",
        "psoriasis_history",
    ),
)
MEASURES = Step(
    "measures",
    "How the pain affects you",
    "Questionnaires that help us measure your progress.",
    (),
    required=False,
)
REVIEW = Step(
    "review",
    "Check and send",
    "Check your answers, then send them.",
    _catalogue("other_concerns"),
    required=False,
)

STEPS: tuple[Step, ...] = (
    DETAILS,
    COMPLAINT_STEP,
    HISTORY_STEP,
    SYMPTOMS,
    NERVES,
    GENERAL_HEALTH,
    WARNING_SIGNS,
    INFLAMMATORY,
    MEASURES,
    REVIEW,
)
STEPS_BY_ID: dict[str, Step] = {step.id: step for step in STEPS}


def steps_for(answers: Mapping[str, Any]) -> list[Step]:
    """The steps this patient goes through: those with a question that applies to them."""
    return [step for step in STEPS if step in (DETAILS, MEASURES, REVIEW) or step.shown(answers)]


def answer_text(question: Question, value: Any) -> str:
    """An answer as the patient chose it ("Getting worse", not "worse")."""
    if question.type is AnswerType.DATE and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    labels = {option.value: option.text for option in question.options}
    if isinstance(value, list):
        return ", ".join(labels.get(item, str(item)) for item in value)
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


def answer_label(question_id: str, value: Any) -> str:
    """Any stored answer as text, "Not answered" for a blank."""
    if value is None:
        return "Not answered"
    question = ALL_QUESTIONS.get(question_id)
    return answer_text(question, value) if question is not None else str(value)
