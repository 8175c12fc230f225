"""Sign-in and sign-out, and the administrators' account pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from clinic.access import allow, public
from clinic.auth import services
from clinic.auth.forms import ConfirmForm, LoginForm, PasswordResetForm, UserCreateForm
from clinic.auth.roles import Role
from clinic.auth.session import (
    client_address,
    current_actor,
    end_session,
    sign_in_policy,
    start_session,
)
from clinic.db import commit, get_session
from clinic.errors import FieldError
from clinic.forms import show_field_error
from clinic.request_context import current_request_id

auth = Blueprint("auth", __name__)
users = Blueprint("users", __name__, url_prefix="/admin/users")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute or scheme-relative URL."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("home.index")


@auth.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    message = None
    if form.validate_on_submit():
        db = get_session()
        now = current_app.config["CLOCK"]()
        result = services.sign_in(
            db,
            form.username.data or "",
            form.password.data or "",
            sign_in_policy(),
            client_address(),
            now,
            current_request_id(),
        )
        token = services.open_session(db, result.staff, now) if result.staff else None
        commit()
        if result.staff is not None and token is not None:
            start_session(result.staff, token)
            return redirect(_safe_next(request.args.get("next")))
        message = result.message
    return render_template(
        "auth/login.html", form=form, message=message
    ), 200 if not message else 401


@auth.route("/logout", methods=["POST"])
@allow(*Role)
def logout() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        services.record_sign_out(get_session(), current_actor())
        end_session()
        commit()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@users.route("/")
@allow(Role.ADMIN)
def index() -> ResponseReturnValue:
    session = get_session()
    backoff = current_app.config["ACCOUNT_BACKOFF"]
    return render_template(
        "admin/users.html",
        users=services.list_users(session),
        action_form=ConfirmForm(),
        attacks=services.accounts_under_attack(session, backoff, current_app.config["CLOCK"]()),
        attack_window=int(backoff.forget_after.total_seconds() // 60),
    )


@users.route("/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create() -> ResponseReturnValue:
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            created = services.create_user(
                get_session(),
                current_actor(),
                username=form.username.data or "",
                display_name=form.display_name.data or "",
                role=Role(form.role.data),
                password=form.password.data or "",
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            commit()
            flash(f"Account {created.username} created.", "success")
            return redirect(url_for("users.index"))
    return render_template("admin/user_new.html", form=form)


@users.route("/<int:user_id>/password", methods=["GET", "POST"])
@allow(Role.ADMIN)
def reset_password(user_id: int) -> ResponseReturnValue:
    account = services.get_user(get_session(), user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(
                get_session(), current_actor(), user_id, form.password.data or ""
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            commit()
            flash(
                f"New password set for {account.username}. Their other sessions are signed out.",
                "success",
            )
            return redirect(url_for("users.index"))
    return render_template("admin/user_password.html", form=form, account=account)


def _set_active(user_id: int, active: bool) -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        account = services.set_active(get_session(), current_actor(), user_id, active)
        commit()
        state = "reactivated" if active else "deactivated"
        flash(f"Account {account.username} {state}.", "success")
    return redirect(url_for("users.index"))


@users.route("/<int:user_id>/deactivate", methods=["POST"])
@allow(Role.ADMIN)
def deactivate(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, active=False)


@users.route("/<int:user_id>/activate", methods=["POST"])
@allow(Role.ADMIN)
def activate(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, active=True)
