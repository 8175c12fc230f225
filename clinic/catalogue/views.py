"""Catalogue pages: browse and search for every member of staff; create, edit, retire
and restore for therapists and admins. Catalogue content holds no patient data."""

from __future__ import annotations

import re

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.catalogue import services
from clinic.catalogue.content import ContentError, ItemContent, parse_item
from clinic.catalogue.forms import CODE_CHOICES, BrowseForm, ItemForm, field_of
from clinic.catalogue.search import FACETS
from clinic.catalogue.svg import SvgError, sanitise, with_title
from clinic.db import commit, get_session
from clinic.edge import int_arg, whole_number
from clinic.errors import ConflictError
from clinic.intake.forms import ButtonForm

catalogue = Blueprint("catalogue", __name__, url_prefix="/catalogue")

ALL_STAFF = (Role.FRONT_DESK, Role.THERAPIST, Role.ADMIN)
EDITORS = (Role.THERAPIST, Role.ADMIN)


@catalogue.route("/")
@allow(*ALL_STAFF)
def index() -> ResponseReturnValue:
    form = BrowseForm(request.args)
    result = None
    if form.validate():
        query = services.BrowseQuery(
            text=form.q.data or "",
            retired=bool(form.retired.data),
            **{name: frozenset(getattr(form, name).data or []) for name in FACETS},
        )
        result = services.browse(get_session(), query)
    return render_template("catalogue/index.html", form=form, result=result)


@catalogue.route("/<slug>")
@allow(*ALL_STAFF)
def item(slug: str) -> ResponseReturnValue:
    version = int_arg("version")
    view = services.item_view(get_session(), slug, version)
    return render_template(
        "catalogue/item.html", item=view, content=view.content, button=ButtonForm()
    )


@catalogue.route("/<slug>/versions/<int:version>/illustration.svg")
@allow(*ALL_STAFF)
def illustration(slug: str, version: int) -> ResponseReturnValue:
    svg = services.illustration(get_session(), slug, version)
    response = Response(svg, mimetype="image/svg+xml")
    # A version never changes, so the browser may keep it; nothing in it may run.
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def _item_form(exclude: str | None = None) -> ItemForm:
    choices = [(entry.slug, entry.title) for entry in services.item_choices(get_session(), exclude)]
    return ItemForm(items=choices)


def _content(form: ItemForm, current_svg: str | None) -> tuple[ItemContent, str | None] | None:
    """The checked content and drawing, or None with every problem put on its field."""
    svg = None if form.remove_illustration.data else current_svg
    upload = form.illustration.data
    if upload:
        try:
            svg = sanitise(upload.read())
        except SvgError as error:
            form.illustration.errors = [f"{error}. Choose another drawing."]
            return None
    try:
        content = parse_item(form.content_data(), has_illustration=svg is not None)
    except ContentError as error:
        for problem in error.problems:
            target = getattr(form, field_of(problem.field), form.title)
            target.errors = [*target.errors, _sentence(problem.field, problem.message)]
        if upload:
            form.illustration.errors = [
                *form.illustration.errors,
                "Your drawing was checked but not saved: choose the file again",
            ]
        return None
    if svg is not None:
        svg = with_title(svg, content.text.illustration_alt)
    return content, svg


def _sentence(field: str, message: str) -> str:
    """A validator problem as a message beside its field ("Line 3: must be ...")."""
    if message in ("is required", "needs at least one entry"):
        return "Fill this in"
    text = message[0].upper() + message[1:]
    line = re.match(r"(?:steps|safety_cues)\[(\d+)\]", field)
    return f"Line {line.group(1)}: {text}" if line else text


def _render_form(
    form: ItemForm, view: services.ItemView | None, conflict: services.ItemView | None = None
) -> str:
    return render_template(
        "catalogue/form.html",
        form=form,
        item=view,
        conflict=conflict,
        code_groups=CODE_CHOICES,
    )


@catalogue.route("/new", methods=["GET", "POST"])
@allow(*EDITORS)
def new() -> ResponseReturnValue:
    form = _item_form()
    if form.validate_on_submit():
        checked = _content(form, None)
        if checked is not None:
            try:
                slug = services.create_item(get_session(), current_actor(), *checked)
            except ConflictError as error:
                form.slug.errors = [str(error)]
            else:
                commit()
                flash("Item added to the catalogue.", "success")
                return redirect(url_for("catalogue.item", slug=slug))
    return _render_form(form, None)


@catalogue.route("/<slug>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def edit(slug: str) -> ResponseReturnValue:
    session = get_session()
    view = services.item_view(session, slug)
    form = _item_form(exclude=slug)
    if request.method == "GET":
        form.fill(view.form_data(), view.content.regions)
        form.based_on_version.data = str(view.version)
    # The address names the item: the short name cannot change in an edit.
    form.slug.data = slug
    form.slug.validators = ()
    if form.validate_on_submit():
        current_svg = (
            services.illustration(session, slug, view.version) if view.has_illustration else None
        )
        checked = _content(form, current_svg)
        if checked is not None:
            try:
                number = services.edit_item(
                    session,
                    current_actor(),
                    slug,
                    whole_number(form.based_on_version.data) or 0,
                    *checked,
                )
            except services.ItemEditConflictError as conflict:
                form.based_on_version.data = str(conflict.current.version)
                return _render_form(form, view, conflict=conflict.current), 409
            if number is None:
                flash("Nothing was changed, so no new version was made.", "info")
            else:
                commit()
                flash(f"Saved as version {number}.", "success")
            return redirect(url_for("catalogue.item", slug=slug))
    return _render_form(form, view)


@catalogue.route("/<slug>/retire", methods=["POST"])
@allow(*EDITORS)
def retire(slug: str) -> ResponseReturnValue:
    if ButtonForm().validate_on_submit():
        services.set_retired(get_session(), current_actor(), slug, retired=True)
        commit()
        flash(
            "Item retired: it can no longer be added to plans. Existing plans keep it.", "success"
        )
    return redirect(url_for("catalogue.item", slug=slug))


@catalogue.route("/<slug>/restore", methods=["POST"])
@allow(*EDITORS)
def restore(slug: str) -> ResponseReturnValue:
    if ButtonForm().validate_on_submit():
        services.set_retired(get_session(), current_actor(), slug, retired=False)
        commit()
        flash("Item restored: it can be added to plans again.", "success")
    return redirect(url_for("catalogue.item", slug=slug))
