"""The administrators' page for patients' data rights: export (GDPR Art. 15 and 20) and
erasure of a record registered in error. Chart numbers are POSTed, never put in a URL."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.errors import DomainError
from clinic.forms import Form, strip_whitespace
from clinic.patients import rights
from clinic.patients.export import export_zip

patient_rights = Blueprint("rights", __name__, url_prefix="/admin/patient-data")


def _chart_field() -> StringField:
    return StringField(
        "Patient chart number",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter the patient's chart number"),
            Length(max=16, message="Chart number must be 16 characters or fewer"),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ExportForm(Form):
    chart_number = _chart_field()
    submit = SubmitField("Download the patient's data")


class EraseForm(Form):
    chart_number = _chart_field()
    reason = TextAreaField(
        "Why it was registered in error",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Say why the record is erased, for example a duplicate"),
            Length(min=5, max=150, message="Write 5 to 150 characters"),
        ],
    )
    submit = SubmitField("Erase the record")


def _page(export: ExportForm, erase: EraseForm, status: int = 200) -> ResponseReturnValue:
    retention = current_app.config["RECORD_RETENTION_YEARS"]
    return (
        render_template("admin/patient_data.html", export=export, erase=erase, retention=retention),
        status,
    )


@patient_rights.route("/", methods=["GET"])
@allow(Role.ADMIN)
def index() -> ResponseReturnValue:
    return _page(ExportForm(prefix="export"), EraseForm(prefix="erase"))


@patient_rights.route("/export", methods=["POST"])
@allow(Role.ADMIN)
def export() -> ResponseReturnValue:
    form = ExportForm(prefix="export")
    if form.validate_on_submit():
        session = get_session()
        try:
            data = export_zip(
                session,
                current_actor(),
                form.chart_number.data or "",
                current_app.config["CLOCK"](),
            )
        except DomainError as error:
            form.chart_number.errors = [error.message]
        else:
            commit()
            response = Response(data, mimetype="application/zip")
            # A neutral name: the chart number stays out of headers and download lists.
            response.headers["Content-Disposition"] = 'attachment; filename="patient-data.zip"'
            response.headers["Cache-Control"] = "private, no-store"
            return response
    return _page(form, EraseForm(prefix="erase"), 422)


@patient_rights.route("/erase", methods=["POST"])
@allow(Role.ADMIN)
def erase() -> ResponseReturnValue:
    form = EraseForm(prefix="erase")
    if form.validate_on_submit():
        try:
            rights.erase(
                get_session(),
                current_actor(),
                form.chart_number.data or "",
                form.reason.data or "",
                current_app.config["RECORD_RETENTION_YEARS"],
            )
        except DomainError as error:
            form.chart_number.errors = [error.message]
        else:
            commit()
            flash("The record is erased. Its audit entries remain.", "success")
            return redirect(url_for("rights.index"))
    return _page(ExportForm(prefix="export"), form, 422)
