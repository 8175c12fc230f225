"""Staff pages of the intake: starting one, the desk questionnaire, results, decisions,
the therapists' queue and the front desk's emergency alerts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.edge import int_arg
from clinic.errors import FieldError
from clinic.forms import show_field_error
from clinic.intake import alerts, kiosk_codes, record, review, services
from clinic.intake.forms import ButtonForm, DecisionForm, ReviewedForm, answer_of, step_form
from clinic.intake.models import DecisionKind, IntakeMode
from clinic.intake.questionnaire import Flow, run_step, screening_policy
from clinic.request_context import this_app
from clinic.screening.front_desk import front_desk_actions
from clinic.screening.model import Condition, Tier
from clinic.screening.questions import QUESTIONS_BY_ID

intake = Blueprint("intake", __name__)

CLINICAL_STAFF = (Role.FRONT_DESK, Role.THERAPIST)


def _now() -> datetime:
    """The time alerts are judged by (the app's CLOCK: the tests move it)."""
    now: datetime = current_app.config["CLOCK"]()
    return now


def _actions(tier: Tier, conditions: Iterable[str]) -> list[str]:
    """What the front desk is told to do for a result (every role sees it)."""
    return front_desk_actions(
        tier, [Condition(c) for c in conditions], current_app.config["EMERGENCY_NUMBER"]
    )


def _minutes(waited: timedelta) -> int:
    return int(waited.total_seconds() // 60)


def _desk_flow(intake_id: str) -> Flow:
    return Flow(
        kiosk=False,
        layout="base.html",
        step_url=lambda step: url_for("intake.step", intake_id=intake_id, step_id=step),
        finished=lambda result: redirect(url_for("intake.result", screening_id=result.public_id)),
        emergency=lambda result: redirect(url_for("intake.result", screening_id=result.public_id)),
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


@intake.route("/intakes/<intake_id>")
@allow(*CLINICAL_STAFF)
def record_page(intake_id: str) -> ResponseReturnValue:
    """The intake as the patient answered it (therapists), or its non-clinical part and
    the result (front desk). Printable."""
    intake_record = record.view_intake_record(get_session(), current_actor(), intake_id)
    commit()
    actions = _actions(intake_record.tier, intake_record.conditions) if intake_record.tier else []
    return render_template("intake/record.html", record=intake_record, actions=actions)


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
    session = get_session()
    acknowledgement = raised_at = None
    if screening.tier is Tier.EMERGENCY:
        acknowledgement = alerts.acknowledgement_of(session, screening.intake_id)
        raised_at = alerts.raised_at(session, screening.intake_id)
    return render_template(
        "intake/result.html",
        screening=screening,
        acknowledgement=acknowledgement,
        raised_at=raised_at,
        waiting_minutes=_minutes(_now() - raised_at) if raised_at else 0,
        escalate_minutes=_minutes(current_app.config["ALERT_ESCALATE_AFTER"]),
        ack_form=ButtonForm(),
        actions=_actions(screening.tier, screening.result["conditions"]),
        therapist=current_user.role is Role.THERAPIST,
        questions=QUESTIONS_BY_ID,
        decision_form=decision_form,
        reviewed_form=ReviewedForm(),
        needs_decision=screening.tier in services.NEEDS_DECISION,
    )


def _letter_context(printed: bool, screening_id: str) -> dict[str, Any]:
    from clinic.handouts.services import clinic_details

    letter = review.referral_letter(get_session(), current_actor(), screening_id, printed)
    return {"letter": letter, "clinic": clinic_details(current_app.config)}


@intake.route("/screenings/<screening_id>/referral")
@allow(Role.THERAPIST)
def referral(screening_id: str) -> ResponseReturnValue:
    """The referral letter, to read, print from the browser or download as a PDF."""
    context = _letter_context(False, screening_id)
    commit()
    return render_template("referrals/page.html", **context)


@intake.route("/screenings/<screening_id>/referral.pdf")
@allow(Role.THERAPIST)
def referral_pdf(screening_id: str) -> ResponseReturnValue:
    """The same letter as a one-page PDF, laid out by the handout renderer."""
    from clinic.handouts.printing import renderer

    context = _letter_context(True, screening_id)
    html = render_template("referrals/letter.pdf.html", **context)
    commit()  # the print is audited; no transaction is held while WeasyPrint works
    app = this_app()
    pdf = renderer(app).write_html(html, current_app.config["HANDOUT_PAPER"])
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="referral.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
    items = review.review_queue(get_session(), current_actor(), int_arg("page") or 1)
    commit()
    return render_template("intake/queue.html", items=items, Tier=Tier, Condition=Condition)


@intake.route("/alerts")
@allow(*CLINICAL_STAFF)
def alerts_page() -> ResponseReturnValue:
    """Unreviewed emergencies, with what the front desk must do (no clinical detail):
    the page the header's counter opens, and the alert banner without JavaScript."""
    session, actor = get_session(), current_actor()
    listed = review.emergency_alerts(session, actor)
    waiting = {
        alert.screening_public_id
        for alert in alerts.unacknowledged(
            session, _now(), current_app.config["ALERT_ESCALATE_AFTER"]
        )
    }
    commit()
    return render_template(
        "intake/alerts.html",
        alerts=[
            (
                alert,
                _actions(Tier.EMERGENCY, alert.conditions),
                alert.screening_public_id in waiting,
            )
            for alert in listed
        ],
        ack_form=ButtonForm(),
    )


@intake.route("/alerts/live")
@allow(*CLINICAL_STAFF)
def live_alerts() -> ResponseReturnValue:
    """What the banner on every staff page polls (alerts.js): the header's count, and the
    unacknowledged emergencies when they differ from those the page already shows
    (``seen``), so a page that is up to date reads nobody's record."""
    session, actor = get_session(), current_actor()
    waiting = alerts.unacknowledged(session, _now(), current_app.config["ALERT_ESCALATE_AFTER"])
    fingerprint = alerts.fingerprint(waiting)
    body: dict[str, Any] = {
        "count": review.unreviewed_emergency_count(session),
        "fingerprint": fingerprint,
    }
    if request.args.get("seen") != fingerprint:
        alerts.audit_listed(session, actor, waiting)
        zone = current_app.config["TIMEZONE"]
        body["alerts"] = [
            {
                "patient": alert.patient_name,
                "chart_number": alert.chart_number,
                "actions": _actions(Tier.EMERGENCY, alert.conditions),
                "raised_at": f"{alert.raised_at.astimezone(zone):%H:%M}",
                "waited_minutes": _minutes(alert.waited),
                "escalated": alert.escalated,
                "interim": alert.interim,
                "acknowledge_url": url_for(
                    "intake.acknowledge", screening_id=alert.screening_public_id
                ),
            }
            for alert in waiting
        ]
    commit()
    response: Response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@intake.route("/screenings/<screening_id>/acknowledge", methods=["POST"])
@allow(*CLINICAL_STAFF)
def acknowledge(screening_id: str) -> ResponseReturnValue:
    """The first staff member to open an EMERGENCY alert takes it up (who and when are
    recorded and audited), then sees the result."""
    form = ButtonForm()
    if form.validate_on_submit():
        made, first = alerts.acknowledge(
            get_session(), current_actor(), screening_id, _now(), via="alert"
        )
        commit()
        if first:
            flash("You have acknowledged this emergency. Act on it now.", "success")
        else:
            flash(f"{made.by} acknowledged this emergency already.", "info")
    return redirect(url_for("intake.result", screening_id=screening_id))
