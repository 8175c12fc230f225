"""Running the questionnaire's steps, for the front desk and for the kiosk alike.

A step shows the questions that apply to this patient. Follow-ups are rendered with the
step, hidden until their parent answer opens them: with JavaScript they appear inline;
without it, the step comes back with them shown after it is sent. Each step is saved as
it is sent, valid answers even when others need fixing, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, redirect, render_template
from flask.typing import ResponseReturnValue

from clinic.auth.identity import Actor
from clinic.db import commit, get_session
from clinic.errors import FieldError, NotFoundError
from clinic.forms import show_field_error
from clinic.intake import services
from clinic.intake.forms import ConfirmDetailsForm, answer_of, step_form
from clinic.intake.measures_form import instruments_for, measures_form, responses_from
from clinic.intake.models import IntakeStatus
from clinic.intake.steps import (
    DETAILS,
    MEASURES,
    REVIEW,
    STEPS_BY_ID,
    Step,
    answer_text,
    steps_for,
)
from clinic.patients.services import view_patient
from clinic.screening import ScreeningPolicy
from clinic.screening.engine import patient_regions
from clinic.screening.model import Question


@dataclass(frozen=True)
class Flow:
    """Where a questionnaire lives: the desk (staff layout) or the kiosk (patient layout)."""

    kiosk: bool
    layout: str
    step_url: Callable[[str], str]
    # Called after submission with the new result; returns the page to go to.
    finished: Callable[[services.ScreeningView], ResponseReturnValue]
    # Called when a saved step raises an EMERGENCY before the end (the interim result).
    emergency: Callable[[services.ScreeningView], ResponseReturnValue]


def _candidates(step: Step, answers: Mapping[str, Any]) -> list[Question]:
    """The step's questions for this patient's regions, follow-ups included (maybe hidden)."""
    regions = patient_regions(answers)
    return [question for question in step.questions if question.regions & regions]


def screening_policy() -> ScreeningPolicy:
    policy: ScreeningPolicy = current_app.config["SCREENING_POLICY"]
    return policy


def _progress(steps: Sequence[Step], step: Step) -> dict[str, Any]:
    index = steps.index(step) if step in steps else 0
    return {"number": index + 1, "total": len(steps), "steps": steps, "current": step}


def run_step(flow: Flow, actor: Actor, intake_id: str, step_id: str) -> ResponseReturnValue:
    session = get_session()
    step = STEPS_BY_ID.get(step_id)
    if step is None:
        raise NotFoundError("There is no such step in the questionnaire.")
    intake = services.view_intake(session, actor, intake_id)
    if intake.status is not IntakeStatus.DRAFT:
        raise NotFoundError("This questionnaire has been sent already.")
    steps = steps_for(intake.answers)
    if step not in steps:
        return redirect(flow.step_url(steps[-1].id))
    following = steps[steps.index(step) + 1] if step is not steps[-1] else None
    context = {
        "flow": flow,
        "intake": intake,
        "step": step,
        "progress": _progress(steps, step),
        "kiosk_idle_seconds": current_app.config["KIOSK_IDLE_SECONDS"] if flow.kiosk else None,
    }

    if step is DETAILS:
        patient = view_patient(session, actor, intake.patient_public_id)
        form = ConfirmDetailsForm()
        if form.validate_on_submit() and following is not None:
            services.save_answers(session, actor, intake_id, following.id, {})
            commit()
            return redirect(flow.step_url(following.id))
        return _committed(
            render_template("intake/step_details.html", form=form, patient=patient, **context)
        )

    if step is MEASURES:
        return _run_measures(flow, actor, intake, step, following, context)

    questions = _candidates(step, intake.answers)
    form = step_form(questions, intake.answers)
    if form.is_submitted():
        form.validate()
        posted = {q.id: answer_of(q, form[q.id]) for q in questions if not form[q.id].errors}
        merged = {**intake.answers, **{k: v for k, v in posted.items() if v is not None}}
        shown = {question.id for question in step.shown(merged)}
        for question in questions:
            if question.id not in shown:
                form[question.id].errors = []
                posted[question.id] = None  # a follow-up no longer asked: forget its answer
        fixable = {q.id for q in questions if form[q.id].errors}
        to_save = {key: value for key, value in posted.items() if key not in fixable}
        try:
            services.save_answers(
                session,
                actor,
                intake_id,
                step.id,
                to_save,
                # Where "Continue" (and the emergency page) takes up the questionnaire.
                continue_at=following.id if following is not None and not fixable else None,
            )
        except FieldError as error:
            show_field_error(form, error)
            fixable.add(error.field)
        if not fixable:
            if step is REVIEW:
                result = services.submit_intake(session, actor, intake_id, screening_policy())
                commit()
                return flow.finished(result)
            # Screened as each step is saved: an emergency is raised now, not at the end.
            emergency = services.screen_draft(session, actor, intake_id, screening_policy())
            commit()
            if emergency is not None:
                return flow.emergency(emergency)
            return redirect(flow.step_url(following.id if following else step.id))
        return _committed(
            render_template(
                "intake/step_questions.html", form=form, questions=questions, shown=shown, **context
            )
        )
    shown = {question.id for question in step.shown(intake.answers)}
    summary = _summary(intake.answers) if step is REVIEW else None
    return _committed(
        render_template(
            "intake/step_questions.html",
            form=form,
            questions=questions,
            shown=shown,
            summary=summary,
            **context,
        )
    )


def _run_measures(
    flow: Flow,
    actor: Actor,
    intake: services.IntakeView,
    step: Step,
    following: Step | None,
    context: dict[str, Any],
) -> ResponseReturnValue:
    session = get_session()
    wording = current_app.config["MEASURE_WORDING"]
    regions = sorted(region.value for region in patient_regions(intake.answers))
    instruments = instruments_for(
        regions, flow.kiosk, wording, current_app.config["OUTCOME_MEASURES"]
    )
    form, blocks = measures_form(instruments, intake.measures, wording)
    if form.validate_on_submit():
        responses, row_errors = responses_from(form, instruments)
        for name, message in row_errors.items():
            form[name].errors = [message]
        if not row_errors:
            try:
                services.save_measures(session, actor, intake.public_id, responses)
            except FieldError as error:
                show_field_error(form, error)
            else:
                commit()
                return redirect(flow.step_url(following.id if following else step.id))
    return _committed(
        render_template("intake/step_measures.html", form=form, blocks=blocks, **context)
    )


def _committed(page: str) -> str:
    """Commit once the page is rendered: a page that fails to render (a 500) leaves the
    database as it was, whatever the step saved or audited on the way."""
    commit()
    return page


def _summary(answers: Mapping[str, Any]) -> list[tuple[Step, list[tuple[Question, str]]]]:
    """Answers by step, as text, for the review page."""
    summary = []
    for step in steps_for(answers):
        rows = []
        for question in step.shown(answers):
            if question.id in answers:
                rows.append((question, answer_text(question, answers[question.id])))
            elif step.required:
                rows.append((question, ""))
        if rows:
            summary.append((step, rows))
    return summary
