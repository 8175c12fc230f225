"""Printing handouts: one plan's PDF, or several plans' handouts as one PDF."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from clinic.access import allow
from clinic.auth.identity import Actor
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.handouts.content import PAPER_SIZES, HandoutOptions
from clinic.handouts.render import HandoutRenderer
from clinic.handouts.services import clinic_details, handouts_for
from clinic.intake.forms import ButtonForm
from clinic.plans.printing import finalised_plans

handouts = Blueprint("handouts", __name__)

PRINTERS = (Role.FRONT_DESK, Role.THERAPIST)
# The print form's "Print size": anything else prints each patient's handout as they prefer.
PRINT_SIZES = {"standard": False, "large": True}
_renderer_lock = threading.Lock()


def renderer(app: Flask) -> HandoutRenderer:
    """The app's renderer, built on first use and kept for the life of the process."""
    with _renderer_lock:
        built = app.extensions.get("handout_renderer")
        if built is None:
            built = HandoutRenderer(
                Path(app.static_folder or ""), app.jinja_env, "handouts/handout.html"
            )
            app.extensions["handout_renderer"] = built
        return built


def prepare_to_serve(app: Flask) -> None:
    """Make the app ready for a long-lived server process (gunicorn, ``clinic serve``):
    build and warm the handout renderer now rather than on the first print, then move
    everything built so far (the app, WeasyPrint, its fonts and parsed stylesheets) out of
    the cyclic garbage collector's way. It would otherwise walk all of it in each full
    collection, several of which fall inside every render: about a quarter of a render's
    time (docs/handouts.md, "The server process"; ``gc.freeze`` in Python's documentation)."""
    renderer(app).warm_up()
    gc.collect()
    gc.freeze()


def render_pdf(
    app: Flask,
    session: Session,
    actor: Actor,
    plan_ids: list[str],
    options: HandoutOptions,
    commit: Callable[[], None],
) -> tuple[bytes, str]:
    """The handouts of these plans as one PDF, and its ETag: the page and the command
    both print through here. The print is audited and ``commit`` called before the
    layout, so no transaction (on SQLite: the database's write lock) is held while
    WeasyPrint works."""
    today = datetime.now(app.config["TIMEZONE"]).date()
    data = handouts_for(session, actor, plan_ids, clinic_details(app.config), today, options)
    commit()
    return renderer(app).render(data, options)


def _options() -> HandoutOptions:
    paper = request.values.get("paper") or current_app.config["HANDOUT_PAPER"]
    return HandoutOptions(
        paper=paper if paper in PAPER_SIZES else current_app.config["HANDOUT_PAPER"],
        large_print=PRINT_SIZES.get(request.values.get("print_size", "")),
    )


def _pdf(plan_ids: list[str], filename: str) -> ResponseReturnValue:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    session = get_session()
    # The print is audited even when the browser already has the file.
    pdf, etag = render_pdf(app, session, current_actor(), plan_ids, _options(), commit)
    response = Response(pdf, mimetype="application/pdf")
    response.set_etag(etag)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@handouts.route("/plans/<plan_id>/handout.pdf")
@allow(*PRINTERS)
def plan_handout(plan_id: str) -> ResponseReturnValue:
    return _pdf([plan_id], "handout.pdf")


@handouts.route("/handouts", methods=["GET", "POST"])
@allow(*PRINTERS)
def batch() -> ResponseReturnValue:
    form = ButtonForm()
    plans = finalised_plans(get_session(), current_actor())
    error = None
    if form.validate_on_submit():
        chosen = [plan_id for plan_id in request.form.getlist("plan") if plan_id]
        if chosen:
            return _pdf(chosen, "handouts.pdf")
        error = "Choose at least one plan to print"
    commit()
    return render_template("handouts/batch.html", form=form, plans=plans, error=error), (
        422 if error else 200
    )
