"""Drive the questionnaire through the test client the way a browser would."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from clinic.auth.models import User
from clinic.intake.steps import DETAILS, MEASURES, REVIEW, Step, steps_for
from clinic.patients.models import Patient
from tests.helpers import PageClient
from tests.screening.stories import answers as story


def form_data(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    """The step's shown questions, answered as a browser would post them."""
    data: dict[str, Any] = {}
    for question in step.shown(answers):
        if question.id in answers:
            value = answers[question.id]
            data[question.id] = value if isinstance(value, list) else str(value)
    return data


def answer_all(
    pages: PageClient, step_url: str, answers: dict[str, Any], submit: bool = True
) -> Any:
    """Post every step of the questionnaire with ``answers``; returns the last response."""
    response = None
    for step in steps_for(answers):
        if step is REVIEW and not submit:
            break
        data = {} if step in (DETAILS, MEASURES) else form_data(step, answers)
        response = pages.post(step_url.format(step=step.id), data)
        assert response.status_code in (200, 302), (step.id, response.status_code)
        if response.status_code == 200 and step is not REVIEW:
            raise AssertionError(f"step {step.id} did not accept the answers")
    return response


ONSET = (date.today() - timedelta(days=5)).isoformat()
# The history questions that are not also red-flag questions.
HISTORY_NO = (
    "pregnant",
    "pacemaker",
    "metal_implants",
    "dvt",
    "anticoagulants",
    "bleeding_disorder",
    "raynauds",
    "impaired_sensation",
    "vascular_disease",
    "skin_conditions",
    "recent_surgery",
    "inflammatory_arthritis",
    "hypermobility",
    "heart_or_blood_pressure",
    "claustrophobia",
    "communication_needs",
)


def web_answers(**changes: Any) -> dict[str, Any]:
    """A complete set of answers as the web questionnaire collects them."""
    base = story(**changes)
    base.pop("age_years")
    base.pop("pain_duration_days")
    return {
        **base,
        "onset_date": ONSET,
        "onset_how": "gradual",
        "pain_now": 5,
        "pain_best": 2,
        "pain_worst": 7,
        **dict.fromkeys(HISTORY_NO, "no"),
    }


def start_desk_intake(pages: PageClient, patient: Patient) -> str:
    response = pages.post(f"/patients/{patient.public_id}/intakes")
    match = re.match(r"/intakes/([0-9a-f]{32})/steps/details", response.headers["Location"])
    assert match is not None
    return match.group(1)


def steps_url(intake_id: str) -> str:
    return f"/intakes/{intake_id}/steps/{{step}}"


def send_desk_intake(pages: PageClient, front_desk: User, patient: Patient, **changes: Any) -> str:
    """The front desk signs in and sends a complete intake; returns the result's address."""
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    response = answer_all(pages, steps_url(intake_id), web_answers(**changes))
    location: str = response.headers["Location"]
    return location
