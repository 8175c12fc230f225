"""The waiting-room tablet: the patient enters a one-time code and answers their own
questionnaire. The kiosk session knows one intake and nothing else; it cannot reach any
staff page (see access.py), finishing or leaving it idle locks it back to the start.

An EMERGENCY (raised when a step is saved, or on sending) locks the tablet on a screen
that sends the patient to the front desk; it stays there, whatever is tapped or however
long it waits, until a member of staff unlocks it with their own sign-in. The alert has
reached every staff page meanwhile (alerts.py).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue

from clinic.access import KIOSK_EMERGENCY_KEY, KIOSK_SESSION_KEY, kiosk_page
from clinic.auth.identity import KIOSK_ACTOR_NAME, Actor
from clinic.auth.roles import Role
from clinic.auth.services import sign_in
from clinic.auth.session import client_address, end_session, sign_in_policy
from clinic.db import commit, get_session, utcnow
from clinic.intake import alerts, kiosk_codes, services
from clinic.intake.forms import KioskCodeEntryForm, KioskUnlockForm
from clinic.intake.questionnaire import Flow, run_step
from clinic.request_context import current_request_id
from clinic.screening.model import Tier

kiosk = Blueprint("kiosk", __name__, url_prefix="/kiosk")
FINISHED_KEY = "kiosk_finished"
LAST_SEEN_KEY = "kiosk_last_seen"


def _actor() -> Actor:
    return Actor(
        user_id=None, username=KIOSK_ACTOR_NAME, role=None, request_id=current_request_id()
    )


def _finish(result: services.ScreeningView) -> ResponseReturnValue:
    if result.tier is Tier.EMERGENCY:
        return _emergency(result)
    # Lock the tablet at once: the patient's session ends with their answers.
    session.clear()
    session[FINISHED_KEY] = "thank_you"
    return redirect(url_for("kiosk.finished"))


def _emergency(result: services.ScreeningView) -> ResponseReturnValue:
    """The patient's session ends; the tablet holds only the result's opaque id, to
    acknowledge its alert when staff unlock it."""
    session.clear()
    session[KIOSK_EMERGENCY_KEY] = result.public_id
    return redirect(url_for("kiosk.emergency"))


def _locked() -> ResponseReturnValue | None:
    if KIOSK_EMERGENCY_KEY in session:
        return redirect(url_for("kiosk.emergency"))
    return None


def _flow() -> Flow:
    return Flow(
        kiosk=True,
        layout="kiosk/base.html",
        step_url=lambda step: url_for("kiosk.step", step_id=step),
        finished=_finish,
        emergency=_emergency,
    )


@kiosk.route("/", methods=["GET", "POST"])
@kiosk_page
def start() -> ResponseReturnValue:
    if (locked := _locked()) is not None:
        return locked
    form = KioskCodeEntryForm()
    message = None
    if form.validate_on_submit():
        try:
            intake_id = kiosk_codes.open_with_code(
                get_session(),
                form.code.data or "",
                client_address(),
                current_app.config["KIOSK_CODE_BACKOFF"],
                current_app.config["CLOCK"](),
            )
        except kiosk_codes.KioskCodeError as error:
            message = str(error)
        else:
            # Whatever was signed in on this tablet is signed out: the patient's session
            # holds their intake only.
            end_session()
            commit()
            session[KIOSK_SESSION_KEY] = intake_id
            session[LAST_SEEN_KEY] = utcnow().timestamp()
            session.permanent = True
            return redirect(url_for("kiosk.step", step_id="details"))
        commit()  # the wrong code counts towards the tablet's wait
    return render_template("kiosk/start.html", form=form, message=message)


@kiosk.route("/questions/<step_id>", methods=["GET", "POST"])
@kiosk_page
def step(step_id: str) -> ResponseReturnValue:
    if (locked := _locked()) is not None:
        return locked
    intake_id = session.get(KIOSK_SESSION_KEY)
    if not isinstance(intake_id, str):
        return redirect(url_for("kiosk.start"))
    now = utcnow().timestamp()
    last_seen = session.get(LAST_SEEN_KEY)
    if isinstance(last_seen, float) and now - last_seen > current_app.config["KIOSK_IDLE_SECONDS"]:
        # Left idle: lock, whatever the browser did or did not run.
        session.clear()
        flash("The questionnaire closed because the tablet was left idle. Your answers are saved.")
        return redirect(url_for("kiosk.start"))
    session[LAST_SEEN_KEY] = now
    return run_step(_flow(), _actor(), intake_id, step_id)


@kiosk.route("/finished")
@kiosk_page
def finished() -> ResponseReturnValue:
    if (locked := _locked()) is not None:
        return locked
    outcome = session.pop(FINISHED_KEY, None)
    if outcome is None:
        return redirect(url_for("kiosk.start"))
    return render_template(
        "kiosk/finished.html",
        outcome=outcome,
        return_after=current_app.config["KIOSK_IDLE_SECONDS"] // 5,
    )


@kiosk.route("/lock", methods=["POST"])
@kiosk_page
def lock() -> ResponseReturnValue:
    """Reached when the tablet is left idle (or staff take it back): the answers so far are
    saved; the session ends and the start page shows."""
    if (locked := _locked()) is not None:
        return locked
    session.clear()
    return redirect(url_for("kiosk.start"))


@kiosk.route("/emergency", methods=["GET", "POST"])
@kiosk_page
def emergency() -> ResponseReturnValue:
    """Locked: the patient is sent to the desk. Staff unlock with their own sign-in, which
    acknowledges the alert if nobody has yet."""
    screening_id = session.get(KIOSK_EMERGENCY_KEY)
    if not isinstance(screening_id, str):
        return redirect(url_for("kiosk.start"))
    form = KioskUnlockForm()
    message = None
    if form.validate_on_submit():
        db = get_session()
        signed_in = sign_in(
            db,
            form.username.data or "",
            form.password.data or "",
            sign_in_policy(),
            client_address(),
            current_app.config["CLOCK"](),
            current_request_id(),
        )
        staff = signed_in.staff
        if staff is None:
            message = signed_in.message
        elif staff.role not in (Role.FRONT_DESK, Role.THERAPIST):
            message = "Only front desk staff or a therapist can unlock the tablet."
        else:
            actor = Actor(staff.id, staff.username, staff.role, current_request_id())
            alerts.acknowledge(db, actor, screening_id, current_app.config["CLOCK"](), via="kiosk")
            commit()
            session.clear()
            flash("The tablet is unlocked and ready for the next patient.")
            return redirect(url_for("kiosk.start"))
        commit()  # a failed unlock is audited like a failed sign-in
    return render_template("kiosk/emergency.html", form=form, message=message), (
        200 if message is None else 422
    )
