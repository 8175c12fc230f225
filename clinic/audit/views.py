"""The administrators' audit page. Filters are POSTed: a chart number is patient data
and does not belong in a URL or an access log."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from clinic.access import allow
from clinic.audit import services
from clinic.audit.forms import AuditFilterForm
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.patients.services import patient_id_for_chart_number

audit = Blueprint("audit", __name__, url_prefix="/admin/audit")


@audit.route("/", methods=["GET", "POST"])
@allow(Role.ADMIN)
def index() -> ResponseReturnValue:
    session = get_session()
    form = AuditFilterForm()
    form.offer_usernames(services.known_usernames(session))
    events = None
    if form.is_submitted() and not form.validate():
        return render_template("audit/index.html", form=form, events=None)
    patient_id = None
    if form.chart_number.data:
        patient_id = patient_id_for_chart_number(session, form.chart_number.data)
        if patient_id is None:
            form.chart_number.errors = ["No patient has that chart number"]
            return render_template("audit/index.html", form=form, events=None)
    criteria = form.criteria(patient_id)
    page = form.page.data or 1
    events = services.search_events(session, criteria, page, current_app.config["PAGE_SIZE"])
    services.record_audit_read(session, current_actor(), criteria, events.number, len(events.items))
    commit()
    return render_template("audit/index.html", form=form, events=events)
