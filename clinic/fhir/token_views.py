"""The administrators' page of API tokens: create (the token is shown once, on the page
that answers the form: never in a redirect, a flash message or a cookie) and revoke."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from clinic.access import allow
from clinic.auth.forms import ConfirmForm
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.db import commit, get_session
from clinic.errors import FieldError
from clinic.fhir import tokens
from clinic.fhir.forms import SCOPE_LABELS, ApiTokenForm
from clinic.forms import show_field_error

api_tokens = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


def _page(form: ApiTokenForm, created: tokens.CreatedToken | None = None) -> str:
    return render_template(
        "admin/api_tokens.html",
        form=form,
        created=created,
        tokens=tokens.list_tokens(get_session()),
        action_form=ConfirmForm(),
        base_url=current_app.config["FHIR_BASE_URL"],
        scope_labels=SCOPE_LABELS,
    )


@api_tokens.route("/", methods=["GET", "POST"])
@allow(Role.ADMIN)
def index() -> ResponseReturnValue:
    form = ApiTokenForm()
    created = None
    if form.validate_on_submit():
        try:
            created = tokens.create_token(
                get_session(), current_actor(), form.name.data or "", form.scopes.data or []
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            form = ApiTokenForm(formdata=None)
    page = _page(form, created)
    commit()
    return page


@api_tokens.route("/<int:token_id>/revoke", methods=["POST"])
@allow(Role.ADMIN)
def revoke(token_id: int) -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        name = tokens.revoke_token(
            get_session(), current_actor(), token_id, current_app.config["CLOCK"]()
        )
        commit()
        flash(f"API token {name} revoked: its next request is refused.", "success")
    return redirect(url_for("api_tokens.index"))
