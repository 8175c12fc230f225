"""The patient's export as a ZIP: the JSON document and its readable PDF summary."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from clinic.auth.identity import Actor
from clinic.fhir.vocabulary import Naming
from clinic.patients import rights
from clinic.request_context import this_app


def export_zip(session: Session, actor: Actor, chart_number: str, now: datetime) -> bytes:
    """Collect, audit (the caller commits) and package everything held about a patient."""
    from clinic.handouts.printing import renderer

    naming = Naming(current_app.config["FHIR_BASE_URL"])
    export = rights.collect(session, actor, chart_number, now, naming)
    # The template alone, without the page context processors (the command line has no
    # request or signed-in user).
    template = current_app.jinja_env.get_template("patients/export_summary.pdf.html")
    html = template.render(d=export.document, exported_at=now)
    app = this_app()
    summary = renderer(app).write_html(html, current_app.config["HANDOUT_PAPER"])
    return rights.write_zip(export, summary)
