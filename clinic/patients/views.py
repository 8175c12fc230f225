"""Patient pages. Names never travel in URLs: a search is POSTed and kept on the server
under an opaque id; records use opaque ids."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.edge import int_arg
from clinic.errors import NotFoundError
from clinic.handouts.services import issued_handouts
from clinic.intake import history, review
from clinic.intake.charts import CEILINGS, ChartPoint, line_chart
from clinic.intake.forms import ButtonForm
from clinic.patients import services
from clinic.patients.forms import PatientForm, PatientSearchForm
from clinic.plans.reading import patient_plans as list_patient_plans

patients = Blueprint("patients", __name__, url_prefix="/patients")

CLINICAL_STAFF = (Role.FRONT_DESK, Role.THERAPIST)


@patients.route("/", methods=["GET", "POST"])
@allow(*CLINICAL_STAFF)
def search() -> ResponseReturnValue:
    """The search form. A valid search is kept on the server and answered with a redirect
    to its results (POST, then GET): Back never asks to send a form again, and the name
    typed stays out of the URL."""
    form = PatientSearchForm()
    session, actor = get_session(), current_actor()
    if form.validate_on_submit():
        search_id = services.save_search(
            session, actor, form.query(), current_app.config["SEARCH_KEPT_FOR"]
        )
        commit()
        return redirect(url_for("patients.results", search_id=search_id))
    recent = services.recently_viewed(session, actor)
    commit()
    status = 422 if form.errors else 200
    return render_template(
        "patients/search.html", form=form, results=None, recent=recent, search_id=None
    ), status


@patients.route("/search/<search_id>")
@allow(*CLINICAL_STAFF)
def results(search_id: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    kept_for = current_app.config["SEARCH_KEPT_FOR"]
    try:
        query = services.saved_search(session, actor, search_id, kept_for)
    except NotFoundError as error:
        flash(error.message, "info")
        return redirect(url_for("patients.search"))
    found = services.search_patients(
        session, actor, query, int_arg("page") or 1, current_app.config["PAGE_SIZE"]
    )
    recent = services.recently_viewed(session, actor)
    commit()
    form = PatientSearchForm(data={"text": query.text, "date_of_birth": query.date_of_birth})
    return render_template(
        "patients/search.html", form=form, results=found, recent=recent, search_id=search_id
    )


@patients.route("/new", methods=["GET", "POST"])
@allow(*CLINICAL_STAFF)
def register() -> ResponseReturnValue:
    form = PatientForm()
    duplicates = None
    if form.validate_on_submit():
        try:
            created = services.register_patient(
                get_session(),
                current_actor(),
                form.details(),
                confirmed_not_duplicate=form.confirm_not_duplicate.data == "yes",
            )
        except services.LikelyDuplicateError as warning:
            duplicates = warning.candidates
            commit()  # the possible duplicates were shown: that read is audited
        else:
            commit()
            # No patient data in the message: flashes travel in the session cookie.
            flash("Patient registered. Their chart number is shown below.", "success")
            return redirect(url_for("patients.detail", public_id=created.public_id))
    return render_template("patients/form.html", form=form, duplicates=duplicates, patient=None)


@patients.route("/<public_id>")
@allow(*CLINICAL_STAFF)
def detail(public_id: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    patient = services.view_patient(session, actor, public_id)
    flags = review.open_flags(session, public_id)
    intakes, screenings, series = history.patient_history(session, public_id)
    patient_plans = list_patient_plans(session, actor, public_id)
    handouts = issued_handouts(session, public_id)
    commit()
    charts = [
        (
            item,
            line_chart(
                [ChartPoint(point.taken_on, point.score) for point in item.points],
                CEILINGS[item.instrument],
                item.mcid,
                item.higher_is_better,
            ),
        )
        for item in series
    ]
    return render_template(
        "patients/detail.html",
        patient=patient,
        flags=flags,
        intakes=intakes,
        screenings=screenings,
        charts=charts,
        plans=patient_plans,
        handouts=handouts,
        start_form=ButtonForm(),
    )


@patients.route("/<public_id>/edit", methods=["GET", "POST"])
@allow(*CLINICAL_STAFF)
def edit(public_id: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    patient = services.view_patient(session, actor, public_id)
    form = PatientForm(data={**patient.details.__dict__, "version": patient.version})
    conflict = None
    if form.validate_on_submit():
        try:
            services.update_patient(
                session, actor, public_id, form.details(), form.version.data or 0
            )
        except services.EditConflictError as error:
            conflict = error.current
            # Keep what the user typed; the next save goes on top of the saved version.
            form.version.data = error.current.version
            form.version.raw_data = [str(error.current.version)]
        else:
            commit()
            flash("Patient details saved.", "success")
            return redirect(url_for("patients.detail", public_id=public_id))
    commit()
    return render_template(
        "patients/form.html", form=form, patient=patient, conflict=conflict, duplicates=None
    )
