"""Staff pages of the intake: starting one, the desk questionnaire, results, decisions,
the therapists' queue and the front desk's emergency alerts."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.errors import FieldError
from clinic.forms import show_field_error
from clinic.intake import kiosk_codes, review, services
from clinic.intake.forms import ButtonForm, DecisionForm, ReviewedForm, answer_of, step_form
from clinic.intake.models import DecisionKind, IntakeMode
from clinic.intake.questionnaire import Flow, run_step, screening_policy
from clinic.screening.front_desk import front_desk_actions
from clinic.screening.model import Condition, Tier
from clinic.screening.questions import QUESTIONS_BY_ID

intake = Blueprint("intake", __name__)

CLINICAL_STAFF = (Role.FRONT_DESK, Role.THERAPIST)


def _desk_flow(intake_id: str) -> Flow:
    return Flow(
        kiosk=False,
        layout="base.html",
        step_url=lambda step: url_for("intake.step", intake_id=intake_id, step_id=step),
        finished=lambda result: redirect(url_for("intake.result", screening_id=result.public_id)),
    )


@intake.route("/patients/<public_id>/intakes", methods=["POST"])
@allow(*CLINICAL_STAFF)
def start(public_id: str) -> ResponseReturnValue:
    form = ButtonForm()
    if not form.validate_on_submit():
        return redirect(url_for("patients.detail", public_id=public_id))
    started = services.start_intake(get_session(), current_actor(), public_id, IntakeMode.DESK)
    commit()
    return redirect(
        url_for("intake.step", intake_id=started.public_id, step_id=started.current_step)
    )


@intake.route("/patients/<public_id>/kiosk-intakes", methods=["POST"])
@allow(*CLINICAL_STAFF)
def start_kiosk(public_id: str) -> ResponseReturnValue:
    form = ButtonForm()
    if not form.validate_on_submit():
        return redirect(url_for("patients.detail", public_id=public_id))
    session, actor = get_session(), current_actor()
    started = services.start_intake(session, actor, public_id, IntakeMode.KIOSK)
    code, expires_at = kiosk_codes.create_kiosk_code(
        session, actor, started.public_id, current_app.config["KIOSK_CODE_VALID_FOR"]
    )
    commit()
    # Shown once, never stored in clear: a reload does not show it again.
    return render_template(
        "intake/kiosk_code.html", code=code, expires_at=expires_at, patient_public_id=public_id
    )


@intake.route("/intakes/<intake_id>/kiosk-code", methods=["POST"])
@allow(*CLINICAL_STAFF)
def new_kiosk_code(intake_id: str) -> ResponseReturnValue:
    form = ButtonForm()
    session, actor = get_session(), current_actor()
    draft = services.view_intake(session, actor, intake_id)
    if not form.validate_on_submit():
        return redirect(url_for("patients.detail", public_id=draft.patient_public_id))
    code, expires_at = kiosk_codes.create_kiosk_code(
        session, actor, intake_id, current_app.config["KIOSK_CODE_VALID_FOR"]
    )
    commit()
    return render_template(
        "intake/kiosk_code.html",
        code=code,
        expires_at=expires_at,
        patient_public_id=draft.patient_public_id,
    )


@intake.route("/intakes/<intake_id>/steps/<step_id>", methods=["GET", "POST"])
@allow(*CLINICAL_STAFF)
def step(intake_id: str, step_id: str) -> ResponseReturnValue:
    return run_step(_desk_flow(intake_id), current_actor(), intake_id, step_id)


@intake.route("/screenings/<screening_id>")
@allow(*CLINICAL_STAFF)
def result(screening_id: str) -> ResponseReturnValue:
    session = get_session()
    screening = services.view_screening(session, current_actor(), screening_id)
    commit()
    return _result_page(screening, DecisionForm())


def _result_page(
    screening: services.ScreeningView, decision_form: DecisionForm
) -> ResponseReturnValue:
    """The result: what to do for everyone; conditions, evidence and decision for therapists."""
    conditions = [Condition(value) for value in screening.result["conditions"]]
    return render_template(
        "intake/result.html",
        screening=screening,
        actions=front_desk_actions(
            screening.tier, conditions, current_app.config["EMERGENCY_NUMBER"]
        ),
        therapist=current_user.role is Role.THERAPIST,
        questions=QUESTIONS_BY_ID,
        decision_form=decision_form,
        reviewed_form=ReviewedForm(),
        needs_decision=screening.tier in services.NEEDS_DECISION,
    )


@intake.route("/screenings/<screening_id>/decision", methods=["POST"])
@allow(Role.THERAPIST)
def decide(screening_id: str) -> ResponseReturnValue:
    session = get_session()
    form = DecisionForm()
    if form.validate_on_submit():
        decision = review.Decision(
            kind=DecisionKind(form.kind.data),
            referred_to=form.referred_to.data or "",
            referred_when=form.referred_when.data or "",
            reason=form.reason.data or "",
        )
        try:
            decided = review.decide(session, current_actor(), screening_id, decision)
        except FieldError as error:
            show_field_error(form, error)
        else:
            commit()
            flash("Decision recorded.", "success")
            return redirect(url_for("patients.detail", public_id=decided.patient_public_id))
    screening = services.view_screening(session, current_actor(), screening_id)
    commit()
    return _result_page(screening, form)


@intake.route("/screenings/<screening_id>/reviewed", methods=["POST"])
@allow(Role.THERAPIST)
def reviewed(screening_id: str) -> ResponseReturnValue:
    form = ReviewedForm()
    if form.validate_on_submit():
        review.decide(
            get_session(), current_actor(), screening_id, review.Decision(DecisionKind.REVIEWED)
        )
        commit()
        flash("Marked as reviewed.", "success")
        return redirect(url_for("intake.queue"))
    return redirect(url_for("intake.result", screening_id=screening_id))


@intake.route("/screenings/<screening_id>/complete", methods=["GET", "POST"])
@allow(Role.THERAPIST)
def complete(screening_id: str) -> ResponseReturnValue:
    """Answer the time-critical questions the result lacked, and screen again."""
    session, actor = get_session(), current_actor()
    screening = services.view_screening(session, actor, screening_id)
    missing = [QUESTIONS_BY_ID[q] for q in screening.result["unanswered_time_critical"]]
    form = step_form(missing, {})
    if form.validate_on_submit():
        answers = {question.id: answer_of(question, form[question.id]) for question in missing}
        try:
            new = review.complete_and_rescreen(
                session, actor, screening_id, answers, screening_policy()
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            commit()
            flash("Answers completed and screened again.", "success")
            return redirect(url_for("intake.result", screening_id=new.public_id))
    commit()
    return render_template(
        "intake/complete.html",
        form=form,
        questions=missing,
        screening=screening,
        shown={q.id for q in missing},
    )


@intake.route("/intakes/<intake_id>/rescreen", methods=["POST"])
@allow(Role.THERAPIST)
def rescreen(intake_id: str) -> ResponseReturnValue:
    form = ButtonForm()
    if not form.validate_on_submit():
        return redirect(url_for("home.index"))
    new = services.rescreen(get_session(), current_actor(), intake_id, screening_policy())
    commit()
    flash("Screened again with the current rule set. The earlier result is kept.", "success")
    return redirect(url_for("intake.result", screening_id=new.public_id))


@intake.route("/queue")
@allow(Role.THERAPIST)
def queue() -> ResponseReturnValue:
    items = review.review_queue(get_session(), current_actor())
    commit()
    return render_template("intake/queue.html", items=items, Tier=Tier, Condition=Condition)


@intake.route("/alerts")
@allow(*CLINICAL_STAFF)
def alerts() -> ResponseReturnValue:
    """Unreviewed emergencies, with what the front desk must do (no clinical detail)."""
    alerts = review.emergency_alerts(get_session(), current_actor())
    commit()
    number = current_app.config["EMERGENCY_NUMBER"]
    return render_template(
        "intake/alerts.html",
        alerts=[
            (
                alert,
                front_desk_actions(
                    Tier.EMERGENCY, [Condition(c) for c in alert.conditions], number
                ),
            )
            for alert in alerts
        ],
    )
