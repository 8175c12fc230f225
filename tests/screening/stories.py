"""Build complete answer sets for patient stories: every question asked is answered in
the negative, then the story's own answers are laid on top."""

from __future__ import annotations

from typing import Any

from clinic.screening.answers import validate_answers
from clinic.screening.engine import is_asked
from clinic.screening.model import AnswerType
from clinic.screening.questions import QUESTIONS


def answers(regions: tuple[str, ...] = ("lumbar",), age: int = 35, **story: Any) -> dict[str, Any]:
    """A patient who answers no to everything asked, except what ``story`` says."""
    given: dict[str, Any] = {
        "pain_regions": list(regions),
        "age_years": age,
        "pain_duration_days": 5,
        "pain_trend": "better",
        "back_pain_onset_age": age,
        **story,
    }
    for question in QUESTIONS:
        if question.id in given or question.retired or not is_asked(question, given):
            continue
        if question.type is AnswerType.YES_NO_UNSURE:
            given[question.id] = "no"
    return validate_answers({key: value for key, value in given.items() if value is not None})


def symptom(
    name: str, status: str = "new", onset_days: int = 2, trend: str = "same"
) -> dict[str, Any]:
    """A cauda-equina-cluster symptom with its follow-ups."""
    return {
        name: "yes",
        f"{name}_status": status,
        f"{name}_onset_days": onset_days,
        f"{name}_trend": trend,
    }


def legs(
    side: str, onset_days: int = 3, trend: str = "same", status: str = "new", **more: str
) -> dict[str, Any]:
    """Leg symptoms with their follow-ups (onset and trend only when new or changed)."""
    timing = (
        {"leg_symptoms_onset_days": onset_days, "leg_symptoms_trend": trend}
        if status != "unchanged"
        else {}
    )
    return {
        "leg_symptoms": "yes",
        "leg_symptoms_side": side,
        "leg_symptoms_status": status,
        **timing,
        "leg_weakness_worsening": more.get("weakness", "no"),
        "foot_drop": more.get("foot_drop", "no"),
    }
