from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from clinic.auth.passwords import MAXIMUM_LENGTH, MINIMUM_LENGTH
from clinic.auth.roles import Role
from clinic.forms import Form, SelectChoice, strip_whitespace


class LoginForm(Form):
    username = StringField(
        "Username",
        filters=[strip_whitespace],
        validators=[DataRequired("Enter your username"), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=MAXIMUM_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Sign in")


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired("Enter a password"),
            Length(
                min=MINIMUM_LENGTH,
                max=MAXIMUM_LENGTH,
                message=f"Password must be {MINIMUM_LENGTH} to {MAXIMUM_LENGTH} characters long",
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        "Type the password again",
        validators=[
            DataRequired("Type the password again"),
            EqualTo("password", "The two passwords do not match"),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class UserCreateForm(Form):
    username = StringField(
        "Username",
        filters=[strip_whitespace],
        validators=[DataRequired("Enter a username"), Length(min=3, max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    display_name = StringField(
        "Full name",
        filters=[strip_whitespace],
        validators=[DataRequired("Enter the person's full name"), Length(max=120)],
    )
    role = SelectField(
        "Role",
        choices=[SelectChoice(role.value, role.label) for role in Role],
        validators=[DataRequired("Choose a role")],
    )
    password = _new_password_field("Password")
    confirm = _confirm_field()
    submit = SubmitField("Create account")


class PasswordResetForm(Form):
    password = _new_password_field("New password")
    confirm = _confirm_field()
    submit = SubmitField("Set new password")


class ConfirmForm(Form):
    """A button-only form: CSRF protection for single-click state changes."""

    submit = SubmitField("Confirm")
