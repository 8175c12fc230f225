"""Printing handouts: one plan's PDF, batches of several plans, and copies of issued
handouts. The work is in ``clinic.handouts.printing``; these only read the request."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.handouts import printing
from clinic.handouts.content import PAPER_SIZES, HandoutOptions
from clinic.handouts.services import issued_pdf
from clinic.intake.forms import ButtonForm
from clinic.plans.printing import finalised_plans
from clinic.request_context import this_app

handouts = Blueprint("handouts", __name__)

PRINTERS = (Role.FRONT_DESK, Role.THERAPIST)
# The print form's "Print size": anything else prints each patient's handout as they prefer.
PRINT_SIZES = {"standard": False, "large": True}


def _options() -> HandoutOptions:
    paper = request.values.get("paper") or current_app.config["HANDOUT_PAPER"]
    return HandoutOptions(
        paper=paper if paper in PAPER_SIZES else current_app.config["HANDOUT_PAPER"],
        large_print=PRINT_SIZES.get(request.values.get("print_size", "")),
    )


def _pdf_response(pdf: bytes, etag: str, filename: str) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.set_etag(etag)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.make_conditional(request)
    return response


@handouts.route("/plans/<plan_id>/handout.pdf")
@allow(*PRINTERS)
def plan_handout(plan_id: str) -> ResponseReturnValue:
    """Give the patient their handout: served from the archive when it holds it."""
    printed = printing.print_handout(
        this_app(), get_session(), current_actor(), plan_id, _options(), commit
    )
    commit()  # issued and audited, even when the browser already has the file
    response = _pdf_response(printed.pdf, printed.sha256, "handout.pdf")
    response.headers["X-Handout-Source"] = "rendered" if printed.rendered else "archive"
    return response


@handouts.route("/handouts/issued/<int:issue_id>.pdf")
@allow(*PRINTERS)
def issued(issue_id: int) -> ResponseReturnValue:
    """The exact handout a patient was given (a copy: not issued again)."""
    pdf, sha256 = issued_pdf(get_session(), current_actor(), issue_id)
    commit()
    return _pdf_response(pdf, sha256, "issued-handout.pdf")


@handouts.route("/handouts", methods=["GET", "POST"])
@allow(*PRINTERS)
def batch() -> ResponseReturnValue:
    form = ButtonForm()
    session, actor = get_session(), current_actor()
    plans = finalised_plans(session, actor)
    error = None
    if form.validate_on_submit():
        offered = {plan.public_id for plan in plans}
        chosen = [plan_id for plan_id in request.form.getlist("plan") if plan_id in offered]
        if chosen:
            started = printing.start_batch(session, actor, chosen, _options())
            commit()
            # A few handouts are prepared at once; more show their progress.
            if len(chosen) <= current_app.config["HANDOUT_BATCH_AT_ONCE"]:
                state = printing.batch_step(
                    this_app(), session, actor, started.public_id, commit, limit=len(chosen)
                )
                commit()
                if state.ready and not state.failures:
                    return redirect(url_for("handouts.batch_file", batch_id=state.public_id))
            return redirect(url_for("handouts.batch_page", batch_id=started.public_id))
        error = "Choose at least one plan to print"
    commit()
    return render_template("handouts/batch.html", form=form, plans=plans, error=error), (
        422 if error else 200
    )


@handouts.route("/handouts/batches/<batch_id>")
@allow(*PRINTERS)
def batch_page(batch_id: str) -> ResponseReturnValue:
    state = printing.progress(printing.find_batch(get_session(), current_actor(), batch_id))
    commit()
    return render_template("handouts/batch_progress.html", state=state, form=ButtonForm())


@handouts.route("/handouts/batches/<batch_id>/step", methods=["POST"])
@allow(*PRINTERS)
def batch_step(batch_id: str) -> ResponseReturnValue:
    """Prepare the next few handouts: the page's script calls this until the batch is
    ready; without JavaScript, its button does."""
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("handouts.batch_page", batch_id=batch_id))
    state = printing.batch_step(this_app(), get_session(), current_actor(), batch_id, commit)
    commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(
            done=state.done,
            total=state.total,
            ready=state.ready,
            failures=list(state.failures),
            file=url_for("handouts.batch_file", batch_id=batch_id),
        )
    return redirect(url_for("handouts.batch_page", batch_id=batch_id))


@handouts.route("/handouts/batches/<batch_id>/handouts.pdf")
@allow(*PRINTERS)
def batch_file(batch_id: str) -> ResponseReturnValue:
    pdf, _state = printing.batch_pdf(get_session(), current_actor(), batch_id)
    commit()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="handouts.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
