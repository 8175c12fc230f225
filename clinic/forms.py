"""Pieces every feature's forms share. Messages follow one voice: say what to do."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, SelectMultipleField

# WTForms 3.3 declares select options as SelectChoice; types-WTForms does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.form import BaseForm
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from clinic.errors import FieldError

__all__ = [
    "CheckboxListField",
    "Form",
    "FriendlyDateField",
    "FriendlyIntegerField",
    "SelectChoice",
    "show_field_error",
    "strip_whitespace",
]


class Form(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type information
    """Base of every form: Flask-WTF's form with CSRF protection."""


def show_field_error(form: Form, error: FieldError) -> None:
    """Put an error a service raised next to the field it is about."""
    field: Field | None = form._fields.get(error.field)
    if field is None:
        raise error
    field.errors = [*field.errors, error.message]


class _FriendlyParse(Field):
    """A field whose parse error ("Not a valid date value.") is replaced by one that says
    what to do ("Enter a real date of birth, for example 27 March 1980")."""

    def __init__(self, *args: object, invalid_message: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None

    def pre_validate(self, form: BaseForm) -> None:
        typed = bool(self.raw_data and str(self.raw_data[0]).strip())
        # Said once: no range check runs on a value that could not be read. A blank box
        # is left to Optional or InputRequired, which say it their own way.
        if self.process_errors and typed:
            raise StopValidation()


class FriendlyDateField(_FriendlyParse, DateField):
    """A date input whose parse error says what to do."""


class FriendlyIntegerField(_FriendlyParse, IntegerField):
    """A whole-number input whose parse error says what to do."""


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip_whitespace(value: object) -> object:
    return value.strip() if isinstance(value, str) else value
