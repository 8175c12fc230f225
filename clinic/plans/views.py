"""Plan pages: start a plan from an intake, edit the draft beside the catalogue,
finalise it past the contraindication check, revise it; admins manage templates."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.auth.session import current_actor
from clinic.catalogue.services import BrowseQuery, browse
from clinic.catalogue.vocabulary import REGIONS, Setting, label_of
from clinic.db import commit, get_session
from clinic.edge import BadInputError, int_arg, whole_number
from clinic.errors import FieldError
from clinic.forms import SelectChoice, show_field_error
from clinic.handouts.printing import archive_on_finalise
from clinic.intake.forms import ButtonForm
from clinic.plans import editing, finalising, reading, starting, templates
from clinic.plans.forms import PlanForm, StartPlanForm, TemplateForm
from clinic.request_context import this_app

plans = Blueprint("plans", __name__)


DAMAGED_FORM = (
    "This form's hidden fields were changed outside the app. Reload the page and try again."
)

READERS = (Role.FRONT_DESK, Role.THERAPIST)


@plans.route("/patients/<public_id>/plans/new", methods=["GET", "POST"])
@allow(Role.THERAPIST)
def start(public_id: str) -> ResponseReturnValue:
    session = get_session()
    intake = starting.intake_for_new_plan(session, current_actor(), public_id)
    choices = starting.template_choices(session, intake)
    form = StartPlanForm()
    form.template.choices = [
        SelectChoice("", "A blank plan"),
        *[SelectChoice(str(choice.id), choice.name) for choice in choices],
    ]
    if form.validate_on_submit():
        template_id = whole_number(form.template.data)
        try:
            plan_id = starting.create_plan(session, current_actor(), public_id, template_id)
        except FieldError as error:
            show_field_error(form, error)
        else:
            commit()
            return redirect(url_for("plans.edit", plan_id=plan_id))
    commit()  # the read is audited
    return render_template(
        "plans/start.html",
        form=form,
        choices=choices,
        patient_public_id=public_id,
        risk=starting.startback_risk(intake.measures),
    )


@plans.route("/plans/<plan_id>")
@allow(*READERS)
def detail(plan_id: str) -> ResponseReturnValue:
    version = int_arg("version")
    view = reading.plan_view(
        get_session(), current_actor(), plan_id, version, history_page=int_arg("versions") or 1
    )
    commit()
    return render_template("plans/detail.html", plan=view, button=ButtonForm())


def _area_choices(areas: tuple[str, ...]) -> list[SelectChoice]:
    return [
        SelectChoice("", "No one place"),
        *[SelectChoice(area, label_of(REGIONS, area)) for area in areas],
    ]


def _fill(form: PlanForm, view: reading.PlanView) -> None:
    form.title.data = view.title
    form.general_advice.data = view.general_advice
    form.review_date.data = view.review_date
    form.edit_count.data = str(view.edit_count)
    while form.items.entries:
        form.items.pop_entry()
    for item in view.items:
        form.items.append_entry(
            {
                "item_id": str(item.id),
                "position": str(item.position),
                "area": item.area or "",
                **item.dosage,
                "side": item.dosage.get("side") or "",
                "setting": item.setting.value,
                "notes": item.notes,
            }
        )


def _search(form: PlanForm) -> object:
    kinds = frozenset({form.kind.data}) if form.kind.data else frozenset()
    return browse(get_session(), BrowseQuery(text=form.q.data or "", kind=kinds))


def _editor_errors(form: PlanForm, by_id: dict[str, reading.PlanItemView]) -> list[tuple[str, str]]:
    """The error summary's lines, each linking to its field: an item's error names the
    item by its number on the page and its title ("Item 3, Pelvic tilt: enter ...")."""
    lines = [
        (form[name].id, message)
        for name, errors in form.errors.items()
        if name != "items"
        for message in errors
        if isinstance(message, str)
    ]
    for number, entry in enumerate(form.items.entries, start=1):
        item = by_id.get(entry.item_id.data or "")
        title = item.title if item else "an item"
        for subfield in entry.form:
            for message in subfield.errors:
                lines.append(
                    (subfield.id, f"Item {number}, {title}: {message[:1].lower()}{message[1:]}")
                )
    return lines


def _render_editor(
    form: PlanForm,
    view: reading.PlanView,
    conflict: reading.PlanView | None = None,
    already: list[reading.PlanItemView] | None = None,
) -> str:
    by_id = {str(item.id): item for item in view.items}
    for entry in form.items.entries:
        item = by_id.get(entry.item_id.data or "")
        entry.form.area.choices = _area_choices(item.area_choices if item else ())
    return render_template(
        "plans/edit.html",
        form=form,
        plan=view,
        items_by_id=by_id,
        errors=_editor_errors(form, by_id),
        conflict=conflict,
        already=already or [],
        results=_search(form),
    )


@plans.route("/plans/<plan_id>/edit", methods=["GET", "POST"])
@allow(Role.THERAPIST)
def edit(plan_id: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    view = reading.plan_view(session, actor, plan_id)
    if not view.is_draft:
        flash("This version is finalised. Revise the plan to change it.", "info")
        return redirect(url_for("plans.detail", plan_id=plan_id))
    if request.method == "GET":
        form = PlanForm(MultiDict(), q=request.args.get("q", ""), kind=request.args.get("kind", ""))
        _fill(form, view)
        commit()
        return _render_editor(form, view)
    form = PlanForm()
    if not form.validate_on_submit():
        commit()
        return _render_editor(form, view)
    action = request.form.get("action", "")
    edit_count = whole_number(form.edit_count.data)
    positions = [whole_number(entry.position.data) for entry in form.items.entries]
    item_ids = [whole_number(entry.item_id.data) for entry in form.items.entries]
    if edit_count is None or None in positions or None in item_ids:
        raise BadInputError(DAMAGED_FORM)
    entries = [
        entry
        for _, entry in sorted(
            zip(positions, form.items.entries, strict=True), key=lambda pair: pair[0] or 0
        )
    ]
    order = [int(entry.item_id.data) for entry in entries]
    remove: set[int] = set()
    verb, _, target = action.partition(":")
    target_id = whole_number(target)
    if target_id is not None and target_id in order:
        index = order.index(target_id)
        if verb == "up" and index > 0:
            order[index - 1], order[index] = order[index], order[index - 1]
        elif verb == "down" and index < len(order) - 1:
            order[index + 1], order[index] = order[index], order[index + 1]
        elif verb == "remove":
            remove.add(target_id)
    by_id = {int(entry.item_id.data): entry for entry in entries}
    changes = editing.DraftChanges(
        title=form.title.data or "",
        general_advice=form.general_advice.data or "",
        review_date=form.review_date.data,
        items=tuple(
            editing.ItemChange(
                item_id=item_id,
                area=by_id[item_id].area.data or None,
                dosage=by_id[item_id].form.dosage(),
                notes=by_id[item_id].notes.data or "",
                setting=Setting(by_id[item_id].setting.data),
            )
            for item_id in order
        ),
        remove=frozenset(remove),
        add=tuple(value for value in request.form.getlist("add") if value),
    )
    # An item already in the plan is added again only when the therapist confirms it.
    confirmed = [value for value in request.form.getlist("add_again") if value]
    already = [item for item in view.items if item.slug in changes.add]
    if already:
        commit()
        return _render_editor(form, view, already=already)
    changes = replace(changes, add=changes.add + tuple(confirmed))
    try:
        editing.save_draft(session, actor, plan_id, edit_count, changes)
    except editing.PlanEditConflictError as conflict:
        commit()  # the audited read of the other version
        return _render_editor(form, view, conflict=conflict.current), 409
    except FieldError as error:
        form.q.errors = [error.message]
        return _render_editor(form, view)
    commit()
    if action == "finalise":
        return redirect(url_for("plans.finalise", plan_id=plan_id))
    if action == "save":
        flash("Plan saved.", "success")
    elif changes.add:
        flash("Item added at the end of the plan.", "success")
    anchor = (
        f"item-{target_id}" if target_id is not None and target_id not in remove else "plan-items"
    )
    return redirect(
        url_for("plans.edit", plan_id=plan_id, q=form.q.data or None, kind=form.kind.data or None)
        + f"#{anchor}"
    )


@plans.route("/plans/<plan_id>/finalise", methods=["GET", "POST"])
@allow(Role.THERAPIST)
def finalise(plan_id: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    view = reading.plan_view(session, actor, plan_id)
    if not view.is_draft:
        commit()
        flash("This version is already finalised.", "info")
        return redirect(url_for("plans.detail", plan_id=plan_id))
    form = ButtonForm()
    problems: dict[str, str] = {}
    message = None
    if form.validate_on_submit():
        edit_count = whole_number(request.form.get("edit_count", ""))
        if edit_count is None:
            raise BadInputError(DAMAGED_FORM)
        answers = [
            finalising.SafetyAnswer(
                item_id=int(finding.item_key),
                code=finding.code,
                confirmed=request.form.get(f"confirm-{finding.item_key}-{finding.code}") == "y",
                override_reason=request.form.get(f"reason-{finding.item_key}-{finding.code}", ""),
            )
            for finding in view.check.findings
        ]
        try:
            number = finalising.finalise(session, actor, plan_id, edit_count, answers)
        except finalising.FinaliseRefusedError as refused:
            problems, message = refused.problems, refused.message
        except editing.PlanEditConflictError as conflict:
            commit()
            flash("The plan was changed by someone else. Check it, then finalise.", "error")
            return redirect(url_for("plans.edit", plan_id=conflict.current.public_id))
        else:
            commit()
            # Its handout, archived now, so the first print is served at once.
            archive_on_finalise(this_app(), session, plan_id, commit)
            flash(f"Version {number} is finalised.", "success")
            return redirect(url_for("plans.detail", plan_id=plan_id))
    commit()
    status = 422 if problems or message else 200
    return (
        render_template(
            "plans/finalise.html",
            plan=view,
            form=form,
            problems=problems,
            message=message,
            typed=request.form,
        ),
        status,
    )


@plans.route("/plans/<plan_id>/revise", methods=["POST"])
@allow(Role.THERAPIST)
def revise(plan_id: str) -> ResponseReturnValue:
    if ButtonForm().validate_on_submit():
        number = finalising.revise(get_session(), current_actor(), plan_id)
        commit()
        flash(
            f"Version {number} started as a draft. Earlier versions stay as they were.", "success"
        )
        return redirect(url_for("plans.edit", plan_id=plan_id))
    return redirect(url_for("plans.detail", plan_id=plan_id))


# --- Templates (admins) ----------------------------------------------------------------


@plans.route("/admin/plan-templates")
@allow(Role.ADMIN)
def template_list() -> ResponseReturnValue:
    return render_template("plans/templates.html", templates=templates.all_templates(get_session()))


def _template_form_page(form: TemplateForm, template_id: int | None) -> ResponseReturnValue:
    if form.validate_on_submit():
        data = templates.TemplateData(
            name=form.name.data or "",
            description=form.description.data or "",
            regions=tuple(form.regions.data or ()),
            risks=tuple(form.risks.data or ()),
            general_advice=form.general_advice.data or "",
            items=templates.parse_item_lines(form.items.data or ""),
            active=bool(form.active.data),
        )
        try:
            templates.save_template(get_session(), current_actor(), template_id, data)
        except FieldError as error:
            show_field_error(form, error)
        else:
            commit()
            flash("Template saved.", "success")
            return redirect(url_for("plans.template_list"))
    return render_template("plans/template_form.html", form=form, template_id=template_id)


@plans.route("/admin/plan-templates/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def template_new() -> ResponseReturnValue:
    return _template_form_page(TemplateForm(), None)


@plans.route("/admin/plan-templates/<int:template_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def template_edit(template_id: int) -> ResponseReturnValue:
    form = TemplateForm()
    if request.method == "GET":
        templates.fill_form(get_session(), template_id, form)
    return _template_form_page(form, template_id)
