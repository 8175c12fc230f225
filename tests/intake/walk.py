"""Drive the questionnaire through the test client the way a browser would."""

from __future__ import annotations

from typing import Any

from clinic.intake.questionnaire import steps_for
from clinic.intake.steps import DETAILS, MEASURES, REVIEW, Step
from tests.helpers import PageClient


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
